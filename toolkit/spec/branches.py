"""What a spec's placeholders can say, whatever the data: the literal text of every branch.

Samples show what a template says for the data they hold; a branch no sample takes
(``{% if order.coupon is defined %}SALE!{% endif %}``, an ``{% else %}``, a ``default("...")``) is
never built, so the rules that read built bodies never see it. Here each placeholder value is
parsed (never run) with the sandbox's own parser, and its syntax tree gives:

- :func:`literal_runs`: the text the template writes literally, as *runs*: the text and constants
  one block writes in a row, with :data:`HOLE` where a computed value goes. Runs of every branch
  (``if``/``elif``/``else``, loop bodies, conditional expressions, ``default``, ``replace`` and
  ``format`` arguments, ``set`` values) are included, whether or not a sample takes it.
- :func:`normal_form`: the tree as canonical JSON, for the approval hash: spacing inside ``{{ }}``
  and ``{% %}`` and the spec's own layout do not change it; any text, branch or expression does.
- :func:`branch_message`: a message holding, at each value's path, the runs no sample shows, for
  the guideline rules that read text and links.

The work is linear in the value's length: a value is parsed once (values are at most
:data:`~toolkit.limits.PLACEHOLDER_SOURCE_CHARS` long; longer ones are refused, A090), and each node
of its tree is visited once, without recursion.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .. import limits
from .placeholders import has_placeholder

if TYPE_CHECKING:
    from jinja2 import nodes

    from .message import Message

__all__ = ["BRANCH_NOTE", "HOLE", "branch_message", "literal_runs", "normal_form", "template_values"]

Path = tuple[str | int, ...]

#: Stands for a computed value inside a run of literal text (OBJECT REPLACEMENT CHARACTER): no
#: word, number or URL pattern matches across it.
HOLE = "\ufffc"
#: What a finding on such text says about where it is.
BRANCH_NOTE = "in a branch no sample takes"

#: Spec fields whose values are placeholders (the sent fields and the delivery tag).
_FIELDS = ("to", "templateKey", "body", "messages", "notificationDisabled", "customAggregationUnits",
           "deliveryTag")

#: Filters whose arguments end up in the output: ``default("...")``, ``replace(old, "...")``,
#: ``format(...)``; the index of the first shown argument.
_SHOWN_ARGUMENTS = {"default": 0, "d": 0, "replace": 1, "format": 0}


@lru_cache(maxsize=1024)
def _parse(text: str) -> nodes.Template | None:
    """The syntax tree of one value, parsed by the sandbox's parser; None when it does not parse or
    nests deeper than the sandbox runs."""
    if len(text) > limits.PLACEHOLDER_SOURCE_CHARS:
        return None  # refused before it runs (A090): nothing of it is sent
    from jinja2.parser import Parser

    from .placeholders import _environment

    try:
        tree = Parser(_environment(), text).parse()
    except (Exception, RecursionError):  # noqa: BLE001 - a syntax error is A090's to report
        return None
    stack = [(node, 2) for node in tree.iter_child_nodes()]
    while stack:  # the sandbox refuses a value nested deeper (A090), and it is sent as it is written
        node, depth = stack.pop()
        if depth > limits.PLACEHOLDER_NESTING:
            return None
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    return tree


def template_values(spec: Mapping[str, Any]) -> Iterator[tuple[Path, str]]:
    """``(path, value)`` of every string holding a placeholder in the spec's sent fields, in order."""
    stack: list[tuple[Path, Any]] = [((key,), spec[key]) for key in reversed(_FIELDS) if key in spec]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if has_placeholder(value):
                yield path, value
        elif isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(list(value.items())))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))


# --- the normal form (approval hash) --------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A field value that is not a node, as JSON with its type (1 and 1.0 and "1" differ)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value if not isinstance(value, int) or isinstance(value, bool) else {"int": str(value)}
    return {type(value).__name__: repr(value)}


def normal_form(text: str) -> str:
    """Canonical JSON of the value's syntax tree (or of the text itself when it does not parse).

    Node types and fields in order, the literal text exactly, no line numbers: ``{{order.id}}``
    and ``{{ order.id }}`` have the same form; ``{%- if %}`` (which trims output) does not.
    """
    tree = _parse(text)
    if tree is None:
        return json.dumps({"unparsed": text}, ensure_ascii=False)
    from jinja2 import nodes

    root: list[Any] = []
    stack: list[tuple[Any, list[Any]]] = [(tree, root)]
    while stack:
        node, into = stack.pop()
        if not isinstance(node, nodes.Node):
            into.append(_plain(node))
            continue
        entry: list[Any] = [type(node).__name__]
        into.append(entry)
        pending: list[tuple[Any, list[Any]]] = []
        for _, value in node.iter_fields():
            if isinstance(value, list):
                items: list[Any] = []
                entry.append(items)
                pending.extend((item, items) for item in value)
            else:
                pending.append((value, entry))
        stack.extend(reversed(pending))
    return json.dumps(root[0], ensure_ascii=False, separators=(",", ":"))


# --- the literal text of every branch ------------------------------------------------------------


