"""``schemas/flex-message.schema.json`` as a fast validator: the schema is the data, this is its reader.

Editors evaluate the schema with any JSON Schema library; lint reads the same file through this small
interpreter of the keywords the file uses (``$ref``, ``type``, ``enum``, ``const``, ``pattern``,
lengths, ``minimum``, item counts, ``required``, ``properties``, ``additionalProperties: false``,
``items``, ``allOf``, ``anyOf``, ``if``/``then``/``else``). It is compiled once per process, on the
first flexible message, and does not import jsonschema. Two differences from a JSON Schema library,
both to match LINE: string lengths count UTF-16 code units, and a failed ``type`` stops the checks of
that value (one problem, not a cascade). ``tests/rules/`` holds the cases; a test compares the verdicts
with jsonschema's on them.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as FsPath
from typing import Any

from ..findings import line_property
from ..i18n import N_, Text
from ..spec.catalogue import data_root
from ..spec.source import json_type_name
from ._schemanodes import _TYPE_WORDS, _Compiler, _is_type, _Node, _units

__all__ = ["Problem", "check_message", "schema_path"]

Path = tuple[str | int, ...]

#: Nesting deeper than this is not followed; lnm's JSON reader already stops at 400 levels.
MAX_DEPTH = 512
#: Python frames the checks may use: about ten a level of nesting, for the 400 levels a file may have.
_RECURSION = 12_000


def schema_path() -> FsPath:
    return data_root() / "schemas" / "flex-message.schema.json"


@dataclass(frozen=True)
class Problem:
    """One schema violation at a LINE property path.

    ``kind``: ``type-name`` (a ``type`` value the place does not allow), ``required``, ``json-type``,
    ``value`` (enum, pattern, range, length), ``count`` (array size) or ``unknown-property``.
    ``keyword`` is the JSON Schema keyword that failed; ``value`` the offending value (for type names).
    """

    path: Path
    kind: str
    keyword: str
    message: str
    value: Any = None
    expected: str = ""


def _either(words: list[str]) -> str:
    """``a or b or c``: each choice is data; the word joining two is the language's."""
    out = words[0]
    for word in words[1:]:
        out = N_("{first} or {second}", first=out, second=word)
    return out


