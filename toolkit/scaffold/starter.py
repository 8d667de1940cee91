"""Starter specs for ``lnm new``: every value a placeholder, with a ``default`` and a ``longest`` sample.

Each item becomes a placeholder named after its English label (``scheduled_delivery_date``) with a
Babel filter suited to its kind, the way the shipped examples are written; the samples hold raw
values (ISO dates, numbers), so the same spec shows correctly in every sample. Free-text kinds
(names, addresses, notes) keep the catalogue's example in both samples: only the designer knows
the longest real value, and ``lnm new`` says so.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._paths import data_root
from ..errors import UsageError
from ..i18n import N_, _, localize
from ..spec.catalogue import Catalogue, Item
from ._examples import read_amount, read_date, read_date_range, read_time, read_time_range

__all__ = ["CURRENCY", "REVIEW_TODOS", "FlexibleStarter", "flexible_starters", "new_spec", "starter_spec"]

#: The currency of each country's prices.
CURRENCY = {"JP": "JPY", "TH": "THB", "TW": "TWD"}

#: An emphasized value may hold at most this many characters (LINE's limit).
_EMPHASIZED_MAX = 15

#: Kinds whose placeholder formats a value short enough to be the emphasized item.
_SHORT_KINDS = frozenset({"date", "time", "datetime", "price", "number"})

#: A price when the item's example shows none (the ``longest`` one is scaled from it).
_PRICES = {"JP": (12000, 1234567), "TH": (1250, 123456.75), "TW": (1280, 123456)}


def _name(item: Item, taken: set[str]) -> str:
    """A placeholder name from the item's English label: ``Scheduled delivery date`` -> ``scheduled_delivery_date``."""
    base = re.sub(r"[^a-z0-9]+", "_", item.label_en.lower()).strip("_")
    if not base or not base[0].isalpha():
        base = re.sub(r"_(ja|th|tw)$", "", item.key)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    taken.add(name)
    return name


def _longer_digits(text: str) -> str:
    """A number of 14 digits (or the example's length, when longer): the longest one to try."""
    return ("1234567890" * 3)[: max(14, len(re.sub(r"\D", "", text)))]


#: The ``longest`` sample's dates are the ``default`` ones this many days later (August moves to
#: December, whose names are among the longest): one shift for all keeps their order.
_LONGEST_SHIFT = dt.timedelta(days=122)
#: When an example cannot be read: the day of the notice, and a slot.
_FALLBACK_DAY = dt.date(2024, 8, 10)


def _day(item: Item, index: int) -> dt.date:
    """The item's example date, or a day of its own after the notice's day."""
    return read_date(item.example) or _FALLBACK_DAY + dt.timedelta(days=index)


