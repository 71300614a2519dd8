"""coseval: grade final answers of model samples (extract, canonicalise, compare) through libcoseval, and read
coseval reports.

    >>> import coseval
    >>> bool(coseval.check("\\\\frac{1}{2}", "0.5"))
    True
    >>> coseval.grade("18", "so she makes $\\\\boxed{18}$ a day").verdict
    'correct'

Every function takes str (encoded as UTF-8) and raises TypeError for anything else. A failed call raises
CosevalError (.status, .message: the library's explanation); UsageError (status 2: unknown profile, bad
answer pattern, bad threads) and InputError (status 3: invalid input) are also ValueErrors. A str holding a
lone surrogate is not valid UTF-8: it raises InputError, with the library's message naming the byte; a NUL
character in a gold or predicted answer raises InputError too (texts may hold NUL).

The library is found, in order: COSEVAL_LIBRARY (a path; when set, nothing else is tried), the installed
layout (<libdir>/libcoseval.so.1 for a package in <libdir>/python3/dist-packages), COSEVAL_BUILD (a build
directory), the build tree next to this source (../../build), ctypes.util.find_library("coseval"), then
libcoseval.so.1 on the loader's path. It is loaded on first use: read_report needs no library.

Threads: the functions may be called from several threads at once (the library releases the GIL while it
grades); a Grader must not be closed while another thread uses it.
"""

import array
import ctypes
import functools
import itertools
import re
import sys
import threading
from typing import NamedTuple, Optional

from . import _lib
from ._lib import (CosevalError, InputError, InternalError, LibraryNotFoundError, UsageError)
from ._report import read_report

__version__ = "0.2.0"

__all__ = [
    "check", "extract", "canonical", "grade", "grade_many", "Grader", "version", "grader_version",
    "library_path", "read_report", "CheckResult", "Extraction", "Verdict", "CosevalError", "UsageError",
    "InputError", "InternalError", "LibraryNotFoundError", "PROFILES",
]

PROFILES = ("math", "gsm8k", "generic")
STOPPED = 1


class CheckResult(NamedTuple):
    """The comparison of a gold answer with a predicted one; bool(result) is result.equal."""
    equal: bool
    reason: str

    def __bool__(self):
        return self.equal


class Extraction(NamedTuple):
    """The final answer found in a text (None when there is none) and the rule that found it ("none")."""
    answer: Optional[str]
    rule: str


class Verdict(NamedTuple):
    """One graded text: its answer and canonical form (None when no answer), the verdict ("correct", "wrong"
    or "no-answer"), the extraction rule that fired and the reason for the verdict."""
    answer: Optional[str]
    canonical: Optional[str]
    verdict: str
    rule: str
    reason: str

    @property
    def correct(self):
        return self.verdict == "correct"


class _Calls:
    """The bound library functions, looked up once."""

    def __init__(self):
        cdll, self.path = _lib.lib()
        self.version = cdll.coseval_version
        self.grader_version = cdll.coseval_grader_version
        self.grader_new = cdll.coseval_grader_new
        self.grader_free = cdll.coseval_grader_free
        self.grader_profile = cdll.coseval_grader_profile
        self.extract = cdll.coseval_extract
        self.canonical = cdll.coseval_canonical
        self.compare = cdll.coseval_compare
        self.grade = cdll.coseval_grade
        self.grade_many = cdll.coseval_grade_many
        self.grade_many_packed = cdll.coseval_grade_many_packed
        self.verdict_clear = cdll.coseval_verdict_clear
        self.free = cdll.coseval_free


_calls = None
_calls_lock = threading.Lock()


def _c():
    global _calls
    if _calls is None:
        with _calls_lock:
            if _calls is None:
                _calls = _Calls()
    return _calls


