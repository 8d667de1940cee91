"""The exception tree. The CLI maps every :class:`LnmError` to one line and exit code 2."""

from __future__ import annotations

__all__ = ["CatalogueError", "InputError", "LnmError", "PlaceholderError", "RenderError", "UsageError"]


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
        where = [str(p) for p in (self.path, self.line, self.column) if p is not None]
        text = " ".join(self.message.split())
        return f"{':'.join(where)}: {text}" if where else text


class InputError(LnmError):
    """A file that cannot be read as a message: missing, not UTF-8, not JSON, wrong shape."""


class UsageError(LnmError):
    """A command line or configuration that does not make sense."""


class CatalogueError(LnmError):
    """A broken catalogue or schema file: a tool error, not a problem in the message."""


class PlaceholderError(LnmError):
    """A Jinja2 placeholder in a spec value that cannot be filled."""


class RenderError(LnmError):
    """The preview renderer could not start or finish."""
