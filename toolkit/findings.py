"""The one finding type for everything lnm tells a user about a message."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = ["Finding", "Severity", "line_property", "json_pointer", "utf16_length", "visible_length"]

Path = tuple[str | int, ...]


class Severity(enum.IntEnum):
    """Ordered so that ``finding.severity >= Severity.WARNING`` reads naturally."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls[text.strip().upper()]
        except KeyError:
            from .i18n import N_

            raise ValueError(N_("unknown severity {severity!r}; use error, warning or info", severity=text)) from None

    def __str__(self) -> str:
        return self.name.lower()


def json_pointer(path: Path) -> str:
    """RFC 6901 pointer for a path: ``("body", "items", 0)`` -> ``/body/items/0``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def line_property(path: Path) -> str:
    """The property path as LINE's API error details write it: ``body.items[0].itemKey``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units, the way LINE counts characters."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2  # two bytes a unit; lone surrogates count 1


_INVISIBLE = {0x200C, 0x200D, 0xFE0E, 0xFE0F, 0x20E3}


def visible_length(text: str) -> int:
    """Approximate count of characters a reader sees (combining marks and emoji joiners merged)."""
    import unicodedata

    count = 0
    join_next = False
    for char in text:
        code = ord(char)
        if code == 0x200D:
            join_next = True
            continue
        if code in _INVISIBLE or 0x1F3FB <= code <= 0x1F3FF or 0xE0020 <= code <= 0xE007F:
            continue
        if unicodedata.category(char) in ("Mn", "Me"):
            continue
        if join_next:
            join_next = False
            continue
        count += 1
    return count


@dataclass(frozen=True)
class Finding:
    """One problem found in one message.

    ``path`` is the location inside the API request body (which a spec mirrors); ``pointer`` and
    ``property`` are two views of it; ``line``/``column`` locate it in the source file.
    """

    code: str
    name: str
    severity: Severity
    message: str
    path: Path = ()
    fix: str | None = None
    file: str | None = None
    line: int | None = None
    column: int | None = None
    doc_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def pointer(self) -> str:
        return json_pointer(self.path)

    @property
    def property(self) -> str:
        return line_property(self.path)

    def located(self, file: str, line: int, column: int) -> Finding:
        return replace(self, file=file, line=line, column=column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": str(self.severity),
            "message": self.message,
            "pointer": self.pointer,
            "property": self.property,
            "line": self.line,
            "column": self.column,
            "fix": self.fix,
            "doc_url": self.doc_url,
        }