class _Buffers(threading.local):
    """Per-thread out-parameters and error buffer, with their addresses, reused by every call."""

    def __init__(self):
        self.err = _lib.Error()
        self.err_addr = ctypes.addressof(self.err)
        self.int = ctypes.c_int()
        self.int_addr = ctypes.addressof(self.int)
        self.p1 = ctypes.c_void_p()
        self.p1_addr = ctypes.addressof(self.p1)
        self.p2 = ctypes.c_void_p()
        self.p2_addr = ctypes.addressof(self.p2)
        self.verdict = _lib.CVerdict()
        self.verdict_addr = ctypes.addressof(self.verdict)


_buf = _Buffers()
_string_at = ctypes.string_at
_tuple_new = tuple.__new__

# Static strings of the library (rules, reasons, verdicts) by address: they live as long as the library.
_static_strings = {}


def _static(addr):
    if not addr:
        return ""
    s = _static_strings.get(addr)
    if s is None:
        s = _string_at(addr).decode("utf-8", "replace")
        _static_strings[addr] = s
    return s


def _raise(err):
    raise _lib.error_for(err.status, err.message.decode("utf-8", "replace"))


def _encode(x, what):
    """x as NUL-terminated UTF-8 for a C string argument."""
    if not isinstance(x, str):
        raise TypeError("%s must be str, not %s" % (what, type(x).__name__))
    b = x.encode("utf-8", "surrogatepass")
    if b"\0" in b:
        raise InputError("%s contains a NUL character" % what, _lib.INPUT)
    return b


def _encode_text(x):
    if not isinstance(x, str):
        raise TypeError("text must be str, not %s" % type(x).__name__)
    return x.encode("utf-8", "surrogatepass")


_profile_bytes = {p: p.encode() for p in PROFILES}


def _profile(p):
    b = _profile_bytes.get(p) if isinstance(p, str) else None
    return b if b is not None else _encode(p, "profile")


def _utf8_reader():
    """A function from the address of a NUL-terminated UTF-8 string to a str: CPython's PyUnicode_FromString
    when ctypes.pythonapi has it (one call), else ctypes.string_at and decode."""
    try:
        fn = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p)(("PyUnicode_FromString", ctypes.pythonapi))
    except (AttributeError, OSError):
        return lambda addr: _string_at(addr).decode("utf-8")
    return fn


_from_utf8 = _utf8_reader()


def _take(ptr, free):
    """The str of a malloc'd C string (None for NULL), which is freed."""
    if not ptr:
        return None
    try:
        return _from_utf8(ptr)
    finally:
        free(ptr)


_SIZE_CODE = next(code for code in ("Q", "L", "I") if array.array(code).itemsize == ctypes.sizeof(ctypes.c_size_t))


def _packed_reader():
    """A function from (address, length) of the packed verdicts of coseval_grade_many_packed to one str: their
    UTF-8 decoded with the separator bytes 0xFF and 0xFE as the lone surrogates U+DCFF and U+DCFE. CPython's
    PyUnicode_DecodeUTF8 when ctypes.pythonapi has it (one call, no copy), else ctypes.string_at and decode."""
    try:
        fn = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_char_p)(
            ("PyUnicode_DecodeUTF8", ctypes.pythonapi))
    except (AttributeError, OSError):
        return lambda addr, n: _string_at(addr, n).decode("utf-8", "surrogateescape")
    return lambda addr, n: fn(addr, n, b"surrogateescape")


_read_packed = _packed_reader()
_SEP = "\udcff"                 # the byte 0xFF that ends every field of a packed verdict
_absent = {"\udcfe": None}.get  # the byte 0xFE: no answer (or canonical form)
_new_verdict = functools.partial(_tuple_new, Verdict)
_intern = sys.intern

_CHUNK = 8192
_CHUNK_MAX = 65536


def _join(thread):
    """Waits for thread (a C call that uses the memory of a chunk) to end, also when interrupted: an exception
    raised while waiting (KeyboardInterrupt) is raised again once the thread has ended."""
    caught = None
    while True:
        try:
            thread.join()
            break
        except BaseException as e:
            caught = e
    if caught is not None:
        raise caught


def _offsets(strings):
    """The n + 1 offsets of the byte strings in b"".join(strings), as an array of size_t."""
    return array.array(_SIZE_CODE, itertools.accumulate(map(len, strings), initial=0))


