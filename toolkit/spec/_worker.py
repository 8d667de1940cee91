"""Placeholders that could work without end run in a worker process the operating system can stop.

The sandbox (:mod:`._sandbox`) counts a template's steps and checks sizes before it allocates, but
it runs between steps: one step in C (``sum`` of lists, comparing two vast trees that share their
branches, ``urlize`` of a crafted text) runs to its end. So every value whose template is not of
the simple, bounded kind (:func:`.placeholders.prepare`) is rendered here: in a reused child
process whose CPU time (an interval timer whose signal ends the process) and address space
(``RLIMIT_AS``) the operating system limits. The parent also watches the wall clock and kills a
worker that overstays: on platforms without those POSIX calls (Windows) that is the only limit.

One request per file: every such value of every sample, with the file's remaining CPU-time budget.
The worker answers value by value, so when the operating system stops it the parent knows which
value was running: that value is reported, the file's later values are left unfilled, and the next
file gets a fresh worker. Threads (``lnm serve``) each borrow their own worker.
"""

from __future__ import annotations

import atexit
import os
import pickle
import re
import signal
import string
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO, Any

from .. import limits
from ..i18n import N_, Text

__all__ = ["Result", "from_wire", "read_frame", "render_batch", "stop_workers", "to_wire", "write_frame"]

#: What the worker gives for one value: ("ok", text, None), ("error", message, value), ("budget",
#: message, None), or ("time", message, None) when the file's CPU time ran out in it; None when the
#: value was left unfilled (the file's time ran out before it). ``value`` is None, or a 1-tuple of
#: the sample value a filter could not read.
Result = tuple[str, str, "tuple[object] | None"] | None

_HEADER = struct.Struct("<I")
#: Largest frame either side accepts: a value is at most PLACEHOLDER_OUTPUT_CHARS characters.
_MAX_FRAME = 64 * 1024 * 1024
#: Idle workers kept for the next file or request (one per thread that rendered at once).
_KEEP_IDLE = 4


def write_frame(stream: IO[bytes], payload: Any) -> None:
    data = pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


