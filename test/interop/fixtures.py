"""Fixtures for brine's interop tests, generated at test time (nothing binary
is committed). Run with Debian's /usr/bin/python3 (numpy, joblib).

  fixtures.py make DIR        write joblib / npy / npz files made by Python
  fixtures.py check FILE...   load files brine wrote and compare them with
                              what brine was given (exit status 0 = equal)

sample() is the tree both sides agree on; test/interop/sample.hpp builds the
same tree as brine::value (with Python's types mapped as docs/interop.md
says), and expected_after_brine() is what Python gets back from brine.
"""
import collections
import io
import os
import pickle
import shutil
import subprocess
import sys
import zipfile

import joblib
import numpy as np
from joblib import numpy_pickle

NUMERIC_DTYPES = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64',
                  'float16', 'float32', 'float64', 'complex64', 'complex128', 'datetime64', 'timedelta64']
# The time dtypes by their names in brine's table, in seconds (sample.hpp's arange).
TIME_UNITS = {'datetime64': 'M8[s]', 'timedelta64': 'm8[s]'}
COMPRESSORS = {'': None, '.z': 'zlib', '.gz': 'gzip', '.bz2': 'bz2', '.lzma': 'lzma', '.xz': 'xz'}


def arange(dtype, shape=(2, 3)):
    """0, 1, 2, ... in C order; booleans alternate, complex numbers get an imaginary part."""
    n = int(np.prod(shape))
    if dtype == 'bool':
        return (np.arange(n) % 2 == 0).reshape(shape)
    a = np.arange(n).astype(TIME_UNITS.get(dtype, dtype))
    if np.dtype(dtype).kind == 'c':
        a = a + 1j * a.astype(dtype)
    return a.reshape(shape)


def arrays():
    out = {name: arange(name) for name in NUMERIC_DTYPES}
    out['fortran_f8'] = np.asfortranarray(arange('float64', (2, 3)))
    out['fortran_i2_3d'] = np.asfortranarray(arange('int16', (2, 3, 4)))
    out['big_i4'] = arange('>i4', (5,))
    out['big_f8_fortran'] = np.asfortranarray(arange('>f8', (3, 2)))
    out['str_U3'] = np.array([['a', 'bc', 'd\u00e9f'], ['', 'x\u2713', 'yz']], dtype='<U3')
    out['big_U2'] = np.array(['ab', 'c'], dtype='>U2')
    out['bytes_S3'] = np.array([b'a', b'\x00b', b'xyz'], dtype='S3')
    # A record: a nested record with a big-endian field, a sub-array, a string.
    out['record'] = np.array([(1, (2.5, -1.0), [3, 4], b'ab'), (-5, (0.25, 8.0), [6, 7], b'c')],
                             dtype=[('i', '<i2'), ('pos', [('x', '>f4'), ('y', '<f4')]), ('v', '<u2', (2,)), ('s', 'S2')])
    out['zero_d'] = np.array(3.5)
    out['empty'] = np.zeros((0, 3))
    return out


def sample():
    shared = [1, 2]
    return {
        'none': None, 'true': True, 'false': False,
        'int': 42, 'neg': -7, 'int32max': 2**31 - 1, 'big': 2**40, 'i64min': -2**63, 'u64max': 2**64 - 1,
        'float': 1.5, 'nan': float('nan'), 'inf': float('-inf'), 'complex': 1 + 2j,
        'str': 'h\u00e9llo \u2713', 'long_str': 'x' * 300, 'bytes': b'\x00\xffab', 'bytearray': bytearray(b'xy'),
        'list': [1, 'a', [2.5, None]], 'tuple': (1, 2), 'set': {3}, 'frozenset': frozenset({'z'}),
        'ordered': collections.OrderedDict([('b', 1), ('a', 2)]),
        'int_keys': {1: 'one', 2: 'two'},
        'shared': [shared, shared],
        'np_float32': np.float32(2.5), 'np_int16': np.int16(-3),
        'objects': np.array(['a', 1, None, 2.5], dtype=object),
        'objects_2d': np.array([['a', 'b'], [None, 3]], dtype=object),
        'arrays': arrays(),
    }


