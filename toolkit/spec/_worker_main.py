"""The worker process of :mod:`._worker`: limits itself, then renders values until its input ends.

Started as ``python -c "...; main()"`` by the parent; it reads one request per file on standard
input and answers value by value on standard output (frames of :mod:`._worker`).
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from .. import limits
from ..errors import BudgetExceeded, PlaceholderError
from ._worker import read_frame, to_wire, write_frame

__all__ = ["main"]


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # not POSIX: the parent's watchdog is the only limit
        return
    cap = limits.PLACEHOLDER_WORKER_BYTES
    try:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            cap = min(cap, hard)
        resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    except (ValueError, OSError):  # macOS refuses RLIMIT_AS: the CPU timer still applies
        pass


def _arm(seconds: float) -> None:
    """End this process once it has used ``seconds`` more CPU time (0 disarms)."""
    if hasattr(signal, "setitimer"):
        signal.setitimer(signal.ITIMER_PROF, max(seconds, 0.0))


#: Values a worker may send back with an error (the sample value a filter could not read).
_PLAIN = (str, int, float, bool, type(None))


def _render_one(text: str, data: dict[str, Any], language: str,
                budget: limits.RenderBudget) -> tuple[str, Any, tuple[object] | None]:
    from .placeholders import render_here

    try:
        return "ok", render_here(text, data, language, budget), None
    except BudgetExceeded as exc:
        return "time" if budget.exhausted else "budget", to_wire(exc.message), None
    except PlaceholderError as exc:
        value = exc.value if exc.value is not None and isinstance(exc.value[0], _PLAIN) else None
        return "error", to_wire(exc.message), value


def main() -> None:
    """The worker: read requests on standard input, answer value by value on standard output."""
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)  # nothing else may write into the answers
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "SIGPROF"):
        signal.signal(signal.SIGPROF, signal.SIG_DFL)  # the CPU timer's signal ends the process
    _limit_memory()
    from . import placeholders

    placeholders.warm_up()
    stdin = sys.stdin.buffer
    while True:
        try:
            language, seconds, datas, jobs = read_frame(stdin, trusted=True)
        except EOFError:
            return
        budget = limits.RenderBudget(seconds)
        _arm(seconds + limits.PLACEHOLDER_KILL_GRACE)
        try:
            for index, (which, text) in enumerate(jobs):
                write_frame(out, (index, *_render_one(text, datas[which], language, budget)))
                if budget.exhausted:
                    break
        finally:
            _arm(0)
        write_frame(out, None)
