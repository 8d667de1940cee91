"""Guideline rules (codes G001-G999): what LINE's UX review would question, beyond the API.

Codes are grouped by theme: G00x the template and its catalogue (this module), G01x wording and
G03x text hygiene (`text`), G02x links (`urls`), G04x personal data (`privacy`), G05x width on a
phone and G06x Flex containers (`flex`), G07x the spec file itself (this module). The registry in ``toolkit.rules`` gathers them all.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from functools import lru_cache

from ..i18n import N_, Text
from ..limits import VALUE_KIND_CHARS
from ..spec.catalogue import value_pattern
from ..spec.message import Message
from ._base import Hit, RuleSet
from ._text import fields
from .api_template import item_entries, template_parts

__all__ = ["RULES", "SENSITIVE"]

_rules = RuleSet("guideline")
rule = _rules.rule


@rule("G001", "value-kind-mismatch", "warning",
      "Write the value the way its item's kind is written in the template's language.",
      applies_to=("template",))
def value_kind_mismatch(msg: Message) -> Iterator[Hit]:
    """A value does not look like its item's kind in the template's language.

    What it does: matches each item's `content` against the pattern for its kind (date, time
    range, price, number...) in `schemas/values/<language>.schema.json`.

    Why: the API accepts any string, but a "date" that is not a date, or a price with no currency,
    confuses the reader and is questioned in review.

    Example: `price_001_ja` = "12000" (no currency). Use instead: "12,000円".
    """
    template = msg.template
    if template is None:
        return
    items = msg.catalogue.items
    for path, item, _ in item_entries(msg):
        key, content = item.get("itemKey"), item.get("content")
        entry = items.get(key) if isinstance(key, str) else None
        if entry is None or not isinstance(content, str):
            continue
        if len(content) > VALUE_KIND_CHARS:
            continue  # longer than any item LINE accepts: A014 reports it, and no pattern need read it
        if not _looks_like(template.language, entry.value_kind, content):
            yield Hit((*path, "content"), N_("{value} does not look like a {kind} in {language} (item {key}, "
                                             "\"{label}\"); for example {example}.", value=repr(content),
                                             kind=entry.value_kind.replace("_", " "), language=template.language,
                                             key=key, label=entry.label, example=repr(entry.example)))


@lru_cache(maxsize=4096)  # a batch repeats its values (statuses, dates, sample values) again and again
def _looks_like(language: str, kind: str, content: str) -> bool:
    """``content`` matches the value pattern of ``kind`` in ``language`` (or there is none)."""
    pattern = value_pattern(language, kind)
    return pattern is None or pattern.fullmatch(content) is not None


@rule("G002", "undocumented-key", "info",
      "Check the key against your account's catalogue (LINE Official Account Manager).",
      applies_to=("template",), once_per_run=True)
def undocumented_key(msg: Message) -> Iterator[Hit]:
    """A template, item or button key is illustrative: LINE's documentation does not show it.

    What it does: reports keys whose catalogue provenance is `illustrative`, once per run: the
    first such key, with a count of the others.

    Why: LINE publishes its full catalogue only to its partners; lnm's shipped keys beyond the
    eight documented ones show the shape of a catalogue, not LINE's real keys. Load your account's
    catalogue with `--catalogue DIR` (or `LNM_CATALOGUE`) to check against the real one.
    """
    for path, key in _illustrative_keys(msg):
        yield Hit(path, _illustrative(key))


@_rules.counts("G002")
def _count_illustrative(msg: Message) -> int:
    return len(_illustrative_keys(msg))


def _illustrative_keys(msg: Message) -> list[tuple[tuple[str | int, ...], str]]:
    """``(path, key)`` of each illustrative key of a template body: its template's, then its items'
    and buttons' in order."""
    found: list[tuple[tuple[str | int, ...], str]] = []
    template = msg.template
    if template is not None and template.provenance == "illustrative":
        found.append((("templateKey",), template.key))
    items, buttons = msg.catalogue.items, msg.catalogue.buttons
    for path, key in _template_items(msg):
        if key in items and items[key].provenance == "illustrative":
            found.append((path, key))
    for i, button in enumerate(template_parts(msg)[2]):
        name = button.get("buttonKey") if isinstance(button, dict) else None
        if isinstance(name, str) and name in buttons and buttons[name].provenance == "illustrative":
            found.append((("body", "buttons", i, "buttonKey"), name))
    return found


@lru_cache(maxsize=1024)
def _illustrative(key: str) -> Text:
    """G002's message for ``key``: made once per key, as nearly every body of a run repeats it."""
    return N_("{key} is an illustrative key, not documented by LINE.", key=key)


def _template_items(msg: Message) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """``(path of itemKey, key)`` for the emphasized item and each listed item."""
    for path, item, _ in item_entries(msg):
        key = item.get("itemKey")
        if isinstance(key, str):
            yield (*path, "itemKey"), key


