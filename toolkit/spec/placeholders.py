"""Jinja2 placeholders in spec values, with Babel-backed filters in the template's locale.

Placeholders run in Jinja's sandbox with ``StrictUndefined``: an unknown name is an error, and a
template cannot reach Python internals. Rendering is bounded (:mod:`toolkit.spec._sandbox`): output, steps,
sizes and time have budgets, set in :mod:`toolkit.limits`. The locale is passed explicitly on every
call. Jinja2 and Babel are imported only when a value really holds a placeholder or something is
formatted, so a run that meets none (``lnm lint`` on a plain API body) never loads them.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import TYPE_CHECKING, Any

from .. import limits
from ..errors import BudgetExceeded, PlaceholderError
from ..i18n import N_
from ..limits import RenderBudget

if TYPE_CHECKING:
    import decimal

    import jinja2

    from ._direct import Parts
    from ._sandbox import BudgetedEnvironment

__all__ = ["LOCALES", "BudgetExceeded", "RenderBudget", "has_placeholder", "locale_for", "render_string"]

#: Babel locale for each message language (and the app languages previews use).
LOCALES: dict[str, str] = {
    "ja": "ja_JP",
    "th": "th_TH",
    "zh-Hant": "zh_Hant_TW",
    "zh-Hans": "zh_Hans_CN",
    "en": "en_US",
}

_BUDDHIST_OFFSET = 543


def locale_for(language: str) -> str:
    """Return the Babel locale for a language tag, English for anything unknown."""
    return LOCALES.get(language, "en_US")


def has_placeholder(text: str) -> bool:
    return "{{" in text or "{%" in text


#: An ISO 8601 calendar date, optionally with a time of day and an offset: all a date filter reads.
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.,][0-9]{1,6})?)?"
                           r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?")


def _iso_moment(value: Any, date_first: bool) -> _dt.datetime:
    """An ISO date or date-time string as a datetime; anything else (a date with words after it, a
    slash-separated date, a number) is an error naming the value, never a guess."""
    text = value if isinstance(value, str) else None
    moment = None
    if text is not None and _ISO_DATETIME.fullmatch(text):
        try:
            moment = _dt.datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
        except ValueError:
            moment = None  # 2024-02-30, 25:00: the right shape, not a real day or time
    if moment is None:
        if date_first:
            raise PlaceholderError(N_("not an ISO date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM): {value!r}",
                                      value=value), value=(value,))
        raise PlaceholderError(N_("not an ISO date-time (YYYY-MM-DDTHH:MM) or date (YYYY-MM-DD): {value!r}",
                                  value=value), value=(value,))
    return moment


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _iso_moment(value, date_first=True).date()


def _as_time(value: Any) -> _dt.time:
    if isinstance(value, _dt.datetime):
        return value.time()
    if isinstance(value, _dt.time):
        return value
    try:
        return _dt.time.fromisoformat(str(value))
    except ValueError:
        raise PlaceholderError(N_("not an ISO time (HH:MM): {value!r}", value=value), value=(value,)) from None


def _as_datetime(value: Any) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime.combine(value, _dt.time())
    return _iso_moment(value, date_first=False)


def _as_number(value: Any) -> decimal.Decimal:
    import decimal

    if isinstance(value, bool):
        raise PlaceholderError(N_("not a number: {value!r}", value=value), value=(value,))
    text = str(value)
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise PlaceholderError(N_("not a number: {value!r}", value=value), value=(value,)) from None
    if not amount.is_finite():
        raise PlaceholderError(N_("not a finite number: {value!r}", value=value), value=(value,))
    if amount and abs(amount.adjusted()) >= limits.PLACEHOLDER_NUMBER_DIGITS:
        raise BudgetExceeded(N_("number {number} has more than {limit} digits before the decimal point or zeros "
                                "after it", number=text, limit=limits.PLACEHOLDER_NUMBER_DIGITS))
    return amount


def _format(fmt: Any) -> Any:
    """A date, time or number format argument, once it is short enough to be one."""
    if isinstance(fmt, str) and len(fmt) > limits.PLACEHOLDER_FORMAT_CHARS:
        raise BudgetExceeded(N_("format of {size:,} characters; the limit is {limit}", size=len(fmt),
                                limit=limits.PLACEHOLDER_FORMAT_CHARS))
    return fmt


_NAMED = ("short", "medium", "long", "full")


@functools.lru_cache(maxsize=16)
def _babel(locale: str) -> Any:
    """Babel's Locale, parsed once per run rather than on every call."""
    from babel import Locale

    return Locale.parse(locale)