def without_padding():
    """Emulate joblib < 1.2: wrappers without numpy_array_alignment_bytes, no padding."""
    original = numpy_pickle.NumpyPickler._create_array_wrapper

    def old_wrapper(self, array):
        wrapper = original(self, array)
        del wrapper.numpy_array_alignment_bytes
        return wrapper
    return old_wrapper


def make(out):
    os.makedirs(out, exist_ok=True)
    value = sample()
    for proto in (2, 3, 4, 5):
        for ext, compressor in COMPRESSORS.items():
            path = os.path.join(out, f'sample_p{proto}.pkl{ext}')
            joblib.dump(value, path, compress=(compressor, 3) if compressor else 0, protocol=proto)
    # lz4: joblib needs python3-lz4, which Debian's joblib does not pull in; the
    # lz4 tool writes the same frame format joblib's LZ4FrameFile does.
    if shutil.which('lz4'):
        subprocess.run(['lz4', '-q', '-f', os.path.join(out, 'sample_p4.pkl'), os.path.join(out, 'sample_p4.pkl.lz4')], check=True)
    # joblib < 1.2 (no padding), and joblib writing to an unseekable file (padding key = None).
    saved = numpy_pickle.NumpyPickler._create_array_wrapper
    numpy_pickle.NumpyPickler._create_array_wrapper = without_padding()
    try:
        joblib.dump(value, os.path.join(out, 'sample_old.pkl'), protocol=2)
        joblib.dump(value, os.path.join(out, 'sample_old.pkl.gz'), compress=('gzip', 3), protocol=2)
    finally:
        numpy_pickle.NumpyPickler._create_array_wrapper = saved

    class Unseekable(io.RawIOBase):
        def __init__(self, f): self.f = f
        def writable(self): return True
        def write(self, b): return self.f.write(b)
        def tell(self): raise io.UnsupportedOperation
    with open(os.path.join(out, 'sample_unseekable.pkl'), 'wb') as f:
        joblib.dump(value, Unseekable(f))

    # A small file for truncation and corruption tests.
    small = {'a': np.arange(10, dtype='float32'), 'b': [1, 'two', None], 'c': 2**40}
    joblib.dump(small, os.path.join(out, 'small.pkl'))
    joblib.dump(small, os.path.join(out, 'small.pkl.gz'), compress=('gzip', 3))

    # Hostile pickles: loading them in Python would run a command.
    marker = os.path.join(out, 'PWNED')

    class Evil:
        def __reduce__(self):
            return (os.system, ('touch ' + marker,))
    for proto in (2, 4):
        with open(os.path.join(out, f'evil_p{proto}.pkl'), 'wb') as f:
            pickle.dump({'x': Evil()}, f, protocol=proto)
    with open(os.path.join(out, 'evil_eval.pkl'), 'wb') as f:
        f.write(b'\x80\x02cbuiltins\neval\nX\x0a\x00\x00\x00print(1+1)\x85R.')

    # npy: every dtype, both orders, both byte orders, header versions 1-3.
    for name in NUMERIC_DTYPES:
        np.save(os.path.join(out, f'{name}.npy'), arange(name))
    for key, a in arrays().items():
        np.save(os.path.join(out, f'arr_{key}.npy'), a)
    for version in ((1, 0), (2, 0), (3, 0)):
        with open(os.path.join(out, f'v{version[0]}.npy'), 'wb') as f:
            np.lib.format.write_array(f, arange('float64', (4, 5)), version=version)
    # npz: stored, deflated, and zip64 records forced.
    np.savez(os.path.join(out, 'arrays.npz'), **arrays())
    np.savez_compressed(os.path.join(out, 'arrays_compressed.npz'), **arrays())
    with zipfile.ZipFile(os.path.join(out, 'arrays_zip64.npz'), 'w') as z:
        for key, a in arrays().items():
            with z.open(key + '.npy', 'w', force_zip64=True) as m:
                np.lib.format.write_array(m, a)


