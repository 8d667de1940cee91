"""The compiled form of ``schemas/flex-message.schema.json``: nodes and their quick checks.

:mod:`._flexschema` walks a message through these nodes and reports problems; this module turns the
schema into nodes once per process and gives each node a predicate that answers "is this value
valid?" without building any problem, so the common case (a valid value) costs one call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..i18n import N_

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,), "array": (list,), "string": (str,), "boolean": (bool,),
    "integer": (int, float), "number": (int, float), "null": (type(None),),
}
_TYPE_WORDS = {"object": N_("an object"), "array": N_("an array"), "string": N_("a string"),
               "boolean": N_("a boolean"), "integer": N_("a whole number"), "number": N_("a number"),
               "null": N_("null")}


def _is_type(value: Any, kind: str) -> bool:
    if isinstance(value, bool):
        return kind == "boolean"
    if kind == "integer":
        return isinstance(value, int) or isinstance(value, float) and value.is_integer()
    return isinstance(value, _JSON_TYPES[kind])


def _units(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


class _Node:
    """One compiled schema object."""

    __slots__ = ("all_of", "any_of", "any_required", "conditions", "const", "description", "dispatch",
                 "enum", "item_node", "max_items", "max_length", "min_items", "min_length", "minimum", "name", "ok",
                 "pattern", "props", "ref", "required", "strict", "types")

    def __init__(self) -> None:
        self.types: tuple[str, ...] = ()
        self.enum: tuple[Any, ...] | None = None
        self.const: tuple[Any] | None = None
        self.pattern: re.Pattern[str] | None = None
        self.min_length = self.max_length = self.min_items = self.max_items = None  # type: int | None
        self.minimum: float | None = None
        self.required: tuple[str, ...] = ()
        self.props: dict[str, _Node] = {}
        self.strict = False
        self.item_node: _Node | None = None
        self.all_of: list[_Node] = []
        self.any_of: list[_Node] = []
        self.any_required: tuple[str, ...] = ()
        self.dispatch: tuple[str, dict[Any, _Node]] | None = None
        self.conditions: list[tuple[_Node, _Node | None, _Node | None]] = []
        self.ref: _Node | None = None
        self.description = ""
        self.name = ""
        #: Quick "is it valid?" (set by ``_Compiler.finish``).
        self.ok: Callable[[Any], bool] = lambda value: True


class _Compiler:
    def __init__(self, root: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = root.get("$defs", {})
        self.named: dict[str, _Node] = {}

    def ref(self, target: str) -> _Node:
        name = target.rsplit("/", 1)[-1]
        if name not in self.named:
            node = _Node()
            self.named[name] = node  # before filling: the definitions are recursive
            self.fill(node, self.defs[name])
            node.name = name
        return self.named[name]

    def compile(self, schema: dict[str, Any]) -> _Node:
        node = _Node()
        self.fill(node, schema)
        return node

    def finish(self, root: _Node) -> _Node:
        """Give leaf nodes their quick check (after compiling: references are filled by then)."""
        seen: set[int] = set()
        nodes: list[_Node] = []
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            nodes.append(node)
            node.ok = _make_ok(node)
            stack.extend(node.props.values())
            stack.extend(n for n in (node.ref, node.item_node) if n is not None)
            stack.extend(node.all_of)
            stack.extend(node.any_of)
            if node.dispatch is not None:
                stack.extend(node.dispatch[1].values())
            for parts in node.conditions:
                stack.extend(n for n in parts if n is not None)
        for node in nodes:  # a node that is only a $ref answers with its target's check, one call fewer
            target = node
            while target.ref is not None and _only_ref(target):
                target = target.ref
            if target is not node:
                node.ok = target.ok
        return root

    def fill(self, node: _Node, schema: dict[str, Any]) -> None:
        if "$ref" in schema:
            node.ref = self.ref(schema["$ref"])
        kind = schema.get("type")
        node.types = (kind,) if isinstance(kind, str) else tuple(kind or ())
        node.enum = tuple(schema["enum"]) if "enum" in schema else None
        node.const = (schema["const"],) if "const" in schema else None
        node.pattern = re.compile(schema["pattern"]) if "pattern" in schema else None
        node.min_length, node.max_length = schema.get("minLength"), schema.get("maxLength")
        node.min_items, node.max_items = schema.get("minItems"), schema.get("maxItems")
        node.minimum = schema.get("minimum")
        node.required = tuple(schema.get("required", ()))
        node.props = {k: self.compile(v) for k, v in schema.get("properties", {}).items()}
        node.strict = schema.get("additionalProperties") is False
        node.item_node = self.compile(schema["items"]) if "items" in schema else None
        node.description = schema.get("description", "")
        branches = schema.get("anyOf", [])
        if branches and all(set(b) == {"required"} for b in branches):
            node.any_required = tuple(b["required"][0] for b in branches)
        else:
            node.any_of = [self.compile(b) for b in branches]
        table: dict[Any, _Node] = {}
        key = None
        for part in schema.get("allOf", []):
            cond = part.get("if")
            if cond is not None and "else" not in part and set(cond) == {"required", "properties"} \
                    and len(cond["required"]) == 1 and "const" in cond["properties"].get(cond["required"][0], {}):
                key = cond["required"][0]
                table[cond["properties"][key]["const"]] = self.compile(part["then"])
            elif cond is not None:
                node.conditions.append((self.compile(cond), self.compile(part["then"]) if "then" in part else None,
                                        self.compile(part["else"]) if "else" in part else None))
            else:
                node.all_of.append(self.compile(part))
        if key is not None:
            node.dispatch = (key, table)


def _length_ok(text: str, low: int | None, high: int | None) -> bool:
    size = len(text)  # code points: UTF-16 units are between this and twice this
    if low is not None and size < low:
        return False
    if high is not None and size * 2 > high:
        return size <= high and _units(text) <= high
    return True


def _make_ok(node: _Node) -> Callable[[Any], bool]:
    """A closure answering "is ``value`` valid against ``node``?" with no paths and no messages: the
    quick path every valid message takes; only an invalid one is walked again to say why."""
    picked = _dispatch_ok(node)
    if picked is not None:
        return picked
    tests: list[Callable[[Any], bool]] = []
    if node.ref is not None:
        ref = node.ref
        tests.append(lambda v: ref.ok(v))
    if node.types:
        tests.append(_type_ok(node.types))
    if node.const is not None:
        wanted = node.const[0]
        tests.append(lambda v: v == wanted and type(v) is type(wanted))
    if node.enum is not None:
        choices = node.enum
        tests.append(lambda v: not isinstance(v, bool) and v in choices)
    if node.pattern is not None:
        search = node.pattern.search
        tests.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if node.min_length is not None or node.max_length is not None:
        low, high = node.min_length, node.max_length
        tests.append(lambda v: not isinstance(v, str) or _length_ok(v, low, high))
    if node.minimum is not None:
        least = node.minimum
        tests.append(lambda v: isinstance(v, bool) or not isinstance(v, (int, float)) or v >= least)
    if node.required or node.any_required or node.props or node.strict or node.dispatch:
        tests.append(_object_ok(node))
    if node.min_items is not None or node.max_items is not None or node.item_node is not None:
        tests.append(_array_ok(node))
    for part in node.all_of:
        tests.append(_delegate(part))
    if node.any_of:
        tests.append(_remembered(node.any_of))
    for cond, then, other in node.conditions:
        tests.append(_condition(cond, then, other))
    if not tests:
        return lambda v: True
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda v: first(v) and second(v)
    chain = tuple(tests)

    def ok(value: Any) -> bool:
        for test in chain:
            if not test(value):
                return False
        return True

    return ok


_EXACT = {"object": dict, "array": list, "string": str, "boolean": bool}


def _type_ok(kinds: tuple[str, ...]) -> Callable[[Any], bool]:
    if len(kinds) == 1 and kinds[0] in _EXACT:
        exact = _EXACT[kinds[0]]
        return lambda v: type(v) is exact or (exact is not bool and isinstance(v, exact) and not isinstance(v, bool))
    return lambda v: any(_is_type(v, t) for t in kinds)


#: Distinct strings remembered per ``anyOf`` node (keywords and sizes repeat across a batch).
_REMEMBER = 2048


def _remembered(branches: list[_Node]) -> Callable[[Any], bool]:
    """``anyOf`` with its answers for strings remembered: a string's validity depends on nothing else."""
    known: dict[str, bool] = {}

    def ok(value: Any) -> bool:
        if type(value) is str:
            answer = known.get(value)
            if answer is None:
                answer = any(b.ok(value) for b in branches)
                if len(known) < _REMEMBER:
                    known[value] = answer
            return answer
        return any(b.ok(value) for b in branches)

    return ok


