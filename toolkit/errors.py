"""The exception tree. The CLI maps every :class:`LnmError` to one line and its exit code (2, or 3
for an internal error)."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["BudgetExceeded", "CatalogueError", "InputError", "InternalError", "LnmError", "OutputError",
           "PlaceholderError", "RenderError", "UsageError", "closest", "closest_hint"]


class LnmError(Exception):
    """Base of every error lnm reports to a user."""

    exit_code = 2

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.column = column

    def one_line(self) -> str:
        """``file:line:col: message``, with whatever location is known."""
        from .i18n import localize

        where = [str(p) for p in (self.path, self.line, self.column) if p is not None]
        text = " ".join(localize(self.message).split())
        return f"{':'.join(where)}: {text}" if where else text


class InputError(LnmError):
    """A file that cannot be read as a message: missing, not UTF-8, not JSON, wrong shape."""


class UsageError(LnmError):
    """A command line or configuration that does not make sense."""


class CatalogueError(LnmError):
    """A broken catalogue or schema file: a tool error, not a problem in the message."""


class PlaceholderError(LnmError):
    """A Jinja2 placeholder in a spec value that cannot be filled.

    ``value``: when a filter could not read the value it was given (a date that is not ISO...), a
    1-tuple holding that value, so that lint can name the sample value it came from.
    """

    def __init__(self, message: str, *, value: tuple[object] | None = None, path: str | None = None,
                 line: int | None = None, column: int | None = None) -> None:
        super().__init__(message, path=path, line=line, column=column)
        self.value = value


class BudgetExceeded(PlaceholderError):
    """A placeholder needs more work, memory or time than its budget allows (:mod:`toolkit.limits`)."""


class RenderError(LnmError):
    """The preview renderer could not start or finish."""


class OutputError(LnmError):
    """An output path that cannot be written (missing or read-only folder, a file in the way)."""


class InternalError(LnmError):
    """A bug in lnm met while handling one file: reported, the rest of the run goes on, exit code 3."""

    exit_code = 3

    @classmethod
    def from_exception(cls, exc: BaseException, path: str | None = None) -> InternalError:
        """``internal error: <type>: <message>, please report``; digit runs hidden (input may
        quote a phone number), long messages cut."""
        import re

        text = re.sub(r"\d(?:[\s().+-]?\d){5,}", "<digits>", " ".join(str(exc).split()))
        if len(text) > 300:
            text = text[:300] + "..."
        from .i18n import N_

        return cls(N_("internal error: {error}: {reason}, please report", error=type(exc).__name__,
                      reason=text or N_("(no message)")), path=path)


def closest(word: str, known: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The known string most like ``word``: what ``difflib.get_close_matches(word, known, n=1,
    cutoff=cutoff)`` picks, found without measuring every candidate in full.

    The full measure (``ratio``) is the slow part, and ``quick_ratio`` is never below it: the
    candidates are measured in order of that bound, best first, until the bound falls below the
    best found (a "did you mean" over a catalogue of a thousand keys took milliseconds).
    """
    from difflib import SequenceMatcher

    matcher = SequenceMatcher()
    matcher.set_seq2(word)
    bounds = []
    for candidate in known:
        matcher.set_seq1(candidate)
        if matcher.real_quick_ratio() >= cutoff:
            bound = matcher.quick_ratio()
            if bound >= cutoff:
                bounds.append((bound, candidate))
    bounds.sort(reverse=True)
    best: tuple[float, str] | None = None
    for bound, candidate in bounds:
        if best is not None and (bound, candidate) < best:
            break  # neither this candidate nor any after it can beat the best
        matcher.set_seq1(candidate)
        score = matcher.ratio()
        if score >= cutoff and (best is None or (score, candidate) > best):
            best = (score, candidate)
    return best[1] if best is not None else None


def closest_hint(key: str, known: Iterable[str]) -> str:
    """`` (did you mean 'samples'?)`` for the closest known key, or nothing when none is close."""
    from .i18n import N_

    pool = list(known)
    lowered = {k.lower(): k for k in pool}
    match = lowered[key.lower()] if key.lower() in lowered else closest(key, pool)
    # Translators: put after an "unknown key" message; keep the leading space if your language spaces words.
    return N_(" (did you mean {key!r}?)", key=match) if match else ""
