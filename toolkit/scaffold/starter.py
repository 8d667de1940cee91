"""Starter specs for ``lnm new``: every value a placeholder, with a ``default`` and a ``longest`` sample.

Each item becomes a placeholder named after its English label (``scheduled_delivery_date``) with a
Babel filter suited to its kind, the way the shipped examples are written; the samples hold raw
values (ISO dates, numbers), so the same spec shows correctly in every sample. Free-text kinds
(names, addresses, notes) keep the catalogue's example in both samples: only the designer knows
the longest real value, and ``lnm new`` says so.
"""

from __future__ import annotations

import re
from typing import Any

from ..errors import UsageError
from ..spec.catalogue import Catalogue, Item

__all__ = ["CURRENCY", "new_spec"]

#: The currency of each country's prices.
CURRENCY = {"JP": "JPY", "TH": "THB", "TW": "TWD"}

#: An emphasized value may hold at most this many characters (LINE's limit).
_EMPHASIZED_MAX = 15

#: Kinds whose placeholder formats a value short enough to be the emphasized item.
_SHORT_KINDS = frozenset({"date", "time", "datetime", "price", "number"})

#: (default, longest) raw values by kind; dates move on a day per item so that they differ.
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


def _placeholder(item: Item, name: str, index: int, emphasized: bool,
                 default: dict[str, Any], longest: dict[str, Any]) -> str:
    """The placeholder text for one item; fills both samples with its raw values."""
    kind, country = item.value_kind, item.country
    day, last = f"2024-08-{10 + index % 18:02d}", f"2024-12-{10 + index % 18:02d}"
    if kind == "date":
        default[name], longest[name] = day, last
        return f"{{{{ {name} | date('{'MMMEd' if emphasized else 'yMMMEd'}') }}}}"
    if kind == "time":
        default[name], longest[name] = "14:30", "23:45"
        return f"{{{{ {name} | time }}}}"
    if kind == "datetime":
        default[name], longest[name] = f"{day}T14:30", f"{last}T23:45"
        return f"{{{{ {name} | datetime('{'Md' if emphasized else 'MMMEd'}') }}}}"
    if kind == "time_range":
        default[f"{name}_start"], default[f"{name}_end"] = "09:00", "12:00"
        longest[f"{name}_start"], longest[f"{name}_end"] = "13:00", "18:00"
        return f"{{{{ {name}_start | time_range({name}_end) }}}}"
    if kind == "date_range":
        default[f"{name}_start"], default[f"{name}_end"] = day, "2024-08-31"
        longest[f"{name}_start"], longest[f"{name}_end"] = last, "2025-01-31"
        return f"{{{{ {name}_start | date_range({name}_end, '{'MMMd' if emphasized else 'yMMMd'}') }}}}"
    if kind == "price":
        default[name], longest[name] = _PRICES.get(country, _PRICES["JP"])
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


def new_spec(catalogue: Catalogue, template_key: str, *, schema_ref: str | None = None) -> dict[str, Any]:
    """A starter spec for a template: its items as placeholders, ``default`` and ``longest`` samples.

    ``schema_ref`` becomes the spec's ``$schema`` (left out when None).
    """
    template = catalogue.templates.get(template_key)
    if template is None:
        hint = catalogue.suggest(template_key, "template")
        raise UsageError(f"unknown template {template_key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
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