def _placeholder(item: Item, name: str, index: int, emphasized: bool,
                 default: dict[str, Any], longest: dict[str, Any]) -> str:
    """The placeholder text for one item; fills both samples with its raw values.

    Dates, times and prices come from the catalogue's example for the item, so that a template's
    values tell its story in order (ordered, shipped, delivered; a fee below the total).
    """
    kind, country = item.value_kind, item.country
    if kind == "date":
        day = _day(item, index)
        default[name], longest[name] = day.isoformat(), (day + _LONGEST_SHIFT).isoformat()
        return f"{{{{ {name} | date('{'MMMEd' if emphasized else 'yMMMEd'}') }}}}"
    if kind == "time":
        default[name] = longest[name] = read_time(item.example) or "14:30"
        return f"{{{{ {name} | time }}}}"
    if kind == "datetime":
        day, time = _day(item, index), read_time(item.example) or "14:30"
        default[name], longest[name] = f"{day.isoformat()}T{time}", f"{(day + _LONGEST_SHIFT).isoformat()}T{time}"
        return f"{{{{ {name} | datetime('{'Md' if emphasized else 'MMMEd'}') }}}}"
    if kind == "time_range":
        start, end = read_time_range(item.example) or ("09:00", "12:00")
        default[f"{name}_start"], default[f"{name}_end"] = start, end
        longest[f"{name}_start"], longest[f"{name}_end"] = ("13:00", "18:00") if end <= "12:00" else (start, end)
        return f"{{{{ {name}_start | time_range({name}_end) }}}}"
    if kind == "date_range":
        first, last = read_date_range(item.example) or (_day(item, index), _day(item, index) + dt.timedelta(days=21))
        default[f"{name}_start"], default[f"{name}_end"] = first.isoformat(), last.isoformat()
        longest[f"{name}_start"] = (first + _LONGEST_SHIFT).isoformat()
        longest[f"{name}_end"] = (last + _LONGEST_SHIFT).isoformat()
        return f"{{{{ {name}_start | date_range({name}_end, '{'MMMd' if emphasized else 'yMMMd'}') }}}}"
    if kind == "price":
        amount = read_amount(item.example)
        default[name] = amount if amount is not None else _PRICES.get(country, _PRICES["JP"])[0]
        longest[name] = _PRICE_TO_SCALE  # scaled with the template's other prices by _scale_prices
        return f"{{{{ {name} | money('{CURRENCY.get(country, 'JPY')}') }}}}"
    if kind == "number":
        if "," in item.example:
            default[name], longest[name] = int(re.sub(r"\D", "", item.example) or 0), 12345678
            return f"{{{{ {name} | number }}}}"
        default[name], longest[name] = item.example, _longer_digits(item.example)
        return f"{{{{ {name} }}}}"
    counted = re.fullmatch(r"(\d+)(\D.*)", item.example)
    if kind == "quantity" and counted:
        default[name], longest[name] = int(counted.group(1)), 120
        return f"{{{{ {name} }}}}{counted.group(2)}"
    default[name] = longest[name] = item.example
    return f"{{{{ {name} }}}}"


#: Marks a price of the ``longest`` sample that :func:`_scale_prices` fills.
_PRICE_TO_SCALE = "price to scale"


def _scale_prices(default: dict[str, Any], longest: dict[str, Any]) -> None:
    """The ``longest`` prices: the ``default`` ones times one power of ten that gives the largest
    seven digits, so that a total stays above its parts."""
    names = [n for n, v in longest.items() if v == _PRICE_TO_SCALE]
    if not names:
        return
    top = max(float(default[n]) for n in names) or 1.0
    factor = 1
    while top * factor < 1_000_000:
        factor *= 10
    for name in names:
        value = round(float(default[name]) * factor, 2)
        longest[name] = int(value) if value.is_integer() else value


def new_spec(catalogue: Catalogue, template_key: str, *, schema_ref: str | None = None) -> dict[str, Any]:
    """A starter spec for a template: its items as placeholders, ``default`` and ``longest`` samples.

    ``schema_ref`` becomes the spec's ``$schema`` (left out when None).
    """
    template = catalogue.templates.get(template_key)
    if template is None:
        hint = catalogue.suggest(template_key, "template")
        if hint:
            raise UsageError(_("unknown template {key}; did you mean {hint}?", key=repr(template_key), hint=repr(hint)))
        raise UsageError(_("unknown template {key}", key=repr(template_key)))
    items = [k for k in template.items if k in catalogue.items]
    # The first emphasizable item whose filled-in value stays short: a formatted kind, or an
    # example within LINE's limit.
    emphasized = next((k for k in template.emphasizable if k in catalogue.items
                       and (catalogue.items[k].value_kind in _SHORT_KINDS
                            or len(catalogue.items[k].example) <= _EMPHASIZED_MAX)), None)
    default: dict[str, Any] = {}
    longest: dict[str, Any] = {}
    taken: set[str] = set()
    body: dict[str, Any] = {}
    if emphasized:
        item = catalogue.items[emphasized]
        content = _placeholder(item, _name(item, taken), 0, True, default, longest)
        body["emphasizedItem"] = {"itemKey": emphasized, "content": content}
    listed = [k for k in items if k != emphasized][:15]
    if listed:
        body["items"] = []
        for index, key in enumerate(listed, start=1):
            item = catalogue.items[key]
            content = _placeholder(item, _name(item, taken), index, False, default, longest)
            body["items"].append({"itemKey": key, "content": content})
    _scale_prices(default, longest)
    buttons = [k for k in template.buttons if k in catalogue.buttons][:2]
    if buttons:
        body["buttons"] = [{"buttonKey": k, "url": catalogue.buttons[k].example_url
                            or "https://www.your-company.jp/notice"} for k in buttons]
    spec: dict[str, Any] = {} if schema_ref is None else {"$schema": schema_ref}
    spec.update({
        "kind": "template",
        "title": f"{template.title_en}",
        "templateKey": template_key,
        "body": body,
        "samples": {"default": default, "longest": longest},
    })
    return spec