@functools.lru_cache(maxsize=512)
def _skeleton(skeleton: str, locale: str) -> Any:
    """The pattern Babel's ``format_skeleton`` picks for a skeleton, looked up once per run."""
    from babel import dates as _bdates

    data = _babel(locale).datetime_skeletons
    if skeleton not in data:
        skeleton = _bdates.match_skeleton(skeleton, data) or skeleton
    return data[skeleton]


def format_date(value: Any, fmt: str = "medium", *, locale: str, era: str | None = None) -> str:
    """Format a date in ``locale``; Thai gets the Buddhist year unless ``era='gregorian'``."""
    from babel import dates as _bdates

    day = _as_date(value)
    fmt = _format(fmt)
    if fmt in _NAMED:
        text = _bdates.format_date(day, format=fmt, locale=_babel(locale))
    else:
        text = _bdates.format_datetime(day, _skeleton(fmt, locale), None, _babel(locale))
    buddhist = era == "buddhist" or (era is None and locale.startswith("th"))
    short_year = f"{day.year % 100:02d}"
    if buddhist and str(day.year) not in text and text.endswith(short_year):
        # Two-digit years ("10/8/24") become the Buddhist two-digit year ("10/8/67").
        return text[: -2] + f"{(day.year + _BUDDHIST_OFFSET) % 100:02d}"
    if buddhist and str(day.year) in text:
        # Babel has no Buddhist calendar: swap the Christian era and year for พ.ศ. and year + 543.
        year = str(day.year + _BUDDHIST_OFFSET)
        text = text.replace("ค.ศ.", "พ.ศ.").replace(str(day.year), year)
        if fmt in ("long", "full") and "พ.ศ." not in text:
            text = text.replace(year, f"พ.ศ. {year}")
    return text


def format_time(value: Any, fmt: str = "short", *, locale: str) -> str:
    """Format a time of day; Thai short times get the customary "น."."""
    moment = _as_time(value)
    fmt = _format(fmt)
    if locale.startswith("th") and fmt == "short":
        return f"{moment.hour:02d}:{moment.minute:02d} น."
    from babel import dates as _bdates

    if fmt in _NAMED:
        return _bdates.format_time(moment, format=fmt, locale=_babel(locale))
    return _bdates.format_datetime(_dt.datetime.combine(_dt.date(2000, 1, 1), moment), _skeleton(fmt, locale),
                                   None, _babel(locale))


def format_datetime(value: Any, fmt: str = "medium", *, locale: str) -> str:
    moment = _as_datetime(value)
    return f"{format_date(moment.date(), fmt, locale=locale)} {format_time(moment.time(), 'short', locale=locale)}"


_RANGE_SEPARATOR = {"ja": "～", "zh": "–"}


def format_time_range(start: Any, end: Any, fmt: str = "short", *, locale: str) -> str:
    a, b = _as_time(start), _as_time(end)
    if locale.startswith("th"):
        return f"{a.hour:02d}:{a.minute:02d} - {b.hour:02d}:{b.minute:02d} น."
    sep = _RANGE_SEPARATOR.get(locale[:2], " – ")
    return f"{format_time(a, fmt, locale=locale)}{sep}{format_time(b, fmt, locale=locale)}"


def format_date_range(start: Any, end: Any, fmt: str = "MMMEd", *, locale: str) -> str:
    sep = _RANGE_SEPARATOR.get(locale[:2], " – ")
    return f"{format_date(start, fmt, locale=locale)}{sep}{format_date(end, fmt, locale=locale)}"


def format_number(value: Any, decimals: int | None = None, *, locale: str) -> str:
    from babel import numbers as _bnumbers

    amount = _as_number(value)
    if decimals is None:
        return _bnumbers.format_decimal(amount, locale=_babel(locale))
    if not isinstance(decimals, int) or not 0 <= decimals <= limits.PLACEHOLDER_DECIMALS:
        raise BudgetExceeded(N_("number() takes 0 to {limit} decimals, not {decimals!r}", limit=limits.PLACEHOLDER_DECIMALS,
                                decimals=decimals))
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _bnumbers.format_decimal(amount, format=pattern, locale=_babel(locale), decimal_quantization=True)


def format_money(value: Any, currency: str, *, locale: str) -> str:
    """Format an amount the way receipts in that market write it."""
    from babel import numbers as _bnumbers

    amount = _as_number(value)
    currency = str(_format(currency)).upper()
    if locale.startswith("ja") and currency == "JPY":
        return _bnumbers.format_decimal(amount, format="#,##0", locale=_babel(locale)) + "円"
    if locale.startswith("zh_Hant") and currency == "TWD":
        return "NT$" + _bnumbers.format_decimal(amount, format="#,##0", locale=_babel(locale))
    return _bnumbers.format_currency(amount, currency, locale=_babel(locale))


