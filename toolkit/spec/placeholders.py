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
from ..limits import RenderBudget

if TYPE_CHECKING:
    import decimal

    import jinja2

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


def _iso_moment(value: Any, what: str) -> _dt.datetime:
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
        raise PlaceholderError(f"not an ISO {what}: {value!r}", value=(value,))
    return moment


def _as_date(value: Any) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return _iso_moment(value, "date (YYYY-MM-DD) or date-time (YYYY-MM-DDTHH:MM)").date()


def _as_time(value: Any) -> _dt.time:
    if isinstance(value, _dt.datetime):
        return value.time()
    if isinstance(value, _dt.time):
        return value
    try:
        return _dt.time.fromisoformat(str(value))
    except ValueError:
        raise PlaceholderError(f"not an ISO time (HH:MM): {value!r}", value=(value,)) from None


def _as_datetime(value: Any) -> _dt.datetime:
    if isinstance(value, _dt.datetime):
        return value
    if isinstance(value, _dt.date):
        return _dt.datetime.combine(value, _dt.time())
    return _iso_moment(value, "date-time (YYYY-MM-DDTHH:MM) or date (YYYY-MM-DD)")


def _as_number(value: Any) -> decimal.Decimal:
    import decimal

    if isinstance(value, bool):
        raise PlaceholderError(f"not a number: {value!r}", value=(value,))
    text = str(value)
    try:
        amount = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise PlaceholderError(f"not a number: {value!r}", value=(value,)) from None
    if not amount.is_finite():
        raise PlaceholderError(f"not a finite number: {value!r}", value=(value,))
    if amount and abs(amount.adjusted()) >= limits.PLACEHOLDER_NUMBER_DIGITS:
        raise BudgetExceeded(f"number {text} has more than {limits.PLACEHOLDER_NUMBER_DIGITS} digits "
                             "before the decimal point or zeros after it")
    return amount


def _format(fmt: Any) -> Any:
    """A date, time or number format argument, once it is short enough to be one."""
    if isinstance(fmt, str) and len(fmt) > limits.PLACEHOLDER_FORMAT_CHARS:
        raise BudgetExceeded(f"format of {len(fmt):,} characters; the limit is {limits.PLACEHOLDER_FORMAT_CHARS}")
    return fmt


_NAMED = ("short", "medium", "long", "full")


def format_date(value: Any, fmt: str = "medium", *, locale: str, era: str | None = None) -> str:
    """Format a date in ``locale``; Thai gets the Buddhist year unless ``era='gregorian'``."""
    from babel import dates as _bdates

    day = _as_date(value)
    fmt = _format(fmt)
    if fmt in _NAMED:
        text = _bdates.format_date(day, format=fmt, locale=locale)
    else:
        text = _bdates.format_skeleton(fmt, day, locale=locale)
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
        return _bdates.format_time(moment, format=fmt, locale=locale)
    return _bdates.format_skeleton(fmt, _dt.datetime.combine(_dt.date(2000, 1, 1), moment), locale=locale)


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
        return _bnumbers.format_decimal(amount, locale=locale)
    if not isinstance(decimals, int) or not 0 <= decimals <= limits.PLACEHOLDER_DECIMALS:
        raise BudgetExceeded(f"number() takes 0 to {limits.PLACEHOLDER_DECIMALS} decimals, not {decimals!r}")
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return _bnumbers.format_decimal(amount, format=pattern, locale=locale, decimal_quantization=True)


def format_money(value: Any, currency: str, *, locale: str) -> str:
    """Format an amount the way receipts in that market write it."""
    from babel import numbers as _bnumbers

    amount = _as_number(value)
    currency = str(_format(currency)).upper()
    if locale.startswith("ja") and currency == "JPY":
        return _bnumbers.format_decimal(amount, format="#,##0", locale=locale) + "円"
    if locale.startswith("zh_Hant") and currency == "TWD":
        return "NT$" + _bnumbers.format_decimal(amount, format="#,##0", locale=locale)
    return _bnumbers.format_currency(amount, currency, locale=locale)


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


@functools.lru_cache(maxsize=2048)
def _compiled(text: str) -> jinja2.Template:
    """Compile each distinct value once: a spec renders every value once per sample, and a batch
    of specs repeats the same values (compiling is most of the cost of rendering)."""
    return _environment().from_string(text)


def render_string(text: str, data: dict[str, Any], language: str, budget: RenderBudget | None = None) -> str:
    """Fill the placeholders of one value; raise :class:`PlaceholderError` on any failure.

    ``budget`` is the CPU-time budget of the file the value is in (a fresh one when not given);
    the other budgets apply to each value on its own.
    """
    if not has_placeholder(text):
        return text
    import jinja2

    from ._sandbox import rendering

    budget = budget or RenderBudget()
    if len(text) > limits.PLACEHOLDER_SOURCE_CHARS:
        raise BudgetExceeded(f"value with placeholders of {len(text):,} characters; the limit is "
                             f"{limits.PLACEHOLDER_SOURCE_CHARS:,}")
    try:
        template = _compiled(text)
        with rendering(budget):
            return template.render({**data, "__locale__": locale_for(language)})
    except BudgetExceeded:
        if budget.out_of_time():
            budget.exhausted = True
        raise
    except PlaceholderError:
        raise
    except RecursionError:
        raise BudgetExceeded("placeholder nests or recurses too deeply") from None
    except jinja2.UndefinedError as exc:
        raise PlaceholderError(f"undefined name in placeholder: {exc.message}") from None
    except jinja2.TemplateSyntaxError as exc:
        raise PlaceholderError(f"placeholder syntax error: {exc.message}") from None
    except jinja2.exceptions.SecurityError as exc:
        raise PlaceholderError(f"placeholder not allowed: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - any failure inside a designer's template is a finding
        raise PlaceholderError(f"placeholder failed: {type(exc).__name__}: {exc}") from None