@rule("G003", "unemphasizable-item", "warning",
      "Emphasize one of the template's emphasizable items, and list this one under items.",
      applies_to=("template",))
def unemphasizable_item(msg: Message) -> Iterator[Hit]:
    """The emphasized item is not one the template offers for emphasis.

    What it does: checks `body.emphasizedItem.itemKey` against the template's `emphasizable` list
    in the catalogue (`lnm catalogue show TEMPLATE_KEY`).

    Why: the emphasized value is the big line a reader sees first; each template emphasizes what
    its purpose is about (the delivery date of a shipment notice, the amount of a payment notice).
    Emphasizing something else makes the message read like a different notice and is questioned in
    review.

    Example: `shipment_completed_ja` with `price_001_ja` emphasized.

    Use instead: emphasize `date_002_ja` and list the price under `items`.
    """
    template = msg.template
    body = msg.body.get("body")
    if template is None or not isinstance(body, dict):
        return
    emphasized = body.get("emphasizedItem")
    key = emphasized.get("itemKey") if isinstance(emphasized, dict) else None
    if not isinstance(key, str) or key not in msg.catalogue.items or key in template.emphasizable:
        return
    if msg.catalogue.items[key].country != template.country:
        return  # A012 item-of-other-country says it already
    offered = ", ".join(template.emphasizable) or N_("none")
    yield Hit(("body", "emphasizedItem", "itemKey"),
              N_("{key} is not an item {template} offers for emphasis (emphasizable: {offered}).", key=key,
                 template=template.key, offered=offered))


@rule("G004", "off-purpose-item", "warning",
      "Use the template's own items; pick another template if the message needs other facts.",
      applies_to=("template",))
def off_purpose_item(msg: Message) -> Iterator[Hit]:
    """An item is not one of the items the template is made for.

    What it does: checks every `itemKey` (emphasized or listed) against the template's `items` list
    in the catalogue.

    Why: a template is approved for one purpose, and its items are the facts that purpose needs.
    A coupon code in a shipment notice, or a point balance in a payment notice, turns a notice into
    something else, which LINE's review does not allow.

    Example: `shipment_completed_ja` carrying an item meant for a reservation template.

    Use instead: only the items `lnm catalogue show shipment_completed_ja` lists.
    """
    template = msg.template
    if template is None:
        return
    for path, key in _template_items(msg):
        entry = msg.catalogue.items.get(key)
        if entry is None or entry.country != template.country or key in template.items:
            continue
        yield Hit(path, N_("{key} (\"{label}\") is not an item of {template} (\"{title}\"); it does not belong to this "
                           "template's purpose.", key=key, label=entry.label, template=template.key,
                           title=template.title))


@rule("G005", "off-purpose-button", "warning",
      "Use one of the template's own buttons.", applies_to=("template",))
def off_purpose_button(msg: Message) -> Iterator[Hit]:
    """A button is not one of the buttons the template is made for.

    What it does: checks every `buttonKey` against the template's `buttons` list in the catalogue.

    Why: like items, buttons are chosen for the template's purpose; a "see the sale" button on a
    shipment notice leads the reader somewhere the notice is not about.

    Example: a reservation button on `shipment_completed_ja`.

    Use instead: `check_delivery_status_ja` or `contact_ja`.
    """
    template = msg.template
    body = msg.body.get("body")
    if template is None or not isinstance(body, dict) or not isinstance(body.get("buttons"), list):
        return
    for i, button in enumerate(body["buttons"]):
        key = button.get("buttonKey") if isinstance(button, dict) else None
        entry = msg.catalogue.buttons.get(key) if isinstance(key, str) else None
        if entry is None or entry.country != template.country or key in template.buttons:
            continue
        yield Hit(("body", "buttons", i, "buttonKey"),
                  N_("{key} (\"{label}\") is not a button of {template} (\"{title}\").", key=key, label=entry.label,
                     template=template.key, title=template.title))


_THAI_MONTHS = ("มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|"
                "ธันวาคม|ม\\.ค\\.|ก\\.พ\\.|มี\\.ค\\.|เม\\.ย\\.|พ\\.ค\\.|มิ\\.ย\\.|ก\\.ค\\.|ส\\.ค\\.|ก\\.ย\\.|ต\\.ค\\.|"
                "พ\\.ย\\.|ธ\\.ค\\.")
_THAI_DATE_YEAR = re.compile(rf"(?:{_THAI_MONTHS})\s*(?:พ\.ศ\.\s*|ค\.ศ\.\s*)?((?:19|2[0-3])\d\d)(?!\d)")
_THAI_MONTH_HINT = re.compile(r"[\u0e01-\u0e2e][\u0e01-\u0e4e]{0,12}\.?\s*(?:พ\.ศ\.\s*|ค\.ศ\.\s*)?(?:19|2[0-3])\d\d")
_ANY_YEAR = re.compile(r"(?<!\d)((?:19|2[0-3])\d\d)(?!\d)")
#: Any text either pattern matches holds this; most texts do not, and it is quick to look for.
_YEAR_DIGITS = re.compile(r"(?:19|2[0-3])\d\d")
_DATE_KINDS = ("date", "datetime", "date_range")