class _Chunk:
    """Up to _CHUNK pairs, prepared for coseval_grade_many_packed: their golds and texts each in one buffer
    with an array of offsets, the flags, and after run() the packed verdicts (a malloc'd buffer) or the
    error."""

    __slots__ = ("offset", "n", "golds", "gold_offsets", "texts", "text_offsets", "flags", "out", "out_len",
                 "err", "rc")

    def run(self, h, threads):
        flags = self.flags
        self.rc = _calls.grade_many_packed(
            h, self.n, self.golds, self.gold_offsets.buffer_info()[0], self.texts,
            self.text_offsets.buffer_info()[0], flags.buffer_info()[0] if flags is not None else None, threads,
            ctypes.addressof(self.out), ctypes.addressof(self.out_len), ctypes.addressof(self.err))

    def release(self):
        """Frees the packed verdicts when they have not been read (after a failure or an interrupt)."""
        addr, self.out.value = self.out.value, None
        if addr:
            _calls.free(addr)

    def collect(self, results):
        """Appends the verdicts of this chunk to results (freeing the packed buffer), or raises its error."""
        if self.rc:
            err = self.err
            message = err.message.decode("utf-8", "replace")
            m = re.match(r"pair (\d+): ", message)
            if m:
                message = "pair %d: %s" % (self.offset + int(m.group(1)), message[m.end():])
            raise _lib.error_for(err.status, message)
        addr = self.out.value
        try:
            fields = _read_packed(addr, self.out_len.value).split(_SEP) if addr else [""]
        finally:
            self.release()
        if len(fields) != 5 * self.n + 1:
            raise InternalError("coseval_grade_many_packed returned %d fields for %d pairs"
                                % (len(fields) - 1, self.n), _lib.INTERNAL)
        answers = fields[0::5]
        canons = fields[1::5]
        results.extend(map(_new_verdict, zip(map(_absent, answers, answers), map(_absent, canons, canons),
                                             map(_intern, fields[2::5]), map(_intern, fields[3::5]),
                                             map(_intern, fields[4::5]))))


def _split_pairs(items, offset):
    """(golds, texts, stopped) of the pairs items, golds and texts encoded (stopped: a list of bools, or None
    when none is stopped); raises TypeError or InputError for the first pair that is not a (gold, text) or
    (gold, text, stopped) of str, or whose gold holds a NUL."""
    golds = []
    texts = []
    stopped_at = None
    for i, p in enumerate(items):
        if type(p) is tuple:
            m = len(p)
        else:
            try:
                m = len(p) if not isinstance(p, (str, bytes)) else -1
            except TypeError:
                m = -1
        if m == 2:
            gold, text = p
            stopped = False
        elif m == 3:
            gold, text, stopped = p
        else:
            raise TypeError("pair %d: expected (gold, text) or (gold, text, stopped), got %s%s"
                            % (offset + i, type(p).__name__, " of %d items" % m if m >= 0 else ""))
        for what, x in (("gold", gold), ("text", text)):
            if not isinstance(x, str):
                raise TypeError("pair %d: %s must be str, not %s" % (offset + i, what, type(x).__name__))
        g = gold.encode("utf-8", "surrogatepass")
        if b"\0" in g:
            raise InputError("pair %d: gold contains a NUL character" % (offset + i), _lib.INPUT)
        if stopped:
            if stopped_at is None:
                stopped_at = [False] * len(items)
            stopped_at[i] = True
        golds.append(g)
        texts.append(text.encode("utf-8", "surrogatepass"))
    return golds, texts, stopped_at


_UTF8 = itertools.repeat("utf-8")
_SURROGATEPASS = itertools.repeat("surrogatepass")


def _encode_all(strings):
    """The UTF-8 of every str of strings (lone surrogates kept, for the library to reject); TypeError when one
    is not a str."""
    return list(map(str.encode, strings, _UTF8, _SURROGATEPASS))


