"""A Jinja2 sandbox that also bounds work: every placeholder value renders within a budget.

Jinja's own sandbox stops a template from reaching Python internals, not from working without end:
``{{ "a" * 10**9 }}``, nested loops over ``range``, ``lipsum(10**6)`` or a string doubled in a
loop each hold a CI runner for minutes or exhaust its memory. Here every step a template takes is
counted and checked before it allocates:

- loop iterations, calls, filters, tests and the operators that can grow a value are *steps*;
- ``*``, ``**``, ``%``, ``+``, ``~``, ``join``, ``replace``, ``center``, ``indent``, ``format``...
  are checked against the size of what they would make *before* they make it;
- width, count and precision arguments, ``range()`` and integers are bounded;
- everything a value writes (also into ``{% set %}`` blocks and macros) counts towards its output;
- and a CPU-time budget per file is the backstop for anything else.

An exceeded budget raises :class:`~toolkit.errors.BudgetExceeded`, a :class:`PlaceholderError`, so lint reports it
at the value's path (A090) and build refuses the spec. The limits are in :mod:`toolkit.limits`.
"""

from __future__ import annotations

import functools
import math
import re
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, cast

import jinja2
from jinja2 import nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .. import limits
from ..errors import BudgetExceeded, PlaceholderError
from ..i18n import N_, Text
from ..limits import RenderBudget
from ._sizes import check_compared as _check_compared
from ._sizes import check_printed as _check_printed
from ._sizes import int_too_big as _int_too_big
from ._sizes import too_big as _too_big

__all__ = ["BudgetedEnvironment", "rendering"]


class _Value:
    """What one value has used so far."""

    __slots__ = ("deadline", "output", "steps")

    def __init__(self, deadline: float) -> None:
        self.steps = 0
        self.output = 0
        self.deadline = deadline


class _State(threading.local):
    """The value being rendered, per thread: ``lnm serve`` renders in several threads at once."""

    current: _Value | None = None


_state = _State()


class rendering:  # noqa: N801 - used as a context manager, like open()
    """Count the steps and output of one value against ``budget`` while the block runs."""

    def __init__(self, budget: RenderBudget) -> None:
        self._value = _Value(budget.deadline)
        self._saved: _Value | None = None

    def __enter__(self) -> None:
        self._saved, _state.current = _state.current, self._value

    def __exit__(self, *exc: object) -> None:
        _state.current = self._saved


def _tick() -> None:
    value = _state.current
    if value is None:  # constant folding while compiling: the checks still apply, nothing is counted
        return
    value.steps += 1
    if value.steps > limits.PLACEHOLDER_STEPS:
        raise BudgetExceeded(N_("placeholder takes more than {limit:,} steps (loop iterations, calls, filters "
                                "and operators)", limit=limits.PLACEHOLDER_STEPS))
    # The clock is a system call: read it every 64 steps (and at a value's first), a few milliseconds
    # apart at most. The worker process's CPU timer ends a single long step (toolkit/spec/_worker.py).
    if value.steps & 63 == 1 and time.process_time() > value.deadline:
        raise BudgetExceeded(N_("placeholders of this file take more than {seconds:g} s of CPU time; the values "
                                "after this one are left unfilled", seconds=limits.PLACEHOLDER_FILE_SECONDS))


def _sized(value: Any) -> Any:
    """``value``, once it is known to be within the size budget (strings, lists, integers)."""
    if isinstance(value, (str, bytes, list, tuple, dict, set, frozenset)):
        if len(value) > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(type(value), len(value))
    elif isinstance(value, int) and value.bit_length() > limits.PLACEHOLDER_INT_BITS:
        raise _int_too_big()
    return value


_WIDTH = N_("a width or precision")


def _size_argument(value: Any, what: Text) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) > limits.PLACEHOLDER_SIZE_ARGUMENT:
        # Translators: {what} is "a width or precision", "a width in center()"...
        raise BudgetExceeded(N_("placeholder asks for {what} of {value:,}; the limit is {limit:,}", what=what,
                                value=value, limit=limits.PLACEHOLDER_SIZE_ARGUMENT))


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else 0


# --- operators ----------------------------------------------------------------------------------------

_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


def _check_percent(template: str, operand: Any) -> None:
    starred = False
    for match in _PERCENT_SPEC.finditer(template):
        for number in match.groups():
            if number == "*":
                starred = True
            elif number:
                _size_argument(int(number), _WIDTH)
    if starred:
        for arg in operand if isinstance(operand, tuple) else (operand,):
            _size_argument(arg, _WIDTH)