@rule("G006", "gregorian-year-in-thai-date", "warning",
      "Write the Buddhist year (Gregorian + 543, e.g. 2567 for 2024), or mark the year ค.ศ.", branches=True)
def gregorian_year_in_thai_date(msg: Message) -> Iterator[Hit]:
    """A Thai date shows a Gregorian year where Thai readers expect the Buddhist year.

    What it does: in a Thai template, looks at every date item (kind `date`, `datetime`,
    `date_range`) for a year from 1900 to 2399; in any message, looks for a Thai month name
    followed by such a year. A year marked `ค.ศ.` (Common Era) is left alone.

    Why: Thai dates are written in the Buddhist era (พ.ศ. = Gregorian + 543): "10 ส.ค. 2024" reads
    as a date 543 years ago. Babel has no Buddhist calendar, so a date formatted with a Gregorian
    locale slips through easily.

    Example: `"10 ส.ค. 2024"`.

    Use instead: `"10 ส.ค. 2567"` (the `date` placeholder filter does this for Thai templates).
    """
    template = msg.template
    thai_template = template is not None and template.language == "th"
    for field in fields(msg):
        if field.role == "uri" or not _YEAR_DIGITS.search(field.text):
            continue
        entry = msg.catalogue.items.get(field.item_key) if field.item_key else None
        date_item = thai_template and entry is not None and entry.value_kind in _DATE_KINDS
        if not date_item and not _THAI_MONTH_HINT.search(field.text):
            continue  # no Thai month abbreviation or name, so no Thai date: skip the long pattern
        pattern = _ANY_YEAR if date_item else _THAI_DATE_YEAR
        for match in pattern.finditer(field.text):
            before = field.text[max(0, match.start(1) - 6):match.start(1)]
            if "ค.ศ." in before:
                continue
            year = int(match.group(1))
            yield Hit(field.path, N_("{year} is a Gregorian year in a Thai date; Thai readers expect the Buddhist "
                                     "year {buddhist}.", year=year, buddhist=year + 543))
            break


#: Rules whose findings point at personal data (a phone number, an e-mail address, a card or ID
#: number, credentials in a link). Their messages never quote the value; a report that prints the
#: source line under a finding should leave it out for these codes.
SENSITIVE = frozenset({"G023", "G040", "G041", "G042", "G043", "G044", "G045"})

# --- the spec file ---------------------------------------------------------------------------------

#: A ``$schema`` longer than this is no path an editor follows; it is not looked up.
_SCHEMA_REF_MAX = 4096


def _schema_file(ref: str, spec_path: str) -> str | None:
    """The file a ``$schema`` reference names, relative to the spec's folder; None for a web URL."""
    from urllib.parse import unquote, urlsplit

    ref = ref.split("#", 1)[0]
    parts = urlsplit(ref)
    if parts.scheme == "file":
        return unquote(parts.path)
    if len(parts.scheme) > 1:  # https:, urn:... (a one-letter "scheme" is a Windows drive)
        return None
    return os.path.join(os.path.dirname(os.path.abspath(spec_path)), unquote(ref))


@rule("G070", "schema-file-not-found", "warning",
      "Point $schema at the repository's schema copy (lnm init writes .lnm/schemas/; lnm new sets the "
      "path), or remove it.")
def schema_file_not_found(msg: Message) -> Iterator[Hit]:
    """A spec's `$schema` names a file that does not exist.

    What it does: resolves a relative (or `file:`) `$schema` against the spec's folder and looks for
    the file. Web addresses are not fetched and not checked.

    Why: the editor then checks nothing and completes nothing, silently. It happens when a spec is
    copied from lnm's examples (`"../../../schemas/message-spec.schema.json"`) or moved to another
    folder.

    Example: `"$schema": "../../../schemas/message-spec.schema.json"` in `messages/receipt.json`.
    Use instead: `"../.lnm/schemas/message-spec.schema.json"` (from `lnm init`).
    """
    ref = msg.spec.get("$schema") if msg.spec else None
    path = msg.source_path
    if not isinstance(ref, str) or not ref.strip() or len(ref) > _SCHEMA_REF_MAX or not path:
        return
    if not os.path.isfile(path):
        return  # not read from a file of its own: nothing to be relative to
    target = _schema_file(ref, path)
    try:
        found = target is None or os.path.isfile(target)
    except (OSError, ValueError):  # a NUL byte, a name too long for the file system
        found = False
    if not found:
        yield Hit(("$schema",), N_("$schema {path} names no file (looked relative to the spec's folder).",
                                   path=repr(ref)))


RULES = _rules.freeze()