def _delegate(part: _Node) -> Callable[[Any], bool]:
    return lambda v: part.ok(v)


def _condition(cond: _Node, then: _Node | None, other: _Node | None) -> Callable[[Any], bool]:
    def ok(value: Any) -> bool:
        branch = then if cond.ok(value) else other
        return branch is None or branch.ok(value)

    return ok


def _object_ok(node: _Node) -> Callable[[Any], bool]:
    required, any_required = node.required, node.any_required
    props = node.props
    pairs = tuple(props.items())
    strict = node.strict
    dispatch = node.dispatch

    def ok(value: Any) -> bool:
        if type(value) is not dict:
            return True
        for key in required:
            if key not in value:
                return False
        if any_required and not any(k in value for k in any_required):
            return False
        if strict:  # walk the keys the value has (a few), not every property the object may have
            for key, item in value.items():
                child = props.get(key)
                if child is None or not child.ok(item):
                    return False
        else:
            for key, child in pairs:
                if key in value and not child.ok(value[key]):
                    return False
        if dispatch is not None:
            name = value.get(dispatch[0])
            target = dispatch[1].get(name) if type(name) is str else None
            if target is not None and not target.ok(value):
                return False
        return True

    return ok


def _only_ref(node: _Node) -> bool:
    return not (node.types or node.enum is not None or node.const is not None or node.pattern is not None
                or node.min_length is not None or node.max_length is not None or node.minimum is not None
                or node.required or node.props or node.strict or node.item_node is not None
                or node.min_items is not None or node.max_items is not None or node.all_of or node.any_of
                or node.any_required or node.dispatch is not None or node.conditions)


def _dispatch_ok(node: _Node) -> Callable[[Any], bool] | None:
    """The quick check of a node that only picks a definition by ``type`` (and lists the types)."""
    if node.dispatch is None or node.types not in ((), ("object",)) or node.strict or node.any_required \
            or node.ref or node.all_of or node.any_of or node.conditions or node.enum or node.const:
        return None
    key, table = node.dispatch
    names = node.props[key].enum if set(node.props) == {key} else None
    if node.required != (key,) or names is None or set(names) != set(table):
        return None

    def ok(value: Any) -> bool:
        if type(value) is not dict:
            return False
        name = value.get(key)
        target = table.get(name) if type(name) is str else None
        return target is not None and target.ok(value)

    return ok


def _array_ok(node: _Node) -> Callable[[Any], bool]:
    low, high, item = node.min_items, node.max_items, node.item_node

    def ok(value: Any) -> bool:
        if not isinstance(value, list):
            return True
        if low is not None and len(value) < low or high is not None and len(value) > high:
            return False
        return item is None or all(item.ok(v) for v in value)

    return ok

