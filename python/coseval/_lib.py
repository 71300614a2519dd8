"""Finding and loading libcoseval.so, and its ctypes bindings (the functions of include/coseval.h)."""

import ctypes
import ctypes.util
import os
import sys
import threading

SONAME = "libcoseval.so.1"
ERROR_SIZE = 2048

OK = 0
NO = 1
USAGE = 2
INPUT = 3
DB = 4
INTERNAL = 5


class CosevalError(Exception):
    """A call into libcoseval failed: .status is the library's status (the coseval exit codes:
    2 usage, 3 bad input, 5 internal) and .message its one-line explanation."""

    def __init__(self, message, status=INTERNAL):
        super().__init__(message)
        self.status = status
        self.message = message

    def __reduce__(self):
        return (type(self), (self.message, self.status))


class UsageError(CosevalError, ValueError):
    """A bad argument (status 2): an unknown profile, an invalid answer pattern, bad threads, a closed grader."""


class InputError(CosevalError, ValueError):
    """Bad input data (status 3): text that is not valid UTF-8 (a str with lone surrogates), a NUL character
    in an answer."""


class InternalError(CosevalError):
    """The library failed (status 5): memory exhausted, a thread could not start, a PCRE2 failure."""


class LibraryNotFoundError(CosevalError, OSError):
    """libcoseval.so.1 could not be found or loaded; the message lists every place tried."""


_ERROR_CLASSES = {USAGE: UsageError, INPUT: InputError, INTERNAL: InternalError}


def error_for(status, message):
    """The exception for a failed call: the subclass of CosevalError that matches status."""
    return _ERROR_CLASSES.get(status, CosevalError)(message, status)


class Error(ctypes.Structure):
    _fields_ = [("status", ctypes.c_int), ("message", ctypes.c_char * ERROR_SIZE)]


class CVerdict(ctypes.Structure):
    _fields_ = [("answer", ctypes.c_void_p), ("canonical", ctypes.c_void_p), ("verdict", ctypes.c_void_p),
                ("rule", ctypes.c_void_p), ("reason", ctypes.c_void_p)]


VERDICT_SIZE = ctypes.sizeof(CVerdict)
VERDICT_WORDS = VERDICT_SIZE // ctypes.sizeof(ctypes.c_size_t)

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_I = ctypes.c_int
_SIGNATURES = {
    "coseval_version": (_S, []),
    "coseval_grader_version": (_S, []),
    "coseval_grader_new": (_I, [_S, _S, _P, _P]),
    "coseval_grader_free": (None, [_P]),
    "coseval_grader_profile": (_S, [_P]),
    "coseval_extract": (_I, [_P, _S, ctypes.c_size_t, ctypes.c_uint, _P, _P, _P]),
    "coseval_canonical": (_I, [_S, _S, _P, _P]),
    "coseval_compare": (_I, [_S, _S, _S, _P, _P, _P]),
    "coseval_grade": (_I, [_P, _S, _S, ctypes.c_size_t, ctypes.c_uint, _P, _P]),
    "coseval_grade_many": (_I, [_P, ctypes.c_size_t, _P, _P, _P, _I, _P, _P]),
    "coseval_grade_many_packed": (_I, [_P, ctypes.c_size_t, _P, _P, _P, _P, _P, _I, _P, _P, _P]),
    "coseval_verdict_clear": (None, [_P]),
    "coseval_free": (None, [_P]),
}


def _package_dir():
    return os.path.dirname(os.path.abspath(__file__))


def candidates():
    """Yields the places searched for the library, in order, as (description, path or name or None, is_file).
    COSEVAL_LIBRARY is not among them: when it is set, it is the only place tried."""
    pkg = _package_dir()
    libdir = os.path.normpath(os.path.join(os.path.dirname(pkg), "..", ".."))
    yield "installed layout", os.path.join(libdir, SONAME), True
    multiarch = getattr(sys.implementation, "_multiarch", None)
    if multiarch:
        yield "installed layout (multiarch)", os.path.join(libdir, multiarch, SONAME), True
    build = os.environ.get("COSEVAL_BUILD")
    if build:
        yield "COSEVAL_BUILD", os.path.join(build, SONAME), True
    yield "build tree", os.path.normpath(os.path.join(pkg, "..", "..", "build", SONAME)), True
    yield "ctypes.util.find_library('coseval')", ctypes.util.find_library("coseval"), False
    yield "the dynamic loader's search path", SONAME, False


def _bind(cdll):
    for name, (restype, argtypes) in _SIGNATURES.items():
        fn = getattr(cdll, name)
        fn.restype = restype
        fn.argtypes = argtypes
    return cdll


def _open(path):
    return _bind(ctypes.CDLL(path))


def load():
    """Loads libcoseval: COSEVAL_LIBRARY when set (and only it), else the first of candidates() that loads.
    Returns (CDLL, path). Raises LibraryNotFoundError naming every place tried and why it failed."""
    env = os.environ.get("COSEVAL_LIBRARY")
    if env:
        try:
            return _open(env), env
        except (OSError, AttributeError) as e:
            raise LibraryNotFoundError("cannot load libcoseval from COSEVAL_LIBRARY=%s: %s" % (env, e)) from None
    tried = []
    for what, where, is_file in candidates():
        if where is None:
            tried.append("%s: nothing found" % what)
            continue
        if is_file and not os.path.exists(where):
            tried.append("%s: %s: no such file" % (what, where))
            continue
        try:
            return _open(where), where
        except (OSError, AttributeError) as e:
            tried.append("%s: %s: %s" % (what, where, e))
    raise LibraryNotFoundError(
        "libcoseval (%s) not found; set COSEVAL_LIBRARY to its path, or COSEVAL_BUILD to a build directory. "
        "Tried: COSEVAL_LIBRARY: not set; %s" % (SONAME, "; ".join(tried)))


_lock = threading.Lock()
_loaded = None


def lib():
    """The loaded library (loaded on first use) and its path."""
    global _loaded
    if _loaded is None:
        with _lock:
            if _loaded is None:
                _loaded = load()
    return _loaded
