"""Fixtures and checks for the joblib files people actually have (issue 12),
with Debian's /usr/bin/python3: numpy, joblib, scikit-learn, pandas.

    wild.py make DIR             writes the fixtures into DIR
    wild.py same SRC OUT...      joblib.load(OUT) equals joblib.load(SRC)
    wild.py predicts-same SRC OUT...   the models predict the same on the training data
    wild.py frames-equal SRC OUT...    DataFrame.equals, same index name and dtypes
"""
import os
import sys

import joblib
import numpy as np


def make_big(out):
    # Several compressed blocks with every codec (xz's blocks are 4 MiB).
    rng = np.random.default_rng(12)
    joblib.dump([np.ones((1000, 1000)), rng.random((500, 1000)), {'n': 3, 's': 'text'}],
                os.path.join(out, 'big.pkl'))


def training_data():
    rng = np.random.default_rng(7)
    X = rng.random((80, 4))
    y = (X[:, 0] + X[:, 1] > 1).astype(int)
    return X, y


def frame():
    import pandas as pd
    return pd.DataFrame({'i': np.arange(6, dtype=np.int64), 'f': np.linspace(0, 1, 6), 's': list('abcdef')},
                        index=pd.Index([10, 11, 12, 13, 14, 15], name='idx'))


def make_models(out):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler
    X, y = training_data()
    joblib.dump(LogisticRegression().fit(X, y), os.path.join(out, 'lr.joblib'))
    pipe = Pipeline([('scale', StandardScaler()),
                     ('forest', RandomForestClassifier(n_estimators=4, max_depth=3, random_state=0))])
    joblib.dump(pipe.fit(X, y), os.path.join(out, 'pipe.joblib'), compress=('gzip', 3))
    joblib.dump(frame(), os.path.join(out, 'frame.joblib'))


def make(out):
    os.makedirs(out, exist_ok=True)
    make_big(out)
    make_models(out)


def equal(a, b, path='root'):
    if isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray), f'{path}: {type(a).__name__} is not an array'
        assert a.dtype == b.dtype and a.shape == b.shape, f'{path}: {a.dtype}{a.shape} != {b.dtype}{b.shape}'
        assert np.array_equal(a, b), f'{path}: elements differ'
        return
    assert type(a) is type(b), f'{path}: {type(a).__name__} != {type(b).__name__}'
    if isinstance(b, dict):
        assert list(a) == list(b), f'{path}: keys {list(a)} != {list(b)}'
        for k in b:
            equal(a[k], b[k], f'{path}[{k!r}]')
    elif isinstance(b, (list, tuple)):
        assert len(a) == len(b), f'{path}: length {len(a)} != {len(b)}'
        for i, (x, y) in enumerate(zip(a, b)):
            equal(x, y, f'{path}[{i}]')
    else:
        assert a == b, f'{path}: {a!r} != {b!r}'


def one_deflate_stream(path, wbits):
    """joblib's reader stops after the first gzip member and then grows
    without bound: check there is exactly one before letting joblib try."""
    import zlib
    d = zlib.decompressobj(wbits)
    with open(path, 'rb') as f:
        while chunk := f.read(1 << 20):
            if d.eof:
                break
            d.decompress(chunk)
        rest = f.read(1)
    assert d.eof and not d.unused_data and not rest, f'{path}: more than one {"gzip member" if wbits > 16 else "zlib stream"}'


def same(src, outs):
    expected = joblib.load(src)
    for out in outs:
        if out.endswith('.gz'):
            one_deflate_stream(out, 31)
        elif out.endswith('.z'):
            one_deflate_stream(out, 15)
        equal(joblib.load(out), expected, os.path.basename(out))
        print('ok', os.path.basename(out))


def predicts_same(src, outs):
    X, _ = training_data()
    expected = joblib.load(src)
    for out in outs:
        got = joblib.load(out)
        assert type(got) is type(expected), f'{out}: {type(got).__name__} != {type(expected).__name__}'
        assert np.array_equal(got.predict(X), expected.predict(X)), f'{out}: predictions differ'
        assert np.array_equal(got.predict_proba(X), expected.predict_proba(X)), f'{out}: probabilities differ'
        print('ok', os.path.basename(out))


def frames_equal(src, outs):
    expected = joblib.load(src)
    for out in outs:
        got = joblib.load(out)
        assert got.equals(expected), f'{out}: DataFrame.equals is False:\n{got}\n{expected}'
        assert got.index.name == expected.index.name and list(got.dtypes) == list(expected.dtypes), f'{out}: index or dtypes differ'
        print('ok', os.path.basename(out))


if __name__ == '__main__':
    try:
        if sys.argv[1] == 'make':
            make(sys.argv[2])
        elif sys.argv[1] == 'same':
            same(sys.argv[2], sys.argv[3:])
        elif sys.argv[1] == 'predicts-same':
            predicts_same(sys.argv[2], sys.argv[3:])
        elif sys.argv[1] == 'frames-equal':
            frames_equal(sys.argv[2], sys.argv[3:])
        else:
            sys.exit(__doc__)
    except AssertionError as e:
        print('MISMATCH', e)
        sys.exit(1)
