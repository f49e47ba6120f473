"""brine: one file per object tree, the standard codecs, zero-copy numpy arrays.

    import brine
    brine.dump({"w": np.ones((3, 4)), "meta": ("run", 7)}, "x.brine.zst")
    obj = brine.load("x.brine.zst")
    arr = brine.load("x.brine", mmap_mode="r")["w"]         # a view of the mapped file
    w = brine.open("x.brine")["layers"][3]["w"].load()      # reads only that entry

    with brine.frozen_map_builder("ids.brinemap") as b:     # a read-only dict in a file
        b.add("key", np.ones(64, dtype="float32"))
    m = brine.frozen_map("ids.brinemap")                    # shared by processes through mmap

The same files are read and written by the C++ library (brine::load,
brine::dump) and the `brine` command line tool. Every error brine reports is a
brine.Error (a ValueError) with the C++ library's message.
"""
import os as _os
from collections.abc import ItemsView as _ItemsView
from collections.abc import Mapping as _Mapping
from collections.abc import ValuesView as _ValuesView

from ._brine import (  # noqa: F401
    CorruptError,
    Entry,
    Error,
    FormatError,
    IOError,
    LimitError,
    TruncatedError,
    TypeError,
    UnsupportedError,
    VerifyReport,
    dump,
    load,
    open,
)
from . import _brine

__all__ = [
    "Error", "dump", "load", "open", "verify", "identify", "joblib_load", "joblib_dump",
    "PyObject", "FileIdentity", "frozen_map", "frozen_map_builder",
]


class FileIdentity:
    """What brine.identify says of a file: format ('brine', 'joblib', 'npy',
    'npz'), codec ('none', 'gzip', 'zstd', ...), format version and size."""

    __slots__ = ("format", "codec", "major", "minor", "file_size")

    def __init__(self, format, codec, major, minor, file_size):
        self.format, self.codec, self.major, self.minor, self.file_size = format, codec, major, minor, file_size

    @property
    def version(self):
        return (self.major, self.minor)

    def __getitem__(self, key):
        return getattr(self, key)

    def __eq__(self, other):
        return isinstance(other, FileIdentity) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self):
        return "FileIdentity(format=%r, codec=%r, version=%d.%d, file_size=%d)" % (
            self.format, self.codec, self.major, self.minor, self.file_size)


def identify(path):
    """Which kind of file is this? Reads only its first bytes."""
    return FileIdentity(**_brine.identify(path))


def verify(path, threads=None, raise_errors=True):
    """Checks every byte of a brine file (codec checks, array checksums,
    structure, table of contents) in bounded memory.

    Returns a VerifyReport (true when the file is sound). A file with a
    problem raises brine.Error with the C++ message, or, with
    raise_errors=False, returns the report with ok False and the message."""
    report = _brine.verify_report(path, threads)
    if not report.ok and raise_errors:
        raise Error(report.message)
    return report


class PyObject:
    """A Python object that a joblib/pickle file holds but brine does not
    rebuild: loading runs no code, so the class is named, not imported.

    module, qualname: where the class lives ("sklearn.linear_model", "LogisticRegression");
    args, kwargs:     what its constructor was given (REDUCE / NEWOBJ);
    state:            what __setstate__ or BUILD would receive (has_state: whether
                      there was a BUILD at all, as its state may be None);
    listitems, dictitems: items appended or set after construction;
    build:            how the pickle built it: "REDUCE", "NEWOBJ", "NEWOBJ_EX",
                      "INST", "OBJ", or "GLOBAL" for the class itself.

    brine.dump and brine.joblib_dump write it back as the object node it came
    from, so a joblib file read with joblib_load and written with joblib_dump
    loads in joblib as the original object."""

    __slots__ = ("module", "qualname", "args", "kwargs", "state", "listitems", "dictitems", "build", "has_state")

    def __init__(self, module, qualname, args=(), kwargs=None, state=None, listitems=None, dictitems=None,
                 build="REDUCE", has_state=None):
        self.module, self.qualname = module, qualname
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.state = state
        self.listitems = list(listitems or [])
        self.dictitems = dict(dictitems or {})
        self.build = build
        self.has_state = state is not None if has_state is None else bool(has_state)

    def __eq__(self, other):
        return isinstance(other, PyObject) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self):
        return "brine.PyObject(%s.%s, args=%r, state=%r)" % (self.module, self.qualname, self.args, self.state)


def joblib_load(path, mmap_mode=None):
    """Reads a joblib file (joblib >= 0.10, any of its codecs) without running
    any code: nothing is imported or called. numpy arrays, and with mmap_mode
    on an uncompressed file they are views of the mapping. Classes outside
    brine's data types come back as brine.PyObject: named, never imported."""
    return _brine.joblib_load(path, mmap_mode)


def joblib_dump(obj, path, codec=None, level=None, threads=None, protocol=4):
    """Writes obj as a file Python's joblib.load reads; the codec comes from
    the extension as in joblib (.z, .gz, .bz2, .lzma, .xz, .lz4)."""
    _brine.joblib_dump(obj, path, codec, level, threads, protocol)