def _prepare(it, offset, size):
    """The next chunk of at most size pairs from the iterator it (offset: the index of its first pair), or
    None when it is exhausted. Raises TypeError or InputError naming the pair."""
    items = list(itertools.islice(it, size))
    n = len(items)
    if n == 0:
        return None
    g = None
    stopped = None
    if set(map(type, items)) == {tuple}:
        lens = set(map(len, items))
        try:
            if lens == {2}:
                golds, texts = zip(*items)
                g = _encode_all(golds)
                t = _encode_all(texts)
            elif lens == {3}:
                golds, texts, stopped = zip(*items)
                g = _encode_all(golds)
                t = _encode_all(texts)
                stopped = list(map(bool, stopped)) if any(stopped) else None
        except TypeError:
            g = None
    c = _Chunk()
    if g is not None:
        c.golds = b"".join(g)
        if b"\0" in c.golds:
            g = None
    if g is None:
        g, t, stopped = _split_pairs(items, offset)
        c.golds = b"".join(g)
    c.texts = b"".join(t)
    c.gold_offsets = _offsets(g)
    c.text_offsets = _offsets(t)
    c.offset = offset
    c.n = n
    c.flags = array.array("I", stopped) if stopped is not None else None
    c.out = ctypes.c_void_p()
    c.out_len = ctypes.c_size_t()
    c.err = _lib.Error()
    c.rc = 0
    return c


def version():
    """The version of the loaded libcoseval ("0.2.0")."""
    return _c().version().decode()


def grader_version():
    """The version of the library's grading policy ("2.2"): when it changes, a verdict may change."""
    return _c().grader_version().decode()


def library_path():
    """The path (or name) of the libcoseval that was loaded."""
    return _c().path


def check(gold, pred, profile="math"):
    """Compares a gold answer with a predicted answer (both answers, not solutions) under profile.
    Returns CheckResult(equal, reason); bool(result) is equal."""
    c = _calls or _c()
    b = _buf
    if c.compare(_profile(profile), _encode(gold, "gold"), _encode(pred, "pred"), b.int_addr, b.p1_addr,
                 b.err_addr):
        _raise(b.err)
    return _tuple_new(CheckResult, (b.int.value != 0, _static(b.p1.value)))


def canonical(answer, profile="math"):
    """The canonical form of one answer under profile (what identical answers share)."""
    c = _calls or _c()
    b = _buf
    if c.canonical(_profile(profile), _encode(answer, "answer"), b.p1_addr, b.err_addr):
        _raise(b.err)
    return _take(b.p1.value, c.free)


