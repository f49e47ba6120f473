"""brine: one file per object tree, the standard codecs, zero-copy numpy arrays.

    import brine
    brine.dump({"w": np.ones((3, 4)), "meta": ("run", 7)}, "x.brine.zst")
    obj = brine.load("x.brine.zst")
    arr = brine.load("x.brine", mmap_mode="r")["w"]         # a view of the mapped file
    w = brine.open("x.brine")["layers"][3]["w"].load()      # reads only that entry

The same files are read and written by the C++ library (brine::load,
brine::dump) and the `brine` command line tool. Every error brine reports is a
brine.Error (a ValueError) with the C++ library's message.
"""
from collections.abc import Mapping as _Mapping

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
    "PyObject", "FileIdentity",
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
    state:            what __setstate__ or BUILD would receive;
    listitems, dictitems: items appended or set after construction."""

    __slots__ = ("module", "qualname", "args", "kwargs", "state", "listitems", "dictitems")

    def __init__(self, module, qualname, args=(), kwargs=None, state=None, listitems=None, dictitems=None):
        self.module, self.qualname = module, qualname
        self.args = tuple(args)
        self.kwargs = dict(kwargs or {})
        self.state = state
        self.listitems = list(listitems or [])
        self.dictitems = dict(dictitems or {})

    def __eq__(self, other):
        return isinstance(other, PyObject) and all(getattr(self, k) == getattr(other, k) for k in self.__slots__)

    def __repr__(self):
        return "brine.PyObject(%s.%s, args=%r, state=%r)" % (self.module, self.qualname, self.args, self.state)


def joblib_load(path, mmap_mode=None):
    """Reads a joblib file (joblib >= 0.10, any of its codecs) without running
    any code: nothing is imported or called. numpy arrays, and with mmap_mode
    on an uncompressed file they are views of the mapping. Classes outside
    brine's data types come back as brine.PyObject once brine's format has an
    object node; until then such a file raises brine.UnsupportedError naming
    the class."""
    return _brine.joblib_load(path, mmap_mode)


def joblib_dump(obj, path, codec=None, level=None, threads=None, protocol=4):
    """Writes obj as a file Python's joblib.load reads; the codec comes from
    the extension as in joblib (.z, .gz, .bz2, .lzma, .xz, .lz4)."""
    _brine.joblib_dump(obj, path, codec, level, threads, protocol)