def _check_format(template: str, args: Iterable[Any]) -> None:
    """Widths and precisions of a ``str.format`` template, also ones filled from the arguments."""
    nested = False
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError:
        return  # str.format raises the same error itself
    for _, _, spec, _ in parsed:
        if spec:
            nested = nested or "{" in spec
            for number in re.findall(r"\d+", spec):
                _size_argument(int(number), _WIDTH)
    if nested:
        for arg in args:
            _size_argument(arg, _WIDTH)


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "*":
        for seq, count in ((left, right), (right, left)):
            if _length(seq) and isinstance(count, int) and _length(seq) * count > limits.PLACEHOLDER_VALUE_CHARS:
                raise _too_big(type(seq), _length(seq) * count)
        if isinstance(left, int) and isinstance(right, int):
            if left.bit_length() + right.bit_length() > limits.PLACEHOLDER_INT_BITS:
                raise _int_too_big()
    elif operator == "**":
        if isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1:
            if left.bit_length() * right > limits.PLACEHOLDER_INT_BITS:
                raise _int_too_big()
    elif operator == "%" and isinstance(left, str):
        _check_percent(left, right)
        _check_printed(len(left), right if not (isinstance(right, dict) and "%(" in left) else ())
    elif operator == "+" and _length(left) + _length(right) > limits.PLACEHOLDER_VALUE_CHARS:
        raise _too_big(type(left), _length(left) + _length(right))


# --- calls of string methods and globals --------------------------------------------------------------


