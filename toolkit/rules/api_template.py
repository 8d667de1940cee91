"""API checks of template messages (codes A010-A018): keys the catalogue knows, items and buttons.

Split from :mod:`.api` (the request shape, recipients, limits shared by both kinds) so that each
module stays one screen of rules; the helpers both use live here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..findings import utf16_length, visible_length
from ..i18n import N_
from ..limits import RULE_TEXT_CHARS
from ..spec.message import Message
from ._base import Hit, RuleSet, per_message

__all__ = ["RULES", "item_entries", "length_text", "template_parts"]

_rules = RuleSet("api")
rule = _rules.rule

EMPHASIZED_MAX = 15
ITEM_MAX = 300
ITEMS_MAX = 15
BUTTONS_MAX = 2


def length_text(text: str) -> str:
    units = utf16_length(text)
    if units > RULE_TEXT_CHARS:  # counting what a reader sees costs a second a megabyte; not worth it
        return N_("{units} UTF-16 code units", units=units)
    visible = visible_length(text)
    if units == visible:
        return N_("{units} characters", units=units)
    return N_("{units} UTF-16 code units ({visible} visible characters)", units=units, visible=visible)


@per_message
def template_parts(msg: Message) -> tuple[dict[str, Any] | None, list[Any], list[Any]]:
    """``(emphasizedItem, items, buttons)`` of a template body (None and empty lists where the body
    has none of the right type), worked out once per message for the many rules that ask."""
    body = msg.body.get("body")
    if not isinstance(body, dict):
        return None, [], []
    emphasized = body.get("emphasizedItem")
    items = body.get("items")
    buttons = body.get("buttons")
    return (emphasized if isinstance(emphasized, dict) else None,
            items if isinstance(items, list) else [],
            buttons if isinstance(buttons, list) else [])


def _did_you_mean(msg: Message, key: str, kind: str) -> str | None:
    hint = msg.catalogue.suggest(key, kind, msg.country)
    return N_("did you mean {key}?", key=repr(hint)) if hint else None


# --- template keys ---------------------------------------------------------------------------------


@rule("A010", "unknown-template-key", "error", "Pick a template from `lnm catalogue list`.",
      applies_to=("template",))
def unknown_template_key(msg: Message) -> Iterator[Hit]:
    """`templateKey` names no template in the catalogue.

    What it does: looks the key up in the shipped catalogue and any team catalogue.

    Why: the API answers 400 "Invalid templateKey" ("The specified template doesn't exist, or
    you don't have the permission").

    Example: `"templateKey": "reserve_004"`.
    """
    key = msg.body.get("templateKey")
    if not isinstance(key, str) or key in msg.catalogue.templates:
        return
    hint = msg.catalogue.suggest(key, "template")
    yield Hit(("templateKey",), N_("Invalid templateKey: {key}. The specified template doesn't exist, or you don't "
                                   "have the permission.", key=key), N_("did you mean {key}?", key=repr(hint)) if hint else None)


@per_message
def item_entries(msg: Message) -> tuple[tuple[tuple[str | int, ...], dict[str, Any], int], ...]:
    """``(path, item, content limit)`` of the emphasized item and each listed item (objects only)."""
    emphasized, items, _ = template_parts(msg)
    found: list[tuple[tuple[str | int, ...], dict[str, Any], int]] = []
    if emphasized is not None:
        found.append((("body", "emphasizedItem"), emphasized, EMPHASIZED_MAX))
    found += [(("body", "items", i), item, ITEM_MAX) for i, item in enumerate(items) if isinstance(item, dict)]
    return tuple(found)


@rule("A011", "unknown-item-key", "error", "Use an item key from `lnm catalogue list`.",
      applies_to=("template",))
def unknown_item_key(msg: Message) -> Iterator[Hit]:
    """An `itemKey` names no item in the catalogue.

    What it does: looks up each item key of `emphasizedItem` and `items`.

    Why: the API answers 400 "The request body has 1 invalid key(s)." with the detail "The
    specified item key does not exist" at `body.items[N].itemKey`.

    Example: `{"itemKey": "datetime_000", "content": "..."}`.
    """
    for path, item, _ in item_entries(msg):
        key = item.get("itemKey")
        if isinstance(key, str) and key not in msg.catalogue.items:
            yield Hit((*path, "itemKey"), N_("The specified item key does not exist: {key}", key=key),
                      _did_you_mean(msg, key, "item"))


@rule("A012", "item-of-other-country", "error",
      "Use the item of the template's own country (same purpose, its own suffix).",
      applies_to=("template",))
def item_of_other_country(msg: Message) -> Iterator[Hit]:
    """An item or button belongs to another country's catalogue than the template.

    What it does: compares each item's and button's country with the template's.

    Why: an account sees only its own country's catalogue, so LINE reports the key as not
    existing for that account.

    Example: a Thai item `price_001_th` in `shipment_completed_ja`.
    """
    country = msg.country
    if country is None:
        return
    for path, item, _ in item_entries(msg):
        key = item.get("itemKey")
        entry = msg.catalogue.items.get(key) if isinstance(key, str) else None
        if entry is not None and entry.country != country:
            yield Hit((*path, "itemKey"), N_("The specified item key does not exist for {country}: {key} is a "
                                             "{other} item.", country=country, key=key, other=entry.country),
                      _did_you_mean(msg, str(key), "item"))
    _, _, buttons = template_parts(msg)
    for i, button in enumerate(buttons):
        key = button.get("buttonKey") if isinstance(button, dict) else None
        entry_b = msg.catalogue.buttons.get(key) if isinstance(key, str) else None
        if entry_b is not None and entry_b.country != country:
            yield Hit(("body", "buttons", i, "buttonKey"), N_("The specified button key does not exist for {country}: "
                                                              "{key} is a {other} button.", country=country, key=key,
                                                              other=entry_b.country),
                      _did_you_mean(msg, str(key), "button"))


@rule("A013", "duplicate-item-key", "error", "Use each item once: either emphasized or in the list.",
      applies_to=("template",))
def duplicate_item_key(msg: Message) -> Iterator[Hit]:
    """The same item appears twice, in `items` or between `emphasizedItem` and `items`.

    What it does: finds repeated item keys across the emphasized item and the item list.

    Why: the API answers 400 "Duplicate itemKey in items or between emphasizedItem and items are
    not allowed" (reported at `body.emphasizedItem.itemKey` when the emphasized item repeats).

    Example: `date_002_ja` both emphasized and listed.
    """
    emphasized, items, _ = template_parts(msg)
    first: dict[str, tuple[str | int, ...]] = {}
    for i, item in enumerate(items):
        key = item.get("itemKey") if isinstance(item, dict) else None
        if not isinstance(key, str):
            continue
        if key in first:
            yield Hit(("body", "items", i, "itemKey"), N_("Duplicate itemKey in items or between emphasizedItem and "
                                                          "items are not allowed: {key}", key=key))
        else:
            first[key] = ("body", "items", i)
    key = emphasized.get("itemKey") if emphasized else None
    if isinstance(key, str) and key in first:
        yield Hit(("body", "emphasizedItem", "itemKey"), N_("Duplicate itemKey in items or between emphasizedItem "
                                                            "and items are not allowed: {key}", key=key))


@rule("A014", "content-too-long", "error",
      "Shorten the value: 15 characters for the emphasized item, 300 for an item.",
      applies_to=("template",))
def content_too_long(msg: Message) -> Iterator[Hit]:
    """An item's `content` is longer than LINE allows.

    What it does: counts UTF-16 code units (as LINE does: an emoji outside the BMP counts 2) and
    compares with 15 for `emphasizedItem.content` and 300 for each of `items[].content`.

    Why: the API rejects longer values with 400.

    Example: an emphasized date written out in full, "2024年8月10日(土) 午前中" (18).
    """
    for path, item, limit in item_entries(msg):
        content = item.get("content")
        if isinstance(content, str) and utf16_length(content) > limit:
            where = "emphasizedItem" if path[-1] == "emphasizedItem" else "item"
            yield Hit((*path, "content"), N_("The {where} content must be at most {limit} characters; it is {length}.",
                                             where=where, limit=limit, length=length_text(content)))


@rule("A015", "too-many-items", "error", "Keep at most 15 items; move detail to the linked page.",
      applies_to=("template",))
def too_many_items(msg: Message) -> Iterator[Hit]:
    """`body.items` has more than 15 entries.

    What it does: counts the items (the emphasized item is not counted).

    Why: the API accepts 0-15 items and answers 400 otherwise.
    """
    _, items, _ = template_parts(msg)
    if len(items) > ITEMS_MAX:
        yield Hit(("body", "items"), N_("The size of items must be at most {limit}; it is {count}.", limit=ITEMS_MAX,
                                        count=len(items)))


@rule("A016", "too-many-buttons", "error", "Keep at most two buttons.", applies_to=("template",))
def too_many_buttons(msg: Message) -> Iterator[Hit]:
    """`body.buttons` has more than 2 entries.

    What it does: counts the buttons.

    Why: the API accepts 0-2 buttons and answers 400 otherwise.
    """
    _, _, buttons = template_parts(msg)
    if len(buttons) > BUTTONS_MAX:
        yield Hit(("body", "buttons"), N_("The size of buttons must be at most {limit}; it is {count}.",
                                          limit=BUTTONS_MAX, count=len(buttons)))


@rule("A017", "unknown-button-key", "error", "Use a button key from `lnm catalogue list`.",
      applies_to=("template",))
def unknown_button_key(msg: Message) -> Iterator[Hit]:
    """A `buttonKey` names no button in the catalogue.

    What it does: looks up each button key.

    Why: the API answers 400 for a button key that does not exist for the account.
    """
    _, _, buttons = template_parts(msg)
    for i, button in enumerate(buttons):
        key = button.get("buttonKey") if isinstance(button, dict) else None
        if isinstance(key, str) and key not in msg.catalogue.buttons:
            yield Hit(("body", "buttons", i, "buttonKey"), N_("The specified button key does not exist: {key}", key=key),
                      _did_you_mean(msg, key, "button"))


@rule("A018", "duplicate-button-key", "error", "Use each button once.", applies_to=("template",))
def duplicate_button_key(msg: Message) -> Iterator[Hit]:
    """The same `buttonKey` appears twice.

    What it does: finds repeated button keys.

    Why: button keys must be unique within a message (LINE's SDK documents this); the API answers
    400.
    """
    _, _, buttons = template_parts(msg)
    seen: set[str] = set()
    for i, button in enumerate(buttons):
        key = button.get("buttonKey") if isinstance(button, dict) else None
        if isinstance(key, str):
            if key in seen:
                yield Hit(("body", "buttons", i, "buttonKey"),
                          N_("Duplicate buttonKey in buttons are not allowed: {key}", key=key))
            seen.add(key)


RULES = _rules.freeze()
