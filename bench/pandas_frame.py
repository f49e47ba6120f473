"""brine on a pandas DataFrame pickle (issue 12): `brine ls`, `brine cat` of
one column, `brine convert` to brine, against Python's joblib.load of the
same file, side by side in one run.

    /usr/bin/python3 bench/pandas_frame.py BRINE_CLI [--rows N] [--dir DIR]

The default of 3,000,000 rows makes a ~100 MB file: int64, float64,
float64, datetime64[ns], and in a first run a column of short strings (an
object block, which joblib writes as a nested pickle of Python strings). Times are the best of --repeat runs, each a fresh
process (the file stays in the page cache).
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import joblib
import numpy as np
import pandas as pd


def best_of(repeat, argv):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('brine')
    ap.add_argument('--rows', type=int, default=3_000_000)
    ap.add_argument('--repeat', type=int, default=3)
    ap.add_argument('--dir', default=None)
    a = ap.parse_args()
    d = a.dir or tempfile.mkdtemp(prefix='brine-pandas-')
    rng = np.random.default_rng(0)
    n = a.rows
    columns = {'id': np.arange(n, dtype=np.int64), 'x': rng.random(n), 'y': rng.random(n),
               'when': pd.date_range('2020-01-01', periods=n, freq='s')}
    # With a column of short strings (an object block: a nested pickle of
    # n Python strings), and without it (numeric and datetime blocks only).
    for label, extra in (('with a string column', {'name': np.array([f'n{i % 1000}' for i in range(n)], dtype=object)}),
                         ('numbers and dates only', {})):
        path = os.path.join(d, 'frame.joblib')
        frame = pd.DataFrame({**columns, **extra}, index=pd.RangeIndex(n, name='row'))
        joblib.dump(frame, path)
        size = os.path.getsize(path)
        # The 'x' column: block 1 (the float64 block holding x and y), its values' row 0.
        rows = [
            ('joblib.load (Python)', [sys.executable, '-c', f'import joblib; joblib.load({path!r})']),
            ('brine ls', [a.brine, 'ls', path]),
            ('brine cat one column (_mgr/0/0/1/0)', [a.brine, 'cat', path, '_mgr/0/0/1/0']),
            ('brine convert to .brine', [a.brine, 'convert', path, os.path.join(d, 'frame.brine')]),
        ]
        print(f'DataFrame of {n} rows {label}, file {size / 1e6:.1f} MB ({path})')
        base = None
        for what, argv in rows:
            t = best_of(a.repeat, argv)
            base = base or t
            print(f'  {what:40s} {t:8.3f} s   {t / base:5.2f}x joblib.load')


if __name__ == '__main__':
    main()