def _check_method(name: str, owner: str | bytes, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    values = (*args, *kwargs.values())
    if name in ("center", "ljust", "rjust", "zfill"):
        for value in values[:1]:
            _size_argument(value, N_("a width in {name}()", name=name))
    elif name == "expandtabs":
        size = values[0] if values else 8
        _size_argument(size, N_("a tab size in expandtabs()"))
        tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
        if isinstance(size, int) and size * tabs > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(str, size * tabs)
    elif name == "replace" and len(values) >= 2:
        _check_replace(owner, values[0], values[1])
    elif name == "translate":
        table = values[0] if values else None
        longest = max((_length(v) for v in table.values()), default=1) if isinstance(table, dict) else 1
        if longest * len(owner) > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(str, longest * len(owner))


def _check_replace(value: Any, old: Any, new: Any) -> None:
    if isinstance(value, (str, bytes)) and isinstance(old, type(value)) and isinstance(new, type(value)):
        count = len(value) + 1 if not old else value.count(old)  # type: ignore[arg-type]
        size = len(value) + count * (len(new) - len(old))
        if size > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(str, size)


def _bounded_range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > limits.PLACEHOLDER_RANGE:
        raise BudgetExceeded(N_("range() of {size:,} items; the limit is {limit:,}", size=len(numbers),
                                limit=limits.PLACEHOLDER_RANGE))
    return numbers


def _checked_lipsum(func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)
    def lipsum(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> Any:  # noqa: A002 - Jinja's names
        words = (n if isinstance(n, int) else 0) * (max if isinstance(max, int) else 0)
        if words > limits.PLACEHOLDER_SIZE_ARGUMENT:
            raise BudgetExceeded(N_("lipsum() of {size:,} words; the limit is {limit:,}", size=words,
                                    limit=limits.PLACEHOLDER_SIZE_ARGUMENT))
        return func(n, html, min, max)

    return lipsum


# --- filters ------------------------------------------------------------------------------------------


def _filter_checks(name: str, value: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Check a filter's arguments before it runs; returns the arguments to call it with."""
    named = {**dict(zip(_FILTER_ARGS.get(name, ()), args, strict=False)), **kwargs}
    for argument in _SIZE_ARGS.get(name, ()):
        _size_argument(named.get(argument), N_("a {argument} in {name}", argument=argument, name=name))
    if name == "indent":
        width = named.get("width", 4)
        unit = len(width) if isinstance(width, str) else width if isinstance(width, int) else 0
        if isinstance(value, str) and unit * (value.count("\n") + 1) > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(str, unit * (value.count("\n") + 1))
    elif name == "wordwrap":
        width = named.get("width", 79)
        wrap = named.get("wrapstring")
        if isinstance(value, str) and isinstance(width, int) and width > 0:
            lines = len(value) // width + 1
            if lines * max(1, _length(wrap)) > limits.PLACEHOLDER_VALUE_CHARS:
                raise _too_big(str, lines * _length(wrap))
    elif name == "replace" and len(args) >= 2:
        _check_replace(value, args[0], args[1])
    elif name == "format" and isinstance(value, str):
        _check_percent(value, tuple(args) or tuple(kwargs.values()))
        _check_printed(len(value), *args, *kwargs.values())
    elif name == "string":
        _check_printed(0, value)
    elif name in ("sort", "unique", "min", "max", "dictsort", "groupby"):
        _check_compared(value, "sorts or compares")
    elif name == "sum":
        items = list(_bounded_iter(value))
        start = named.get("start", 0)
        if _length(start) or any(_length(item) for item in items[:1]):
            size = _length(start) + sum(_length(item) for item in items)
            if size > limits.PLACEHOLDER_VALUE_CHARS:
                raise _too_big(type(start), size)
            copies = size * len(items)  # the growing result is copied once per item
            if copies > limits.PLACEHOLDER_VALUE_CHARS * 100:
                raise BudgetExceeded(N_("sum() of {count:,} lists or texts would copy {size:,} items; the limit "
                                        "is {limit:,}", count=len(items), size=copies,
                                        limit=limits.PLACEHOLDER_VALUE_CHARS * 100))
        return (items, *args)
    elif name == "tojson":
        indent = named.get("indent")
        if isinstance(indent, int) and indent > limits.PLACEHOLDER_JSON_INDENT:
            raise BudgetExceeded(N_("placeholder asks for an indent in tojson of {indent:,}; the limit is {limit}",
                                    indent=indent, limit=limits.PLACEHOLDER_JSON_INDENT))
    elif name == "join":
        items = list(_bounded_iter(value))
        separator = named.get("d", "")
        if _length(separator) * len(items) > limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(str, _length(separator) * len(items))
        _check_printed(_length(separator) * len(items), *items)
        return (items, *args)
    return (value, *args)


#: Positional parameters of the Jinja filters that take sizes, after the value.
_FILTER_ARGS: dict[str, tuple[str, ...]] = {
    "center": ("width",), "indent": ("width", "first", "blank"), "wordwrap": ("width", "break_long_words",
    "wrapstring"), "truncate": ("length",), "batch": ("linecount",), "slice": ("slices",),
    "round": ("precision",), "tojson": ("indent",), "join": ("d", "attribute"), "filesizeformat": ("binary",),
    "sum": ("attribute", "start"),
}
_SIZE_ARGS: dict[str, tuple[str, ...]] = {
    "center": ("width",), "indent": ("width",), "wordwrap": ("width",), "batch": ("linecount",),
    "slice": ("slices",), "round": ("precision",),
}


def _bounded_iter(value: Any) -> Iterator[Any]:
    for count, item in enumerate(value if isinstance(value, Iterable) else ()):
        if count >= limits.PLACEHOLDER_VALUE_CHARS:
            raise _too_big(list, count)
        yield item


def _budgeted_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    passes_first = getattr(func, "jinja_pass_arg", None) is not None

    @functools.wraps(func)  # keeps jinja_pass_arg: the context still comes first
    def checked(*args: Any, **kwargs: Any) -> Any:
        _tick()
        head, rest = (args[:1], args[1:]) if passes_first else ((), args)
        if rest:
            rest = _filter_checks(name, rest[0], rest[1:], kwargs)
        return _sized(func(*head, *rest, **kwargs))

    return checked


_COMPARING_TESTS = frozenset({"eq", "equalto", "==", "ne", "!=", "lt", "lessthan", "<", "le", "<=", "gt",
                              "greaterthan", ">", "ge", ">=", "in"})


def _budgeted_test(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    compares = name in _COMPARING_TESTS

    @functools.wraps(func)
    def checked(*args: Any, **kwargs: Any) -> Any:
        _tick()
        if compares:
            for arg in (*args, *kwargs.values()):
                _check_compared(arg)
        return func(*args, **kwargs)

    return checked


# --- the instrumented template ------------------------------------------------------------------------


def _what(value: Any) -> Text | None:
    """Why a value cannot be written into a message, or None when it can."""
    if isinstance(value, str):
        return None
    if isinstance(value, bool) or value is None:
        return N_("{value}, not text", value="null" if value is None else str(value).lower())
    if isinstance(value, float):
        return None if math.isfinite(value) else N_("{value}, not a finite number", value=str(value))
    if isinstance(value, int):
        return None
    if isinstance(value, dict):
        return N_("an object (a JSON object), not text: name one of its fields")
    if isinstance(value, (list, tuple)):
        return N_("a list, not text: pick an item, or join the items")
    # Translators: {type} is a Python type name (datetime, Undefined...).
    return N_("a {type}, not text", type=type(value).__name__)


@jinja2.pass_context
def _output(context: Any, value: Any) -> str:
    """Everything a template writes passes here: checked for its type and counted."""
    _tick()
    if isinstance(value, jinja2.Undefined):
        return str(value)  # StrictUndefined raises with the name
    problem = _what(value)
    if problem is not None:
        # Translators: {problem} is what the value is ("null, not text", "a list, not text: ...").
        raise PlaceholderError(N_("placeholder gives {problem}", problem=problem))
    text = str(value)
    current = _state.current
    if current is not None:
        current.output += len(text)
        if current.output > limits.PLACEHOLDER_OUTPUT_CHARS:
            raise BudgetExceeded(N_("placeholder writes more than {limit:,} characters",
                                    limit=limits.PLACEHOLDER_OUTPUT_CHARS))
    return text


@jinja2.pass_context
def _loop(context: Any, iterable: Any) -> Iterator[Any]:
    """The iterable of a ``{% for %}``: one step per item."""
    for item in iterable:
        _tick()
        yield item


@jinja2.pass_context
def _concat(context: Any, parts: list[Any]) -> str:
    """The ``~`` operator, checked for size before joining."""
    _tick()
    _check_printed(0, *parts)
    texts = [str(part) for part in parts]
    size = sum(len(t) for t in texts)
    if size > limits.PLACEHOLDER_VALUE_CHARS:
        raise _too_big(str, size)
    return "".join(texts)


@jinja2.pass_context
def _compared(context: Any, value: Any) -> Any:
    """Each side of a comparison (``==``, ``<``, ``in``...), walked with a limit first."""
    _check_compared(value)
    return value


_INTERNAL = {"lnm_output": _output, "lnm_loop": _loop, "lnm_concat": _concat, "lnm_compared": _compared}


def _wrap(node: nodes.Expr, name: str) -> nodes.Filter:
    return nodes.Filter(node, name, [], [], None, None, lineno=node.lineno)


def _instrument(tree: nodes.Template) -> nodes.Template:
    """Check nesting, then route loops, output and ``~`` through the counting filters above."""
    stack: list[tuple[nodes.Node, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limits.PLACEHOLDER_NESTING:
            raise BudgetExceeded(N_("placeholder nested more than {limit} levels deep", limit=limits.PLACEHOLDER_NESTING))
        stack.extend((child, depth + 1) for child in node.iter_child_nodes())
    for node in list(tree.find_all(nodes.Node)):
        for field, value in node.iter_fields():
            if isinstance(value, nodes.Concat):
                setattr(node, field, _wrap(nodes.List(value.nodes, lineno=value.lineno), "lnm_concat"))
            elif isinstance(value, list):
                value[:] = [_wrap(nodes.List(v.nodes, lineno=v.lineno), "lnm_concat")
                            if isinstance(v, nodes.Concat) else v for v in value]
    for compare in tree.find_all(nodes.Compare):
        compare.expr = _wrap(compare.expr, "lnm_compared")
        for operand in compare.ops:
            operand.expr = _wrap(operand.expr, "lnm_compared")
    for loop in tree.find_all(nodes.For):
        loop.iter = _wrap(cast(nodes.Expr, loop.iter), "lnm_loop")
    for output in tree.find_all(nodes.Output):
        output.nodes = [_wrap(child, "lnm_output") for child in output.nodes]
    return tree


class BudgetedEnvironment(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every step counted and every growth checked first."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _budgeted_filter(name, func) for name, func in self.filters.items()}
        self.filters.update(_INTERNAL)
        self.tests = {name: _budgeted_test(name, cast("Callable[..., Any]", func)) for name, func in self.tests.items()}
        self.globals["range"] = _bounded_range
        self.globals["lipsum"] = _checked_lipsum(cast("Callable[..., Any]", self.globals["lipsum"]))

    def add_filters(self, **filters: Callable[..., Any]) -> None:
        """Register filters of our own, counted and checked like Jinja's."""
        self.filters.update({name: _budgeted_filter(name, func) for name, func in filters.items()})

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = _instrument(super()._parse(source, name, filename))
        tree.set_environment(self)
        return tree

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _tick()
        _check_binop(operator, left, right)
        return _sized(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's names
        _tick()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, bytes)):
            _check_method(getattr(__obj, "__name__", ""), owner, args, kwargs)
        return _sized(super().call(__context, __obj, *args, **kwargs))

    def getattr(self, obj: Any, attribute: str) -> Any:
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _tick()
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        template = value.__self__
        is_map = value.__name__ == "format_map"

        @functools.wraps(wrapped)
        def checked(*args: Any, **kwargs: Any) -> str:
            values = list(args[0].values()) if is_map and args and isinstance(args[0], dict) else [
                *args, *kwargs.values()]
            _check_format(template, values)
            _check_printed(len(template), *values)
            return str(_sized(wrapped(*args, **kwargs)))

        return checked