def _bound(func: Any) -> Any:
    import jinja2

    @jinja2.pass_context
    def filter_(ctx: Any, value: Any, *args: Any, **kwargs: Any) -> str:
        return str(func(value, *args, locale=ctx["__locale__"], **kwargs))

    return filter_


@functools.lru_cache(maxsize=1)
def _environment() -> BudgetedEnvironment:
    """The sandbox, built when the first placeholder is met."""
    import jinja2

    from ._sandbox import BudgetedEnvironment

    env = BudgetedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False)
    env.add_filters(
        date=_bound(format_date),
        time=_bound(format_time),
        datetime=_bound(format_datetime),
        time_range=_bound(format_time_range),
        date_range=_bound(format_date_range),
        number=_bound(format_number),
        money=_bound(format_money),
    )
    return env


#: Jinja filters and tests whose work is bounded by the size of their input (at most the 2 MB of
#: the file): a template made only of these, names, lookups, comparisons and ``if`` runs in process.
_BOUNDED_FILTERS = frozenset({
    "lnm_output", "lnm_compared", "date", "time", "datetime", "time_range", "date_range", "number", "money", "upper", "lower",
    "title", "capitalize", "trim", "default", "d", "length", "count", "e", "escape", "first", "last", "int",
    "float", "abs", "round", "truncate"})
_BOUNDED_TESTS = frozenset({
    "defined", "undefined", "none", "number", "string", "mapping", "sequence", "boolean", "true", "false",
    "integer", "float", "odd", "even", "divisibleby", "eq", "ne", "lt", "le", "gt", "ge", "==", "!=", "<", "<=",
    ">", ">=", "lower", "upper", "in"})


def _bounded(tree: Any) -> bool:
    """True when every step of the template is bounded by the size of its input: no loops, calls,
    operators that grow a value, assignments or macros; only the filters and tests named above."""
    from jinja2 import nodes

    simple = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Getattr, nodes.Getitem,
              nodes.Const, nodes.If, nodes.CondExpr, nodes.Not, nodes.And, nodes.Or, nodes.Compare,
              nodes.Operand, nodes.Keyword)
    for node in tree.find_all(nodes.Node):
        if isinstance(node, (nodes.Filter, nodes.Test)):
            names = _BOUNDED_FILTERS if isinstance(node, nodes.Filter) else _BOUNDED_TESTS
            if node.name not in names or node.dyn_args is not None or node.dyn_kwargs is not None:
                return False
        elif type(node) not in simple:
            return False
    return True


@functools.lru_cache(maxsize=4096)
def prepare(text: str) -> Prepared | None:
    """A value ready to fill in this process when its template is bounded (:func:`_bounded`); None
    when it runs in the worker process. Each distinct value is parsed once per run, and compiled
    only when it is not of the plainest kind (:mod:`._direct`).

    Raises :class:`PlaceholderError` for a syntax error, and for budgets checked while parsing."""
    import jinja2

    if len(text) > limits.PLACEHOLDER_SOURCE_CHARS:
        raise BudgetExceeded(N_("value with placeholders of {size:,} characters; the limit is {limit:,}",
                                size=len(text), limit=limits.PLACEHOLDER_SOURCE_CHARS))
    env = _environment()
    from ._direct import plan, quick_tree

    quick = quick_tree(text)
    parts = plan(quick, env) if quick is not None else None
    if parts is not None:
        return Prepared(parts, None)
    try:
        tree = env.parse(text)
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(_syntax_error(exc.message)) from None
    except RecursionError:
        raise BudgetExceeded(N_("placeholder nests or recurses too deeply")) from None
    if not _bounded(tree):
        return None
    parts = plan(tree, env)
    return Prepared(parts, None if parts is not None else env.from_string(tree))


@functools.cache
def _modules() -> tuple[Any, Any]:
    """:mod:`._direct` and :mod:`._sandbox`, imported once (not on every value)."""
    from . import _direct, _sandbox

    return _direct, _sandbox


class Prepared:
    """A value's template: the parts :mod:`._direct` fills, or else the compiled Jinja template."""

    __slots__ = ("parts", "template")

    def __init__(self, parts: Parts | None, template: jinja2.Template | None) -> None:
        self.parts = parts
        self.template = template

    def render(self, data: dict[str, Any], locale: str) -> str:
        if self.parts is not None:
            return str(_modules()[0].fill(self.parts, _environment(), data, locale))
        assert self.template is not None
        return self.template.render({**data, "__locale__": locale})


