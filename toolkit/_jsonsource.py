"""Read JSON files safely and map JSON paths back to line and column.

Parsing uses the C decoder (fast); positions are found by a second, iterative scan only for files
that have findings, so a clean file costs one ``json.loads``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

__all__ = ["MAX_BYTES", "Source", "load_source", "parse_source"]

#: Refuse files larger than this; a message body is a few kilobytes.
MAX_BYTES = 2 * 1024 * 1024
_MAX_DEPTH = 400

Path = tuple[str | int, ...]

_BOMS = {
    b"\xef\xbb\xbf": "UTF-8",
    b"\xff\xfe": "UTF-16 (little-endian)",
    b"\xfe\xff": "UTF-16 (big-endian)",
}


@dataclass
class Source:
    """One JSON document with its text, for locating paths on demand."""

    path: str
    text: str
    data: Any
    _positions: dict[Path, tuple[int, int]] | None = field(default=None, repr=False)

    def locate(self, path: Path) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its nearest existing parent."""
        if self._positions is None:
            self._positions = _scan_positions(self.text)
        probe = tuple(path)
        while probe and probe not in self._positions:
            probe = probe[:-1]
        offset_line_col = self._positions.get(probe)
        return offset_line_col if offset_line_col else (1, 1)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def load_source(path: str) -> Source:
    """Read and parse ``path``; raise :class:`InputError` with one clear line on any problem."""
    try:
        size = os.path.getsize(path)
        if os.path.isdir(path):
            raise InputError("is a directory", path=path)
        if size > MAX_BYTES:
            raise InputError(
                f"file is too large ({size / 1048576:.1f} MB; the limit is {MAX_BYTES // 1048576} MB)",
                path=path)
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        raise InputError("no such file or directory", path=path) from None
    except PermissionError:
        raise InputError("permission denied", path=path) from None
    except IsADirectoryError:
        raise InputError("is a directory", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return parse_source(raw, path)


def parse_source(raw: bytes, path: str) -> Source:
    """Decode and parse bytes already read from ``path``."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise InputError(f"starts with a {name} byte order mark; save the file as UTF-8 without BOM",
                             path=path, line=1, column=1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(prefix, len(prefix))
        raise InputError(f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", path=path, line=line,
                         column=col) from None
    if not text.strip():
        raise InputError("file is empty; expected a JSON object", path=path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"invalid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        line, col = _too_deep_at(text)
        raise InputError(f"JSON nested too deeply (more than {_MAX_DEPTH} levels)", path=path, line=line,
                         column=col) from None
    depth_at = _depth_exceeded(text)
    if depth_at is not None:
        line, col = _line_col(text, depth_at)
        raise InputError(f"JSON nested too deeply (more than {_MAX_DEPTH} levels)", path=path, line=line,
                         column=col)
    if not isinstance(data, dict):
        raise InputError(f"top-level value is {_describe(data)}; expected a JSON object", path=path,
                         line=1, column=1)
    return Source(path=path, text=text, data=data)


def _describe(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def _depth_exceeded(text: str) -> int | None:
    """Offset where nesting passes the limit; cheap when the text has few brackets."""
    if text.count("[") + text.count("{") <= _MAX_DEPTH:
        return None
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > _MAX_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def _too_deep_at(text: str) -> tuple[int, int]:
    offset = _depth_exceeded(text)
    return _line_col(text, offset) if offset is not None else (1, 1)


_WS = " \t\r\n"


def _scan_positions(text: str) -> dict[Path, tuple[int, int]]:
    """Map every value's path to its (line, column), iteratively (no recursion limit)."""
    positions: dict[Path, tuple[int, int]] = {}
    # Stack frames: [container_path, kind ('o' or 'a'), next_index, pending_key]
    stack: list[list[Any]] = []
    line, line_start = 1, 0
    i, n = 0, len(text)
    expect_value_path: Path | None = ()

    def here(offset: int) -> tuple[int, int]:
        return line, offset - line_start + 1

    while i < n:
        char = text[i]
        if char == "\n":
            line += 1
            line_start = i + 1
            i += 1
            continue
        if char in _WS or char in ",:":
            i += 1
            continue
        if stack and stack[-1][1] == "o" and expect_value_path is None:
            # Expecting a key (or the end of the object).
            if char == "}":
                stack.pop()
                expect_value_path = None
                i += 1
                continue
            if char == '"':
                end = _string_end(text, i)
                key = json.loads(text[i:end])
                frame = stack[-1]
                expect_value_path = (*frame[0], key)
                i = end
                continue
            i += 1
            continue
        if char in "]}":
            stack.pop()
            expect_value_path = None
            i += 1
            continue
        # A value starts here.
        if expect_value_path is None:
            frame = stack[-1]
            expect_value_path = (*frame[0], frame[2])
            frame[2] += 1
        value_path = expect_value_path
        positions[value_path] = here(i)
        expect_value_path = None
        if char == "{":
            stack.append([value_path, "o", 0, None])
            i += 1
        elif char == "[":
            stack.append([value_path, "a", 0, None])
            i += 1
        elif char == '"':
            i = _string_end(text, i)
        else:
            while i < n and text[i] not in _WS and text[i] not in ",]}":
                i += 1
    return positions


def _string_end(text: str, start: int) -> int:
    i = start + 1
    while True:
        j = text.find('"', i)
        if j < 0:
            return len(text)
        backslashes = 0
        k = j - 1
        while text[k] == "\\":
            backslashes += 1
            k -= 1
        if backslashes % 2 == 0:
            return j + 1
        i = j + 1
