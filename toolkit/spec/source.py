"""Read JSON files safely and map JSON paths back to line and column.

Parsing uses the C decoder (fast); positions are found by a second, iterative scan only for files
that have findings, so a clean file costs one ``json.loads``.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from dataclasses import dataclass, field
from json.scanner import make_scanner
from typing import Any

from ..errors import InputError
from ..i18n import N_
from ..limits import JSON_MAX_INT_DIGITS

__all__ = ["MAX_BYTES", "MAX_INT_DIGITS", "Source", "json_type_name", "load_source", "loads_strict", "parse_source"]

#: Refuse files larger than this; a message body is a few kilobytes.
MAX_BYTES = 2 * 1024 * 1024
_MAX_DEPTH = 400
#: Refuse integers with more digits than this (see :mod:`toolkit.limits`).
MAX_INT_DIGITS = JSON_MAX_INT_DIGITS

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
    _index: _Index | None = field(default=None, repr=False)
    _newlines: list[int] | None = field(default=None, repr=False)
    _counted: int = field(default=0, repr=False)

    def locate(self, path: Path) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its nearest existing parent."""
        if self._index is None:
            self._index = _Index(self.text)
        offset = self._index.offset(path)
        if offset is None:
            return (1, 1)
        if self._newlines is None:
            if self._counted < _COUNTED_LOCATES:  # a few findings: counting is cheaper than a line index
                self._counted += 1
                return _line_col(self.text, offset)
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        return line + 1, offset - (self._newlines[line - 1] + 1 if line else 0) + 1


#: Locates per file worked out by counting line breaks before a line index is built.
_COUNTED_LOCATES = 16


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def load_source(path: str) -> Source:
    """Read and parse ``path``; raise :class:`InputError` with one clear line on any problem.

    Only a regular file is read, and never more than :data:`MAX_BYTES` of it (see ``_io``).
    """
    from .._io import read_regular_file

    return parse_source(read_regular_file(path, MAX_BYTES), path)