# --- flexible starters: the shipped examples ---------------------------------------------------------

#: The review fields a flexible starter leaves for the designer, as to-dos ``lnm pack`` reports.
#: Each is written as ``TODO: `` and the text in the UI language (``lnm pack`` looks for ``TODO``).
REVIEW_TODOS = {
    "account": N_("the name of the LINE Official Account that sends this message"),
    "purpose": N_("why this message is sent, in one sentence"),
    "sendingConditions": N_("when it is sent and to whom (for example: right after the order ships, once per order)"),
}

#: The app languages of the pack's screenshots for a message in each language (and English).
_APP_LANGUAGE = {"ja": "ja", "th": "th", "zh-Hant": "zh-Hant", "zh-TW": "zh-Hant", "zh-Hans": "zh-Hans"}


@dataclass(frozen=True)
class FlexibleStarter:
    """A shipped flexible example that ``lnm new NAME`` starts from."""

    name: str
    country: str
    language: str
    title: str
    path: Path


def _examples() -> list[Path]:
    return sorted((data_root() / "template_library" / "examples").glob("*/*.json"))


def flexible_starters(country: str | None = None) -> list[FlexibleStarter]:
    """The shipped flexible examples (``flex_*``, ``text_*``), by country then name."""
    out = []
    for path in _examples():
        if country and path.parent.name != country:
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("kind") != "flexible":
            continue
        out.append(FlexibleStarter(path.stem, path.parent.name, str(data.get("language", "")),
                                   str(data.get("title", path.stem)), path))
    return out


def _example_spec(path: Path, schema_ref: str | None) -> dict[str, Any]:
    """A shipped example as a starter: ``$schema`` pointed at the repository's copy (or left out),
    and for a flexible message a ``review`` object whose fields are to-dos."""
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("$schema", None)
    spec: dict[str, Any] = {} if schema_ref is None else {"$schema": schema_ref}
    spec.update(data)
    if spec.get("kind") == "flexible":
        language = _APP_LANGUAGE.get(str(spec.get("language")), "en")
        todos = {key: f"TODO: {localize(text)}" for key, text in REVIEW_TODOS.items()}
        spec["review"] = {**todos, "appLanguages": list(dict.fromkeys([language, "en"]))}
    return spec


def starter_spec(catalogue: Catalogue, name: str, *, schema_ref: str | None = None) -> dict[str, Any]:
    """The starter for ``name``: a template key (see :func:`new_spec`) or a shipped example's name."""
    if name in catalogue.templates:
        return new_spec(catalogue, name, schema_ref=schema_ref)
    examples = {path.stem: path for path in _examples()}
    if name in examples:
        return _example_spec(examples[name], schema_ref)
    from ..errors import closest

    hint = closest(name, [*catalogue.templates, *examples])
    if hint:
        raise UsageError(_("unknown template or example {name}; did you mean {hint}? (lnm catalogue list shows "
                           "both)", name=repr(name), hint=repr(hint)))
    raise UsageError(_("unknown template or example {name} (lnm catalogue list shows both)", name=repr(name)))