def warm_up() -> None:
    """Load what rendering needs (in the worker, before its first request)."""
    _environment()
    from babel import dates, numbers  # noqa: F401 - imported for their side effect: loaded once


def render_here(text: str, data: dict[str, Any], language: str, budget: RenderBudget) -> str:
    """Fill one value in this process (:mod:`._worker` calls this for values that are not bounded)."""
    import jinja2

    try:
        prepared = _compiled(text)
        with _modules()[1].rendering(budget):
            return prepared.render(data, locale_for(language))
    except BudgetExceeded:
        if budget.out_of_time():
            budget.exhausted = True
        raise
    except PlaceholderError:
        raise
    except RecursionError:
        raise BudgetExceeded(N_("placeholder nests or recurses too deeply")) from None
    except MemoryError:
        raise BudgetExceeded(N_("placeholder needs more than {size:,} MB of memory",
                                size=limits.PLACEHOLDER_WORKER_BYTES // 2**20)) from None
    except jinja2.UndefinedError as exc:
        # Translators: {reason} is Jinja's own explanation, in English ("'order' is undefined").
        raise PlaceholderError(N_("undefined name in placeholder: {reason}", reason=str(exc.message))) from None
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(_syntax_error(exc.message)) from None
    except jinja2.exceptions.SecurityError as exc:
        raise PlaceholderError(N_("placeholder not allowed: {reason}", reason=str(exc))) from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a designer's template is a finding
        raise PlaceholderError(N_("placeholder failed: {error}: {reason}", error=type(exc).__name__,
                                  reason=str(exc))) from None


def _syntax_error(reason: str | None) -> str:
    # Translators: {reason} is Jinja's own explanation, in English ("unexpected '}'").
    return N_("placeholder syntax error: {reason}", reason=str(reason))


def _compiled(text: str) -> Prepared:
    prepared = prepare(text)
    return prepared if prepared is not None else _compiled_anyway(text)


@functools.lru_cache(maxsize=2048)
def _compiled_anyway(text: str) -> Prepared:
    return Prepared(None, _environment().from_string(text))


#: One value to fill: (index of its sample data, the text with placeholders).
Job = tuple[int, str]


def fill(jobs: list[Job], datas: list[dict[str, Any]], language: str,
         budget: RenderBudget) -> list[str | PlaceholderError | None]:
    """Fill many values of one file: the text, the error, or None for a value left unfilled
    because the file's CPU-time budget ran out before it (one finding is enough).

    Bounded templates run here; the others go, all at once, to a worker process the operating
    system can stop (:mod:`._worker`).
    """
    out: list[str | PlaceholderError | None] = [None] * len(jobs)
    elsewhere: list[int] = []
    for index, (which, text) in enumerate(jobs):
        if budget.exhausted:
            return out
        try:
            if prepare(text) is None:
                elsewhere.append(index)
            else:
                out[index] = render_here(text, datas[which], language, budget)
        except PlaceholderError as exc:
            out[index] = exc
    if elsewhere:
        from ._worker import render_batch

        remaining = max(budget.deadline - _process_time(), 0.0)
        results = render_batch(language, remaining, datas, [jobs[i] for i in elsewhere])
        for index, result in zip(elsewhere, results, strict=True):
            if result is None:
                continue
            kind, payload, value = result
            if kind == "ok":
                out[index] = payload
            elif kind in ("budget", "time"):
                out[index] = BudgetExceeded(payload)
                budget.exhausted = budget.exhausted or kind == "time"
            else:
                out[index] = PlaceholderError(payload, value=value)
    return out


def stop_workers() -> None:
    """End the worker processes, also ones rendering now (their values get a finding)."""
    from ._worker import stop_workers as stop

    stop()


def _process_time() -> float:
    import time

    return time.process_time()


def render_string(text: str, data: dict[str, Any], language: str, budget: RenderBudget | None = None) -> str:
    """Fill the placeholders of one value; raise :class:`PlaceholderError` on any failure.

    ``budget`` is the CPU-time budget of the file the value is in (a fresh one when not given);
    the other budgets apply to each value on its own.
    """
    if not has_placeholder(text):
        return text
    budget = budget or RenderBudget()
    result = fill([(0, text)], [data], language, budget)[0]
    if isinstance(result, PlaceholderError):
        raise result
    if result is None:
        raise BudgetExceeded(N_("placeholders of this file take more than {seconds:g} s of CPU time",
                                seconds=budget.seconds))
    return result
