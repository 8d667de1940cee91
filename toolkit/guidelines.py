"""Guideline rules (codes G001-G999): what LINE's UX review would question, beyond the API."""

from __future__ import annotations

from collections.abc import Iterator

from .catalogue import value_patterns
from .message import Message
from .rules import Hit, RuleSet

__all__ = ["RULES"]

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
    patterns = value_patterns(template.language)
    body = msg.body.get("body")
    if not isinstance(body, dict):
        return
    entries: list[tuple[tuple[str | int, ...], object]] = []
    if isinstance(body.get("emphasizedItem"), dict):
        entries.append((("body", "emphasizedItem"), body["emphasizedItem"]))
    if isinstance(body.get("items"), list):
        entries.extend((("body", "items", i), v) for i, v in enumerate(body["items"]))
    for path, item in entries:
        if not isinstance(item, dict):
            continue
        key, content = item.get("itemKey"), item.get("content")
        entry = msg.catalogue.items.get(key) if isinstance(key, str) else None
        if entry is None or not isinstance(content, str):
            continue
        pattern = patterns.get(entry.value_kind)
        if pattern is not None and not pattern.fullmatch(content):
            yield Hit((*path, "content"), f"{content!r} does not look like a {entry.value_kind.replace('_', ' ')} "
                      f"in {template.language} (item {key}, \"{entry.label}\"); for example {entry.example!r}.")


@rule("G002", "undocumented-key", "info",
      "Check the key against your account's catalogue (LINE Official Account Manager).",
      applies_to=("template",))
def undocumented_key(msg: Message) -> Iterator[Hit]:
    """A template, item or button key is illustrative: LINE's documentation does not show it.

    What it does: reports keys whose catalogue provenance is `illustrative`.

    Why: LINE publishes its full catalogue only to its partners; lnm's shipped keys beyond the
    eight documented ones show the shape of a catalogue, not LINE's real keys. Load your account's
    catalogue with `--catalogue DIR` (or `LNM_CATALOGUE`) to check against the real one.
    """
    template = msg.template
    if template is not None and template.provenance == "illustrative":
        yield Hit(("templateKey",), f"{template.key} is an illustrative key, not documented by LINE.")
    body = msg.body.get("body")
    if not isinstance(body, dict):
        return
    entries: list[tuple[tuple[str | int, ...], object, str]] = []
    if isinstance(body.get("emphasizedItem"), dict):
        entries.append((("body", "emphasizedItem", "itemKey"), body["emphasizedItem"], "itemKey"))
    for name, field in (("items", "itemKey"), ("buttons", "buttonKey")):
        if isinstance(body.get(name), list):
            entries.extend((("body", name, i, field), v, field) for i, v in enumerate(body[name]))
    for path, obj, field in entries:
        key = obj.get(field) if isinstance(obj, dict) else None
        table = msg.catalogue.items if field == "itemKey" else msg.catalogue.buttons
        entry = table.get(key) if isinstance(key, str) else None
        if entry is not None and entry.provenance == "illustrative":
            yield Hit(path, f"{key} is an illustrative key, not documented by LINE.")


RULES = _rules.freeze()
