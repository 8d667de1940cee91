"""The plainest placeholders filled without Jinja's render machinery, with the very same calls.

Most values of a spec are text around ``{{ order.id }}`` or ``{{ delivery.date | date('MMMEd') }}``.
Rendering such a value through a compiled Jinja template builds a context, a generator and a few
frames each time; here the parsed template becomes a short list of parts once, and filling it calls
exactly what the compiled template would call: the sandbox's ``getattr`` and ``getitem``, the same
budgeted filters, the same output check (:func:`._sandbox._output`), and ``StrictUndefined`` for a
missing name. So the text, the errors and the budgets are those of Jinja
(``tests/test_hostile_worker.py`` compares the two on every shipped example and on tricky values).
Anything else (``if``, other filters, operators) renders through Jinja.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._sandbox import _output

__all__ = ["Parts", "fill", "plan", "quick_tree"]

#: lnm's formatting filters: all they read of the context is the locale.
_FILTERS = frozenset({"date", "time", "datetime", "time_range", "date_range", "number", "money"})

#: An expression: (environment, sample data, context) -> value.
_Expr = Callable[[Any, dict[str, Any], dict[str, Any]], Any]
#: Literal text, or an expression whose value is written.
Parts = list["str | _Expr"]


#: Words Jinja reads as something else than a name (constants, operators, statements).
_WORDS = frozenset({"true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is", "if", "else",
                    "elif", "for", "endfor", "endif", "recursive", "with", "without", "context", "import", "from",
                    "as", "set", "block", "macro", "call", "filter", "include", "extends", "raw", "loop"})
_TOKEN = re.compile(r" *(?:(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<str>'[^'\\\n]*'|\"[^\"\\\n]*\")|(?P<int>0|[1-9][0-9]*)"
                    r"|(?P<op>[.\[\]|(),=]))")


def quick_tree(text: str) -> Any:
    """The parsed, instrumented tree of a value made only of text and ``{{ path }}`` or
    ``{{ path | filter(arguments) }}`` with one of lnm's filters, without running Jinja's lexer and
    parser; None for anything else (which Jinja then parses). The tree equals Jinja's own
    (``tests/test_placeholder_paths.py`` checks)."""
    from jinja2 import nodes

    if "\r" in text or "{%" in text or "{#" in text:
        return None
    if text.endswith("\n"):
        text = text[:-1]  # Jinja drops one newline at the end of a template
    out: list[Any] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        literal = text[pos:] if start < 0 else text[pos:start]
        if literal:
            out.append(nodes.TemplateData(literal))
        if start < 0:
            break
        end = text.find("}}", start + 2)
        expr = _quick_expression(text[start + 2:end]) if end > 0 else None
        if expr is None:
            return None
        out.append(expr)
        pos = end + 2
    return nodes.Template([nodes.Output([nodes.Filter(n, "lnm_output", [], [], None, None) for n in out])])


def _quick_expression(inner: str) -> Any:
    from jinja2 import nodes

    tokens: list[tuple[str, str]] = []
    pos = 0
    while pos < len(inner.rstrip(" ")):
        match = _TOKEN.match(inner, pos)
        if match is None or match.end() == pos:
            return None
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
    node, rest = _quick_path(tokens)
    if node is None:
        return None
    if not rest:
        return node
    if len(rest) < 2 or rest[0] != ("op", "|") or rest[1][0] != "name" or rest[1][1] not in _FILTERS:
        return None
    name, rest = rest[1][1], rest[2:]
    args: list[Any] = []
    kwargs: list[Any] = []
    if rest:
        if rest[0] != ("op", "(") or rest[-1] != ("op", ")"):
            return None
        rest = rest[1:-1]
        while rest:
            key = None
            if len(rest) > 2 and rest[0][0] == "name" and rest[1] == ("op", "="):
                key, rest = rest[0][1], rest[2:]
            if not rest:
                return None
            if rest[0][0] == "str":
                value, rest = nodes.Const(rest[0][1][1:-1]), rest[1:]
            elif rest[0][0] == "int":
                value, rest = nodes.Const(int(rest[0][1])), rest[1:]
            else:
                value, rest = _quick_path(rest)
                if value is None:
                    return None
            if key is not None:
                kwargs.append(nodes.Keyword(key, value))
            elif kwargs:
                return None  # a positional argument after a keyword one: Jinja's error to report
            else:
                args.append(value)
            if rest:
                if rest[0] != ("op", ",") or len(rest) == 1:
                    return None
                rest = rest[1:]
    return nodes.Filter(node, name, args, kwargs, None, None)


def _quick_path(tokens: list[tuple[str, str]]) -> tuple[Any, list[tuple[str, str]]]:
    """``name``, ``name.field``, ``name['key']``, ``name[0]``...: the node and the tokens after it."""
    from jinja2 import nodes

    if not tokens or tokens[0][0] != "name" or tokens[0][1] in _WORDS:
        return None, tokens
    node: Any = nodes.Name(tokens[0][1], "load")
    rest = tokens[1:]
    while rest:
        if rest[0] == ("op", ".") and len(rest) > 1 and rest[1][0] == "name" and rest[1][1] not in _WORDS:
            node, rest = nodes.Getattr(node, rest[1][1], "load"), rest[2:]
        elif rest[0] == ("op", "[") and len(rest) > 2 and rest[1][0] in ("str", "int") and rest[2] == ("op", "]"):
            key: Any = rest[1][1][1:-1] if rest[1][0] == "str" else int(rest[1][1])
            node, rest = nodes.Getitem(node, nodes.Const(key), "load"), rest[3:]
        else:
            break
    return node, rest


def plan(tree: Any, env: Any) -> Parts | None:
    """The parts of a parsed (instrumented) template, or None when it is not of the plainest kind."""
    from jinja2 import nodes

    parts: Parts = []
    for node in tree.body:
        if not isinstance(node, nodes.Output):
            return None
        for child in node.nodes:
            if isinstance(child, nodes.TemplateData):
                parts.append(child.data)
            elif isinstance(child, nodes.Filter) and child.name == "lnm_output" and child.node is not None:
                expr = _expression(child.node, env)
                if expr is None:
                    return None
                parts.append(expr)
            else:
                return None
    return parts


def _expression(node: Any, env: Any) -> _Expr | None:
    from jinja2 import nodes

    if isinstance(node, (nodes.Const, nodes.TemplateData)):  # literal text is written (and counted) too
        constant = node.value if isinstance(node, nodes.Const) else node.data
        return lambda env_, data, ctx: constant
    if isinstance(node, nodes.Name) and node.ctx == "load":
        name = node.name
        return lambda env_, data, ctx: _resolve(env_, data, ctx, name)
    if isinstance(node, nodes.Getattr):
        owner = _expression(node.node, env)
        attr = node.attr
        if owner is None:
            return None
        return lambda env_, data, ctx: env_.getattr(owner(env_, data, ctx), attr)
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        container = _expression(node.node, env)
        key = node.arg.value
        if container is None:
            return None
        return lambda env_, data, ctx: env_.getitem(container(env_, data, ctx), key)
    if (isinstance(node, nodes.Filter) and node.name in _FILTERS and node.node is not None
            and node.dyn_args is None and node.dyn_kwargs is None and node.name in env.filters):
        return _filter(node, env)
    return None


def _filter(node: Any, env: Any) -> _Expr | None:
    value = _expression(node.node, env)
    args = [_expression(arg, env) for arg in node.args]
    kwargs = {kw.key: _expression(kw.value, env) for kw in node.kwargs}
    if value is None or None in args or None in kwargs.values():
        return None
    func = env.filters[node.name]
    argv = [a for a in args if a is not None]
    named = {k: v for k, v in kwargs.items() if v is not None}
    return lambda env_, data, ctx: func(ctx, value(env_, data, ctx), *[a(env_, data, ctx) for a in argv],
                                        **{k: v(env_, data, ctx) for k, v in named.items()})


def _resolve(env: Any, data: dict[str, Any], ctx: dict[str, Any], name: str) -> Any:
    """A name as Jinja's context resolves it: the render variables, then the globals, else undefined."""
    if name in ctx:
        return ctx[name]
    if name in data:
        return data[name]
    if name in env.globals:
        return env.globals[name]
    return env.undefined(name=name)


def fill(parts: Parts, env: Any, data: dict[str, Any], locale: str) -> str:
    """The text of a planned value for ``data``; raises what the Jinja template would raise."""
    ctx = {"__locale__": locale}
    return "".join(part if isinstance(part, str) else _output(ctx, part(env, data, ctx)) for part in parts)