class frozen_map(_Mapping):
    """A read-only dict in a file, built by brine.frozen_map_builder (or the
    C++ brine::frozen_map_builder, or `brine convert dict.pkl x.brinemap`).

    Opening maps the file and checks its header and trailer, in O(1) time
    whatever its size; a lookup hashes the key and reads one index slot and
    one entry from the mapping. Processes that open the same file (or inherit
    the object through fork, or receive it pickled: it pickles as its path)
    share one copy of it in the page cache.

    Keys are str, bytes and int (numpy integers too; True is the key 1, as in
    a dict); looking up a key of another type finds nothing. Values are what
    brine.load returns; arrays are read-only numpy views of the mapping
    (mmap_mode="c": writeable, copy-on-write) that keep it mapped for as long
    as they live. A corrupt file raises brine.Error. The object may be used by
    several threads at once: lookups run without the GIL."""

    __slots__ = ("_m", "path", "mmap_mode", "_abspath")

    def __init__(self, path, mmap_mode="r"):
        self.path = _os.fspath(path)
        self._abspath = _os.path.abspath(self.path)
        self.mmap_mode = mmap_mode
        self._m = _brine.FrozenMap(self.path, mmap_mode)

    def __getitem__(self, key):
        return self._m[key]

    def get(self, key, default=None):
        return self._m.get(key, default)

    def __contains__(self, key):
        return key in self._m

    def __len__(self):
        return len(self._m)

    def __iter__(self):
        return self._m.keys_iter()

    def items(self):
        return _FrozenItems(self)

    def values(self):
        return _FrozenValues(self)

    def verify(self):
        """Reads every byte of the file: its checksums, every entry and every
        index slot. Raises brine.Error naming the first problem."""
        self._m.verify()

    @property
    def file_size(self):
        return self._m.file_size

    def __reduce__(self):
        # Pickled as its path, reopened by the receiver (multiprocessing's
        # spawn, dask workers): each process maps the same file.
        return (frozen_map, (self._abspath, self.mmap_mode))

    def __repr__(self):
        return "brine.frozen_map(%r, %d keys)" % (self.path, len(self._m))


class _FrozenItems(_ItemsView):
    __slots__ = ()

    def __iter__(self):
        return self._mapping._m.items_iter()  # one pass over the file, no lookups


class _FrozenValues(_ValuesView):
    __slots__ = ()

    def __iter__(self):
        return self._mapping._m.values_iter()


class frozen_map_builder:
    """Writes a frozen map file: add keys and values in any order, then the
    index is built and the file renamed into place at the end of the with
    block (or by finish()). Leaving the block by an exception, abort(), or
    dropping the builder unfinished leaves the target as it was.

        with brine.frozen_map_builder("ids.brinemap", memory_limit=512 << 20) as b:
            b.add("key", value)
            b.update(some_dict)

    memory_limit: memory for the index while building (beyond it, sorted runs
        go to an unlinked temporary file); None is 256 MiB.
    on_duplicate: "error" (finishing raises brine.Error naming the key) or
        "last_wins" (the value added last is the one found).
    compress_above: values of at least this many bytes are stored
        zstd-compressed at `level` (0: never); arrays only with
        compress_arrays=True (they are then copies, not views).
    durable: fsync before the rename. temp_dir: where spill files go.

    Values are anything brine.dump accepts. Values with large arrays, and the
    finish, are written without the GIL."""

    __slots__ = ("_b", "path")

    def __init__(self, path, memory_limit=None, on_duplicate="error", compress_above=0, compress_arrays=False,
                 level=3, durable=True, temp_dir=None):
        self.path = _os.fspath(path)
        self._b = _brine.FrozenMapBuilder(self.path, memory_limit, on_duplicate, compress_above, compress_arrays,
                                          level, durable, temp_dir)

    def add(self, key, value):
        """Adds one key (str, bytes or int) and its value."""
        self._b.add(key, value)

    def update(self, other=(), **kwargs):
        """Adds every item of a mapping, or of an iterable of (key, value)
        pairs, then the keyword arguments, as dict.update does."""
        add = self._b.add
        if isinstance(other, _Mapping) or isinstance(other, dict):
            for key, value in other.items():
                add(key, value)
        elif hasattr(other, "keys"):
            for key in other.keys():
                add(key, other[key])
        else:
            for key, value in other:
                add(key, value)
        for key, value in kwargs.items():
            add(key, value)

    def finish(self):
        """Builds the index and renames the file into place (atomic). The
        builder is closed afterwards, whether this succeeds or not."""
        self._b.finish()

    def abort(self):
        """Closes the builder without writing the map."""
        self._b.abort()

    @property
    def added(self):
        """Values added so far, duplicates included."""
        return self._b.added

    @property
    def closed(self):
        return self._b.closed

    def __len__(self):
        return self._b.added

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self._b.finish()
        else:
            self._b.abort()
        return False

    def __repr__(self):
        return "brine.frozen_map_builder(%r, %d added%s)" % (self.path, self._b.added, ", closed" if self._b.closed else "")