@lru_cache(maxsize=1024)
def literal_runs(text: str) -> tuple[str, ...]:
    """The literal text of every branch of one value, as runs with :data:`HOLE` for computed parts.

    Empty for a value that does not parse (A090 reports it, and its raw text is what the samples hold).
    """
    tree = _parse(text)
    if tree is None:
        return ()
    from jinja2 import nodes

    runs: list[str] = []
    # Work items: ("stmt", node) a statement; ("expr", node, shown) an expression, with whether
    # what it gives is written out.
    stack: list[tuple[str, Any, bool]] = [("stmt", node, False) for node in reversed(tree.body)]
    while stack:
        kind, node, shown = stack.pop()
        if not isinstance(node, nodes.Node):
            continue
        if kind == "expr":
            if shown and isinstance(node, nodes.Const):
                if isinstance(node.value, str) and node.value.strip():
                    runs.append(node.value)
                continue
            if shown and isinstance(node, nodes.Concat):
                stack.extend(_run_of(node.nodes, runs))
                continue
            stack.extend(("expr", child, sub) for child, sub in reversed(list(_children(node, shown))))
            continue
        if isinstance(node, nodes.Output):
            stack.extend(_run_of(node.nodes, runs))
        elif isinstance(node, nodes.Assign):
            stack.append(("expr", node.node, True))  # {% set promo = "SALE" %}: written where used
        else:
            # Blocks (if/elif/else, for, macro, set-block, with, filter blocks): their bodies are
            # statements; their other expressions (tests, loop targets) are not written out,
            # except a loop's list ({% for word in ["SALE", "NOW"] %}).
            children: list[tuple[str, Any, bool]] = []
            for name, value in node.iter_fields():
                for child in value if isinstance(value, list) else [value]:
                    if isinstance(child, nodes.Stmt):
                        children.append(("stmt", child, False))
                    elif isinstance(child, nodes.Expr):
                        children.append(("expr", child, isinstance(node, nodes.For) and name == "iter"))
            stack.extend(reversed(children))
    return tuple(runs)


def _run_of(parts: Sequence[Any], runs: list[str]) -> list[tuple[str, Any, bool]]:
    """Add the run ``parts`` write in a row to ``runs``; return their computed parts to look into."""
    from jinja2 import nodes

    pieces: list[str] = []
    inner: list[tuple[str, Any, bool]] = []
    for part in parts:
        if isinstance(part, nodes.TemplateData):
            pieces.append(part.data)
        elif isinstance(part, nodes.Const) and isinstance(part.value, str):
            pieces.append(part.value)
        else:
            if not pieces or pieces[-1] != HOLE:
                pieces.append(HOLE)
            inner.append(("expr", part, True))
    run = "".join(pieces)
    if run.replace(HOLE, "").strip():
        runs.append(run)
    return list(reversed(inner))


def _children(node: nodes.Node, shown: bool) -> Iterator[tuple[nodes.Node, bool]]:
    """The sub-expressions of an expression, each with whether what it gives is written out."""
    from jinja2 import nodes

    if isinstance(node, nodes.CondExpr):
        yield node.test, False
        yield node.expr1, shown
        if node.expr2 is not None:
            yield node.expr2, shown
        return
    if isinstance(node, nodes.Filter):
        if node.node is not None:
            yield node.node, shown
        first = _SHOWN_ARGUMENTS.get(node.name)
        for index, argument in enumerate(node.args):
            yield argument, shown and first is not None and index >= first
        for keyword in node.kwargs:
            yield keyword.value, False
        return
    passes_on = isinstance(node, (nodes.Or, nodes.And, nodes.Add, nodes.Mod, nodes.List, nodes.Tuple,
                                  nodes.Pair, nodes.Dict))
    for name, value in node.iter_fields():
        keep = passes_on and not (isinstance(node, nodes.Pair) and name == "key")
        if isinstance(node, nodes.Getitem):
            keep = name == "node"
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, nodes.Node):
                yield child, shown and keep


# --- a message of the text no sample shows ----------------------------------------------------------


def _at(value: Any, path: Path) -> Any:
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return None
    return value


def _as_read(text: str) -> str:
    """A built value as the text rules read it (its first and last half when it is longer than
    :data:`~toolkit.limits.RULE_TEXT_CHARS`): what a sample shows them, found in bounded time."""
    half = limits.RULE_TEXT_CHARS // 2
    return text if len(text) <= limits.RULE_TEXT_CHARS else f"{text[:half]}\n{text[-half:]}"


def _shown(run: str, built: Sequence[str]) -> bool:
    """True when every literal piece of ``run`` is in what some sample built at that place."""
    pieces = [p.strip() for p in run.split(HOLE)]
    return any(all(piece in text for piece in pieces) for text in built)


def branch_message(spec: Mapping[str, Any], samples: Sequence[Message]) -> Message | None:
    """A message with, at each placeholder value's path, the literal runs no sample shows (one per
    line); None when the samples show them all. The other strings are left as they are, and
    :attr:`~toolkit.spec.message.Message.branch_paths` names the paths the rules should read."""
    from dataclasses import replace

    if not samples:
        return None
    body: dict[str, Any] | None = None
    paths: set[Path] = set()
    for path, value in template_values(spec):
        if path[0] == "deliveryTag":
            continue
        built = list(dict.fromkeys(_as_read(text) for msg in samples if isinstance(text := _at(msg.body, path), str)))
        unseen = [run for run in dict.fromkeys(literal_runs(value)) if not _shown(run, built)]
        if unseen:
            if body is None:  # a copy of the sent fields, made only for a spec that needs one
                body = json.loads(json.dumps({k: spec[k] for k in _FIELDS if k in spec and k != "deliveryTag"}))
            parent = _at(body, path[:-1])
            if isinstance(parent, (dict, list)):
                parent[path[-1]] = "\n".join(unseen)  # type: ignore[index]
                paths.add(path)
    if body is None or not paths:
        return None
    return replace(samples[0], body=body, sample=None, branch_paths=frozenset(paths),
                   placeholder_errors=[], spec_errors=[])