class _PlainData(pickle.Unpickler):
    """Only plain data (text, numbers, tuples, lists, dicts) comes back from a worker: no classes."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"a worker sent an object of {module}.{name}")


_MSGID, _ARGS = "\x00msgid", "\x00args"
#: The format fields a message of lnm's may use: a name, ``!r``, and a short spec (``,``, ``02x``, ``,.0f``).
_SPEC = re.compile(r"(?:0?[0-9])?,?(?:\.[0-9])?[dfgx]?")
_UNREADABLE = N_("placeholder failed: the process that renders it sent an answer lnm cannot read")


def to_wire(text: str) -> Any:
    """A message as plain data for the trip from the worker: a :class:`Text` keeps its msgid and
    arguments, so that the parent shows it in the UI language."""
    if not isinstance(text, Text):
        return str(text)
    return {_MSGID: text.msgid, _ARGS: {str(k): to_wire(v) if isinstance(v, Text) else v for k, v in text.args.items()}}


def from_wire(payload: Any, depth: int = 0) -> str:
    """The message :func:`to_wire` sent, a :class:`Text` again once its format is known to be safe to
    fill in this process (plain names, short specs): a worker runs a designer's template and is not
    trusted with a format string."""
    if not _is_text(payload):
        return _UNREADABLE if isinstance(payload, dict) else str(payload)
    msgid, args = payload[_MSGID], payload[_ARGS]
    if depth > 2 or not isinstance(msgid, str) or len(msgid) > 1000 or not isinstance(args, dict):
        return _UNREADABLE
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(msgid):
            if name is not None and (name not in args or conversion not in (None, "r", "s")
                                     or not _SPEC.fullmatch(spec or "")):
                return _UNREADABLE
        values = {str(k): from_wire(v, depth + 1) if _is_text(v) else v for k, v in args.items()}
        return N_(msgid, **values)
    except (ValueError, TypeError, KeyError, IndexError):
        return _UNREADABLE


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {_MSGID, _ARGS}


def read_frame(stream: IO[bytes], *, trusted: bool) -> Any:
    """The next frame, or raise EOFError when the other side has gone."""
    head = stream.read(_HEADER.size)
    if len(head) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(head)
    if size > _MAX_FRAME:
        raise EOFError
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    if trusted:
        return pickle.loads(data)
    import io

    return _PlainData(io.BytesIO(data)).load()


# --- the parent's side ----------------------------------------------------------------------------

def _command() -> list[str]:
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    code = f"import sys; sys.path.insert(0, {root!r}); from toolkit.spec._worker_main import main; main()"
    return [sys.executable, "-c", code]


def _debug() -> bool:
    return os.environ.get("LNM_DEBUG", "") not in ("", "0")


def _wall_seconds(seconds: float) -> float:
    """How long the parent waits for a worker. With a CPU timer in the worker this only catches a
    machine that has stopped; without one (Windows) it is the time limit itself."""
    if hasattr(signal, "setitimer"):
        return 10 * seconds + 30
    return 2 * seconds + 1


class _Worker:
    """One child process and its two pipes."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(_command(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=None if _debug() else subprocess.DEVNULL, close_fds=True)
        self.alive = True

    def render(self, language: str, seconds: float, datas: Sequence[dict[str, Any]],
               jobs: Sequence[tuple[int, str]]) -> list[Result]:
        results: list[Result] = [None] * len(jobs)
        timer = threading.Timer(_wall_seconds(seconds), self._overstayed)
        timer.daemon = True
        timer.start()
        done = 0
        try:
            assert self.proc.stdin is not None and self.proc.stdout is not None
            write_frame(self.proc.stdin, (language, seconds, list(datas), list(jobs)))
            while True:
                frame = read_frame(self.proc.stdout, trusted=False)
                if frame is None:
                    return results
                index, kind, payload, value = frame
                results[index] = (str(kind), from_wire(payload), value if isinstance(value, tuple) else None)
                done = index + 1
        except (EOFError, OSError, pickle.UnpicklingError, ValueError, TypeError):
            self.kill()
            if done < len(jobs):
                results[done] = self._why()
            return results
        finally:
            timer.cancel()

    def _why(self) -> tuple[str, str, None]:
        code = self.proc.wait()
        if code in (-getattr(signal, "SIGPROF", -1), -getattr(signal, "SIGXCPU", -1)) or self.overstayed:
            return "time", N_("placeholders of this file take more than {seconds:g} s of CPU time (one step, "
                              "stopped by the operating system); the values after this one are left unfilled",
                              seconds=limits.PLACEHOLDER_FILE_SECONDS), None
        return "time", N_("placeholder ended the process that renders it (exit code {code}): it needs more than "
                          "{size:,} MB of memory or more time than its budget; the values after this one are "
                          "left unfilled", code=code, size=limits.PLACEHOLDER_WORKER_BYTES // 2**20), None

    #: Set when the watchdog ended the worker (wall-clock time, where no CPU timer is available).
    overstayed = False

    def _overstayed(self) -> None:
        self.overstayed = True
        self.kill()

    def kill(self) -> None:
        if self.alive:
            self.alive = False
            try:
                self.proc.kill()
            except OSError:
                pass
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass

    def forget(self) -> None:
        """In a forked child: let go of the pipes without touching the parent's worker."""
        self.alive = False
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                if stream is not None:
                    os.close(stream.fileno())
            except (OSError, ValueError):
                pass


_lock = threading.Lock()
_idle: list[_Worker] = []
_busy: set[_Worker] = set()
#: Set by :func:`stop_workers`: the process is ending, no new worker is started.
_closed = False


def render_batch(language: str, seconds: float, datas: Sequence[dict[str, Any]],
                 jobs: Sequence[tuple[int, str]]) -> list[Result]:
    """Render ``jobs`` (sample index, template) in a worker within ``seconds`` of CPU time."""
    if _closed:
        return [("time", N_("placeholders not filled: lnm is stopping"), None)] + [None] * (len(jobs) - 1)
    with _lock:
        worker = _idle.pop() if _idle else None
    if worker is None:
        try:
            worker = _Worker()
        except OSError as exc:  # no interpreter to start (an embedded Python), no process left...
            return [("time", N_("placeholders not filled: the process that renders them could not start ({reason})",
                                reason=exc.strerror or str(exc)), None)] + [None] * (len(jobs) - 1)
    with _lock:
        _busy.add(worker)
    try:
        return worker.render(language, seconds, datas, jobs)
    finally:
        with _lock:
            _busy.discard(worker)
            if worker.alive and len(_idle) < _KEEP_IDLE:
                _idle.append(worker)
            elif worker.alive:
                worker.kill()


def stop_workers() -> None:
    """End every worker, also ones rendering now (their callers get a finding): at exit, and when
    ``lnm serve`` stops. No worker is started afterwards."""
    global _closed
    _closed = True
    with _lock:
        workers = [*_idle, *_busy]
        _idle.clear()
    for worker in workers:
        worker.kill()


def _after_fork_in_child() -> None:
    global _lock, _closed
    _closed = False
    _lock = threading.Lock()
    for worker in [*_idle, *_busy]:
        worker.forget()
    _idle.clear()
    _busy.clear()


atexit.register(stop_workers)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