def parse_source(raw: bytes, path: str) -> Source:
    """Decode and parse bytes already read from ``path``."""
    for bom, name in _BOMS.items():
        if raw.startswith(bom):
            raise InputError(N_("starts with a {name} byte order mark; save the file as UTF-8 without BOM", name=name),
                             path=path, line=1, column=1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        line, col = _line_col(prefix, len(prefix))
        raise InputError(N_("byte 0x{byte:02x} is not valid UTF-8", byte=raw[exc.start]), path=path, line=line,
                         column=col) from None
    if not text.strip():
        raise InputError(N_("file is empty; expected a JSON object"), path=path)
    data = loads_strict(text, path)
    depth_at = _depth_exceeded(text)
    if depth_at is not None:
        line, col = _line_col(text, depth_at)
        raise InputError(N_("JSON nested too deeply (more than {limit} levels)", limit=_MAX_DEPTH), path=path,
                         line=line, column=col)
    if not isinstance(data, dict):
        raise InputError(N_("top-level value is {type}; expected a JSON object", type=json_type_name(data)), path=path,
                         line=1, column=1)
    return Source(path=path, text=text, data=data)


class _Refused(Exception):
    """A value JSON allows and LINE cannot take, met while parsing; located afterwards."""

    def __init__(self, message: str, literal: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.literal = literal


def _constant(name: str) -> Any:
    raise _Refused(N_("{name} is not valid JSON and LINE's API does not take it; write a number or null",
                      name=name), name)


def _float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise _Refused(N_("number {number} is too large: it does not fit a double-precision number",
                          number=_short(text)), text)
    return value


def _int(text: str) -> int:
    if len(text) - text.startswith("-") > MAX_INT_DIGITS:
        raise _Refused(N_("integer of {count:,} digits; the limit is {limit} digits",
                          count=len(text.lstrip("-")), limit=MAX_INT_DIGITS), text)
    return int(text)


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)
    if len(found) != len(pairs):
        raise _Refused(N_("duplicate key"))
    return found


def _short(text: str) -> str:
    return text if len(text) <= 24 else f"{text[:20]}..."


#: One decoder for every file (``json.loads`` with these hooks would build a new one per call).
_DECODER = json.JSONDecoder(parse_constant=_constant, parse_float=_float, parse_int=_int, object_pairs_hook=_object)


def loads_strict(text: str, path: str) -> Any:
    """``json.loads`` that refuses what JSON allows and LINE cannot take, each with its line and column:
    NaN and Infinity, numbers too large for a double, integers of more than :data:`MAX_INT_DIGITS`
    digits, duplicate keys (JSON leaves their meaning open) and lone UTF-16 surrogates (not Unicode)."""
    try:
        if text.startswith("\ufeff"):  # as json.loads says it, which the decoder alone does not check
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        # Translators: {reason} is what the JSON parser expected or found ("Expecting ',' delimiter").
        raise InputError(N_("invalid JSON: {reason}", reason=_json_reason(exc.msg)), path=path, line=exc.lineno,
                         column=exc.colno) from None
    except RecursionError:
        line, col = _too_deep_at(text)
        raise InputError(N_("JSON nested too deeply (more than {limit} levels)", limit=_MAX_DEPTH), path=path,
                         line=line, column=col) from None
    except _Refused as exc:
        if exc.literal is not None:
            offset, message = _literal_at(text, exc.literal), exc.message
        else:
            offset, message = _duplicate_key_at(text)
        line, col = _line_col(text, offset)
        raise InputError(message, path=path, line=line, column=col) from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(text, path)
    return data


#: The JSON parser's explanations (Python's own words, kept as they are in English), for translation.
_JSON_REASONS = {
    "Expecting value": N_("Expecting value"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Expecting property name enclosed in double quotes": N_("Expecting property name enclosed in double quotes"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid control character at": N_("Invalid control character at"),
    "Invalid \\escape": N_("Invalid \\escape"),
    "Invalid \\uXXXX escape": N_("Invalid \\uXXXX escape"),
    "Extra data": N_("Extra data"),
    "Illegal trailing comma before end of object": N_("Illegal trailing comma before end of object"),
    "Illegal trailing comma before end of array": N_("Illegal trailing comma before end of array"),
}
_JSON_QUOTING = re.compile(r"(Invalid control character|Invalid \\escape:) ('.*?'|\".*?\")( at)?")


def _json_reason(message: str) -> str:
    """The parser's explanation as a :class:`Text` when it is one lnm knows (the same English)."""
    known = _JSON_REASONS.get(message)
    if known is not None:
        return known
    match = _JSON_QUOTING.fullmatch(message)
    if match and match.group(1) == "Invalid control character" and match.group(3):
        return N_("Invalid control character {character} at", character=match.group(2))
    if match and match.group(1).startswith("Invalid") and not match.group(3):
        return N_("Invalid \\escape: {escape}", escape=match.group(2))
    return message


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(text: str, path: str) -> None:
    """Raise :class:`InputError` at the first string whose escapes leave half a surrogate pair."""
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token[0] == '"' and _SURROGATE_ESCAPE.search(token):
            found = _LONE_SURROGATE.search(json.loads(token))
            if found:
                line, col = _line_col(text, match.start())
                raise InputError(N_("string holds a lone UTF-16 surrogate (\\u{code:04x}), which is not a character: "
                                    "write the whole pair or the character itself", code=ord(found.group())),
                                 path=path, line=line, column=col)


def _literal_at(text: str, literal: str) -> int:
    """Offset of the first number or constant written as ``literal`` (outside strings)."""
    for match in _TOKEN.finditer(text):
        if match.group() == literal:
            return match.start()
    return 0


def _duplicate_key_at(text: str) -> tuple[int, str]:
    """Offset of the first key that repeats a key of the same object, with a message naming both."""
    frames: list[dict[str, int] | None] = []
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "]}":
            frames.pop()
            expect_key = bool(frames) and frames[-1] is not None
            continue
        if expect_key:
            seen = frames[-1]
            assert seen is not None
            key = json.loads(token)
            if key in seen:
                line, col = _line_col(text, seen[key])
                return match.start(), N_("duplicate key {key} (first at line {line}, column {column}); JSON leaves "
                                          "open which one counts", key=_short(json.dumps(key, ensure_ascii=False)),
                                          line=line, column=col)
            seen[key] = match.start()
            expect_key = False
            continue
        if first == "{":
            frames.append({})
            expect_key = True
        elif first == "[":
            frames.append(None)
        elif frames and frames[-1] is not None:
            expect_key = True
    return 0, N_("duplicate key")


_TYPE_NAMES = {dict: N_("an object"), list: N_("an array"), str: N_("a string"), bool: N_("a boolean"),
               type(None): N_("null")}
_A_NUMBER = N_("a number")


def json_type_name(value: Any) -> str:
    """The JSON type of a parsed value as messages name it: "an object", "a string", "null"..."""
    return _TYPE_NAMES.get(type(value), _A_NUMBER)


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


#: Strings, brackets and literals; ``,`` and ``:`` are never matched, so they cost nothing.
_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]]|[^\s{}\[\]:,"]+')


def _scan_offsets(text: str) -> dict[Path, int]:
    """Map every value's path to its offset in ``text``, iteratively (no recursion limit).

    One regular-expression pass over the tokens of a document already parsed as JSON: inside an
    object, tokens alternate key, value, key, value... so separators need not be looked at. Lines
    and columns are worked out later, only for the paths a finding points at.
    """
    offsets: dict[Path, int] = {}
    # Stack frames: [container_path, is_object, next_index]
    stack: list[list[Any]] = []
    key_path: Path = ()
    expect_key = False
    for match in _TOKEN.finditer(text):
        token = match.group()
        first = token[0]
        if first in "]}":
            stack.pop()
            expect_key = bool(stack) and stack[-1][1]
            continue
        if expect_key:
            key = (json.loads(token) if "\\" in token else token[1:-1]) if first == '"' else token
            key_path = (*stack[-1][0], key)
            expect_key = False
            continue
        if not stack:
            path: Path = ()
        elif stack[-1][1]:
            path = key_path
            expect_key = True
        else:
            frame = stack[-1]
            path = (*frame[0], frame[2])
            frame[2] += 1
        offsets[path] = match.start()
        if first == "{":
            stack.append([path, True, 0])
            expect_key = True
        elif first == "[":
            stack.append([path, False, 0])
            expect_key = False
    return offsets


_SPACE = re.compile(r"[ \t\n\r]*")
#: The C scanner of the standard decoder: ``_scan(text, offset)`` parses the one value at ``offset``
#: and returns it with the offset just past it.
_scan = make_scanner(json.JSONDecoder())  # type: ignore[arg-type]
#: How many times its length the text may be re-read skipping containers before one scan of
#: every token (:func:`_scan_offsets`) is cheaper: keeps a deep, wide document linear.
_SKIP_BUDGET = 4


class _Index:
    """The offsets of a document's values, worked out along the paths asked for.

    The first path through a container lists that container's children: their keys and where
    each value starts, each value skipped by the C scanner. A finding's path thus costs a few
    dictionary look-ups per level instead of a walk over every token of the file.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        #: A node is ``[offset, children]``; children (key or index -> node) are None until listed.
        self.root: list[Any] = [_SPACE.match(text).end(), None]  # type: ignore[union-attr]
        self.budget = _SKIP_BUDGET * len(text) + 4096
        self.offsets: dict[Path, int] | None = None  # every value's, once the budget is spent

    def offset(self, path: Path) -> int | None:
        """Offset of the value at ``path``, or of its nearest existing parent."""
        if self.offsets is not None:
            return _nearest(self.offsets, path)
        node = self.root
        for part in path:
            children = node[1]
            if children is None:
                children = node[1] = self._children(node[0])
                if self.offsets is not None:
                    return _nearest(self.offsets, path)
            child = children.get(part)
            if child is None:
                break
            node = child
        return node[0]  # type: ignore[no-any-return]

    def _children(self, pos: int) -> dict[str | int, list[Any]]:
        try:
            return self._list_children(pos)
        except (ValueError, StopIteration, IndexError, RecursionError):
            self.budget = -1  # text the standard decoder does not take as is: scan every token
            return {}
        finally:
            if self.budget < 0 and self.offsets is None:
                self.offsets = _scan_offsets(self.text)

    def _list_children(self, pos: int) -> dict[str | int, list[Any]]:
        text, space = self.text, _SPACE.match
        children: dict[str | int, list[Any]] = {}
        opener = text[pos]
        if opener not in "{[":
            return children
        pos = space(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos] in "}]":
            return children
        key: str | int = 0
        while True:
            if opener == "{":
                key, pos = _scan(text, pos)
                pos = space(text, space(text, pos).end() + 1).end()  # type: ignore[union-attr]  # past the colon
            start = pos
            children[key] = [start, None]
            pos = _scan(text, pos)[1]
            if text[start] in "{[":
                self.budget -= pos - start
            pos = space(text, pos).end()  # type: ignore[union-attr]
            if text[pos] != ",":
                return children
            pos = space(text, pos + 1).end()  # type: ignore[union-attr]
            if opener == "[":
                key += 1  # type: ignore[operator]


def _nearest(offsets: dict[Path, int], path: Path) -> int | None:
    probe = tuple(path)
    while probe and probe not in offsets:
        probe = probe[:-1]
    return offsets.get(probe)
