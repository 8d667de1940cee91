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

from collections.abc import Callable
from typing import Any

__all__ = ["Parts", "fill", "plan"]

#: lnm's formatting filters: all they read of the context is the locale.
_FILTERS = frozenset({"date", "time", "datetime", "time_range", "date_range", "number", "money"})

#: An expression: (environment, sample data, context) -> value.
_Expr = Callable[[Any, dict[str, Any], dict[str, Any]], Any]
#: Literal text, or an expression whose value is written.
Parts = list["str | _Expr"]


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
    from ._sandbox import _output

    ctx = {"__locale__": locale}
    return "".join(part if isinstance(part, str) else _output(ctx, part(env, data, ctx)) for part in parts)