# --- checking what brine wrote ------------------------------------------------

def expected_after_brine(v):
    """What joblib.load returns for a file brine wrote from sample(): brine has
    no set or numpy scalar, and object arrays became lists; tuples stay
    tuples (format 1.1), bytearrays bytearrays (1.3)."""
    if isinstance(v, tuple):
        return tuple(expected_after_brine(x) for x in v)
    if isinstance(v, (list, set, frozenset)):
        return [expected_after_brine(x) for x in v]
    if isinstance(v, dict):
        return {k: expected_after_brine(x) for k, x in v.items()}
    if isinstance(v, np.ndarray) and v.dtype == object:
        return expected_after_brine(v.tolist())
    if isinstance(v, np.generic):
        return v.item()
    return v


def same(a, b, path='root'):
    if isinstance(b, np.ndarray):
        if not isinstance(a, np.ndarray):
            raise AssertionError(f'{path}: expected an array, got {type(a).__name__}')
        if a.dtype.newbyteorder('=') != b.dtype.newbyteorder('=') or a.shape != b.shape:
            raise AssertionError(f'{path}: {a.dtype}{a.shape} != {b.dtype}{b.shape}')
        if not np.array_equal(a, b):
            raise AssertionError(f'{path}: elements differ: {a} != {b}')
        if b.ndim > 1 and b.flags.f_contiguous and not b.flags.c_contiguous and not a.flags.f_contiguous:
            raise AssertionError(f'{path}: Fortran order was lost')
        return
    if type(a) is not type(b):
        raise AssertionError(f'{path}: type {type(a).__name__} != {type(b).__name__} ({a!r} vs {b!r})')
    if isinstance(b, dict):
        if list(a.keys()) != list(b.keys()):
            raise AssertionError(f'{path}: keys {list(a.keys())} != {list(b.keys())}')
        for k in b:
            same(a[k], b[k], f'{path}[{k!r}]')
    elif isinstance(b, (list, tuple)):
        if len(a) != len(b):
            raise AssertionError(f'{path}: length {len(a)} != {len(b)}')
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f'{path}[{i}]')
    elif isinstance(b, float) and b != b:
        if a == a:
            raise AssertionError(f'{path}: {a} is not nan')
    elif a != b:
        raise AssertionError(f'{path}: {a!r} != {b!r}')


def check(paths):
    for path in paths:
        name = os.path.basename(path)
        if name.endswith('.npy'):
            key = name[len('arr_'):-len('.npy')] if name.startswith('arr_') else None
            same(np.load(path), arrays()[key], name)
        elif name.endswith('.npz'):
            with zipfile.ZipFile(path) as z:
                bad = z.testzip()
                if bad:
                    raise AssertionError(f'{name}: member {bad} has a bad CRC')
                if 'zip64' in name and not any(i.extra for i in z.infolist()):
                    raise AssertionError(f'{name}: no zip64 extra fields')
            with np.load(path) as z:
                got = {k: z[k] for k in z.files}
            same(got, arrays(), name)
        elif name.startswith('struct'):
            got = joblib.load(path)
            same(got, {'name': 'net', 'losses': np.array([0.5, 0.25]), 'weights': arange('float32', (2, 3)),
                       'tags': {'a': 1, 'b': 2}}, name)
        else:
            same(joblib.load(path), expected_after_brine(sample()), name)
        print('ok', name)


if __name__ == '__main__':
    if sys.argv[1] == 'make':
        make(sys.argv[2])
    elif sys.argv[1] == 'check':
        try:
            check(sys.argv[2:])
        except AssertionError as e:
            print('MISMATCH', e)
            sys.exit(1)
    else:
        sys.exit('usage: fixtures.py make DIR | check FILE...')