def _quote(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


class _Run:
    """One detailed validation of an invalid message: collects every problem with its path."""

    __slots__ = ("problems",)

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: Path, kind: str, keyword: str, message: Text, value: Any = None, expected: str = "") -> None:
        self.problems.append(Problem(path, kind, keyword, message, value, expected))

    def check(self, node: _Node, value: Any, path: Path, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if not isinstance(value, (dict, list)) and node.ok(value):
            return  # (not for trees: asking again at every level of a deep invalid tree would be quadratic)
        if node.ref is not None:
            self.check(node.ref, value, path, depth)
        if node.types and not any(_is_type(value, t) for t in node.types):
            wanted = _either([_TYPE_WORDS[t] for t in node.types])
            self.add(path, "json-type", "type", N_("The value of {property} must be {expected}, not {actual}.",
                                                   property=line_property(path), expected=wanted,
                                                   actual=json_type_name(value)))
            return
        if node.const is not None and value != node.const[0]:
            self.add(path, "type-name" if path and path[-1] == "type" else "value", "const",
                     N_("The value of {property} must be {expected}; it is {value}.", property=line_property(path),
                        expected=_quote(node.const[0]), value=_quote(value)),
                     value, str(node.const[0]))
        if node.enum is not None and (value not in node.enum or isinstance(value, bool)):
            choices = ", ".join(str(v) for v in node.enum)
            self.add(path, "type-name" if path and path[-1] == "type" else "value", "enum",
                     N_("The value of {property} must be one of {choices}; it is {value}.",
                        property=line_property(path), choices=choices, value=_quote(value)), value,
                     choices)
        if isinstance(value, str):
            self._string(node, value, path)
        elif isinstance(value, dict):
            self._object(node, value, path, depth)
        elif isinstance(value, list):
            self._array(node, value, path, depth)
        elif node.minimum is not None and isinstance(value, (int, float)) and value < node.minimum:
            self.add(path, "value", "minimum", N_("The value of {property} must be at least {minimum}; it is {value}.",
                                                  property=line_property(path), minimum=node.minimum, value=value))
        for part in node.all_of:
            self.check(part, value, path, depth)
        if node.any_of and not any(b.ok(value) for b in node.any_of):
            wanted = node.description or _either([b.description or (b.ref.description if b.ref else "")
                                                  for b in node.any_of])
            self.add(path, "value", "anyOf", N_("The value of {property} must be {expected}; it is {value}.",
                                                property=line_property(path), expected=wanted, value=_quote(value)))
        for cond, then, other in node.conditions:
            branch = then if cond.ok(value) else other
            if branch is not None:
                self.check(branch, value, path, depth)

    def _string(self, node: _Node, value: str, path: Path) -> None:
        if node.min_length is not None or node.max_length is not None:
            units = _units(value)
            if node.min_length is not None and units < node.min_length:
                self.add(path, "value", "minLength",
                         N_("The value of {property} must not be empty.", property=line_property(path))
                         if node.min_length == 1 else
                         N_("The value of {property} must be at least {limit} characters.",
                            property=line_property(path), limit=node.min_length))
            if node.max_length is not None and units > node.max_length:
                self.add(path, "value", "maxLength", N_("The value of {property} must be at most {limit} characters; "
                                                        "it is {length}.", property=line_property(path),
                                                        limit=node.max_length, length=units))
        if node.pattern is not None and not node.pattern.search(value):
            wanted = node.description or N_("match {pattern}", pattern=node.pattern.pattern)
            self.add(path, "value", "pattern", N_("The value of {property} must be {expected}; it is {value}.",
                                                  property=line_property(path), expected=wanted, value=_quote(value)))

    def _object(self, node: _Node, value: dict[str, Any], path: Path, depth: int) -> None:
        for key in node.required:
            if key not in value:
                self.add((*path, key), "required", "required", N_("The property {property} must be specified.",
                                                                 property=line_property((*path, key))), key)
        if node.any_required and not any(k in value for k in node.any_required):
            names = _either([line_property((*path, k)) for k in node.any_required])
            self.add((*path, node.any_required[0]), "required", "anyOf",
                     N_("The property {property} must be specified.", property=names),
                     node.any_required[0])
        for key, child in node.props.items():
            if key in value:
                self.check(child, value[key], (*path, key), depth + 1)
        if node.strict:
            for key in value:
                if key not in node.props:
                    what = node.description or N_("this object")
                    self.add((*path, key), "unknown-property", "additionalProperties",
                             N_("The property {property} is not defined for {what}.",
                                property=line_property((*path, key)), what=what), key)
        if node.dispatch is not None:
            key, table = node.dispatch
            name = value.get(key)
            target = table.get(name) if isinstance(name, str) else None
            if target is not None:
                self.check(target, value, path, depth)

    def _array(self, node: _Node, value: list[Any], path: Path, depth: int) -> None:
        if node.min_items is not None and len(value) < node.min_items:
            self.add(path, "count", "minItems", N_("The size of {property} must be at least {minimum}; it is {count}.",
                                                   property=line_property(path), minimum=node.min_items,
                                                   count=len(value)))
        if node.max_items is not None and len(value) > node.max_items:
            self.add(path, "count", "maxItems", N_("The size of {property} must be at most {maximum}; it is {count}.",
                                                   property=line_property(path), maximum=node.max_items,
                                                   count=len(value)))
        if node.item_node is not None:
            for i, item in enumerate(value):
                self.check(node.item_node, item, (*path, i), depth + 1)


@lru_cache(maxsize=1)
def _root() -> _Node:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    compiler = _Compiler(schema)
    return compiler.finish(compiler.compile(schema))


def check_message(message: Any, path: Path) -> list[Problem]:
    """Every schema problem of one message object (an entry of ``messages``), at LINE's paths."""
    root = _root()
    limit = sys.getrecursionlimit()
    if limit < _RECURSION:
        sys.setrecursionlimit(_RECURSION)
    try:
        if root.ok(message):
            return []
        run = _Run()
        run.check(root, message, path, 0)
        return run.problems
    finally:
        sys.setrecursionlimit(limit)