class Grader:
    """One grader of libcoseval for a profile ("math", "gsm8k" or "generic"), optionally with answer_pattern,
    a PCRE2 pattern with a named group (?<answer>...) tried before the built-in extraction rules. Reuse it for
    many calls; close() frees it (also on leaving a with block, or when it is collected)."""

    def __init__(self, profile="math", answer_pattern=None):
        self._handle = None
        c = _c()
        prof = _profile(profile)
        pat = None if answer_pattern is None else _encode(answer_pattern, "answer_pattern")
        b = _buf
        if c.grader_new(prof, pat, b.p1_addr, b.err_addr):
            _raise(b.err)
        self._handle = b.p1.value
        self._free = c.grader_free
        self.profile = c.grader_profile(self._handle).decode()
        self.answer_pattern = answer_pattern

    def __repr__(self):
        state = "closed" if self._handle is None else "open"
        return "<coseval.Grader profile=%r answer_pattern=%r %s>" % (self.profile, self.answer_pattern, state)

    def close(self):
        """Frees the C grader; further calls raise UsageError. Closing twice is harmless."""
        h, self._handle = self._handle, None
        if h is not None:
            self._free(h)

    @property
    def closed(self):
        return self._handle is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass

    def _h(self):
        h = self._handle
        if h is None:
            raise UsageError("the grader is closed", _lib.USAGE)
        return h

    def extract(self, text, stopped=False):
        """The final answer of text: Extraction(answer or None, rule). stopped: the generator stopped the
        text at its length limit, so no answer is read from its last words (a marked answer still counts)."""
        c = _calls
        b = _buf
        t = _encode_text(text)
        if c.extract(self._h(), t, len(t), STOPPED if stopped else 0, b.p1_addr, b.p2_addr, b.err_addr):
            _raise(b.err)
        return _tuple_new(Extraction, (_take(b.p1.value, c.free), _static(b.p2.value)))

    def grade(self, gold, text, stopped=False):
        """Extracts the answer of text and compares it with gold (a gold answer, not a solution): Verdict."""
        c = _calls
        b = _buf
        g = _encode(gold, "gold")
        t = _encode_text(text)
        rc = c.grade(self._h(), g, t, len(t), STOPPED if stopped else 0, b.verdict_addr, b.err_addr)
        v = b.verdict
        try:
            if rc:
                _raise(b.err)
            a = v.answer
            k = v.canonical
            return _tuple_new(Verdict, (
                _from_utf8(a) if a else None,
                _from_utf8(k) if k else None,
                _static(v.verdict), _static(v.rule), _static(v.reason)))
        finally:
            c.verdict_clear(b.verdict_addr)

    def grade_many(self, pairs, threads=0):
        """Grades every (gold, text) or (gold, text, stopped) of pairs in C on `threads` threads (0: one per
        core; at most 64) and returns the list of Verdict in input order, the same as grade one by one.
        A failure raises for the first failing pair ("pair N: ..."); nothing is returned then.
        Pairs are taken in chunks of growing size: while the library grades one, Python prepares the next and
        reads the verdicts of the one before."""
        h = self._h()
        if isinstance(threads, bool) or not isinstance(threads, int):
            raise TypeError("threads must be int, not %s" % type(threads).__name__)
        nthreads = threads if -2 ** 31 <= threads < 2 ** 31 else -1
        results = []
        pending = []
        it = iter(pairs)
        running = None
        try:
            offset = 0
            size = _CHUNK
            while True:
                chunk = _prepare(it, offset, size)
                if chunk is None:
                    break
                offset += chunk.n
                if running is not None:
                    _join(running)
                if pending and pending[-1].rc:
                    break
                if running is None and chunk.n < size:
                    chunk.run(h, nthreads)
                    pending.append(chunk)
                    break
                size = min(2 * size, _CHUNK_MAX)
                running = threading.Thread(target=chunk.run, args=(h, nthreads), daemon=True)
                running.start()
                pending.append(chunk)
                while len(pending) > 1:
                    pending[0].collect(results)
                    pending.pop(0)
            if running is not None:
                _join(running)
                running = None
            while pending:
                pending[0].collect(results)
                pending.pop(0)
        finally:
            if running is not None:
                _join(running)
            for chunk in pending:
                chunk.release()
        return results

    def check(self, gold, pred):
        """check(gold, pred) under this grader's profile."""
        return check(gold, pred, self.profile)

    def canonical(self, answer):
        """canonical(answer) under this grader's profile."""
        return canonical(answer, self.profile)


_graders = {}
_graders_lock = threading.Lock()


def _grader(profile):
    g = _graders.get(profile) if isinstance(profile, str) else None
    if g is None:
        with _graders_lock:
            g = _graders.get(profile) if isinstance(profile, str) else None
            if g is None:
                g = Grader(profile)
                _graders[profile] = g
    return g


def extract(text, profile="math", stopped=False):
    """The final answer of text under profile: Extraction(answer or None, rule), a 2-tuple."""
    return _grader(profile).extract(text, stopped)


def grade(gold, text, profile="math", stopped=False):
    """Grades one text against a gold answer under profile: Verdict(answer, canonical, verdict, rule, reason)."""
    return _grader(profile).grade(gold, text, stopped)


def grade_many(pairs, profile="math", threads=0):
    """Grades an iterable of (gold, text) or (gold, text, stopped) in C on several threads (0: one per core);
    returns the list of Verdict in input order."""
    return _grader(profile).grade_many(pairs, threads)
