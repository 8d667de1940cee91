"""``lnm catalogue list`` and ``lnm catalogue show`` as text for people (JSON stays in cli.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..i18n import N_, _, localize, ngettext
from ..rules._text import display_width
from ..spec.catalogue import Button, Catalogue, Entry, Item, Template
from ._common import pad

if TYPE_CHECKING:
    from ..scaffold.starter import FlexibleStarter

__all__ = ["entry_text", "list_text"]

_DOCUMENTED = N_("documented by LINE")
_ILLUSTRATIVE = N_("illustrative: check it against your account's catalogue")
# Translators: the column headings of lnm catalogue list (upper case in English).
_HEADINGS = (N_("KIND"), N_("COUNTRY"), N_("LANGUAGE"), N_("KEY"), N_("LABEL (ENGLISH)"))


def _label(entry: Entry) -> tuple[str, str]:
    return (entry.title, entry.title_en) if isinstance(entry, Template) else (entry.label, entry.label_en)


def list_text(entries: Iterable[Entry], starters: Sequence[FlexibleStarter] = ()) -> str:
    """A header, one row per entry and per flexible starter, and a legend with the counts."""
    rows = list(entries)
    key_width = max([len(e.key) for e in rows] + [len(s.name) for s in starters] + [3])
    kind, country, language, key, label_heading = (localize(h) for h in _HEADINGS)
    out = [f"{pad(kind, 8)} {pad(country, 7)} {pad(language, 8)}   {pad(key, key_width)}  {label_heading}"]
    for e in rows:
        label, gloss = _label(e)
        mark = "*" if e.provenance == "documented" else " "
        out.append(f"{e.kind:<8} {e.country:<7} {e.language:<8} {mark} {e.key:<{key_width}}  {label} ({gloss})")
    for s in starters:
        out.append(f"{'flexible':<8} {s.country:<7} {s.language:<8}   {s.name:<{key_width}}  {s.title}")
    counts = Counter(e.kind for e in rows)
    parts = [text for count, text in (
        (counts["template"], ngettext("{n} template", "{n} templates", counts["template"])),
        (counts["item"], ngettext("{n} item", "{n} items", counts["item"])),
        (counts["button"], ngettext("{n} button", "{n} buttons", counts["button"]))) if count]
    if starters:
        parts.append(ngettext("{n} flexible starter", "{n} flexible starters", len(starters)))
    out.append("")
    # Translators: the legend under lnm catalogue list; {counts} is "40 templates, 120 items, ...".
    out.extend(_("{counts}. * = documented by LINE; the others are illustrative (rule G002):\n"
                 "check them against your account's catalogue (--catalogue DIR). lnm catalogue show KEY explains one;\n"
                 "lnm new KEY -o messages/FILE.json starts a spec from a template or a flexible starter.",
                 counts=_(", ").join(parts) or _("no entries")).split("\n"))
    return "\n".join(out) + "\n"


def _provenance(entry: Entry) -> str:
    return localize(_DOCUMENTED if entry.provenance == "documented" else _ILLUSTRATIVE)


def _item_row(item: Item, width: int, label_width: int, emphasizable: bool) -> str:
    mark = "!" if emphasizable else " "
    star = "*" if item.provenance == "documented" else " "
    row = f"  {mark}{star} {item.key:<{width}}  {pad(item.label, label_width)} {item.value_kind:<10} {item.label_en}"
    return _("{row}; e.g. {example}", row=row, example=item.example)


def _used(templates: list[str]) -> str:
    """``in 2 templates: a, b``."""
    return ngettext("in {n} template: {keys}", "in {n} templates: {keys}", len(templates),
                    keys=", ".join(templates) or "-")


def entry_text(catalogue: Catalogue, entry: Entry) -> str:
    """One entry for people: a template with its items (kinds, examples) and buttons."""
    label, gloss = _label(entry)
    out = [f"{entry.key}: {label} ({gloss})",
           "  " + _("{kind}, {country}, language {language}, {provenance}", kind=entry.kind, country=entry.country,
                    language=entry.language, provenance=_provenance(entry))]
    if entry.source:
        out.append("  " + _("source: {source}", source=entry.source))
    if isinstance(entry, Template):
        out.append("  " + _("category: {category}", category=entry.category))
        out.append(f"  {entry.description}")
        out.append(f"  {entry.description_en}")
        items = [catalogue.items[k] for k in entry.items if k in catalogue.items]
        buttons = [catalogue.buttons[k] for k in entry.buttons if k in catalogue.buttons]
        width = max([len(i.key) for i in items] + [len(b.key) for b in buttons] + [3])
        label_width = max([display_width(i.label) for i in items] + [display_width(b.label) for b in buttons] + [4])
        out.append("")
        out.append(ngettext("Items ({n}; a message shows up to 15; ! may be the emphasized item, "
                            "* documented by LINE):",
                            "Items ({n}; a message shows up to 15; ! may be the emphasized item, "
                            "* documented by LINE):", len(items)))
        out.extend(_item_row(item, width, label_width, item.key in entry.emphasizable) for item in items)
        out.append("")
        out.append(ngettext("Buttons ({n}; a message has at most 2):", "Buttons ({n}; a message has at most 2):",
                            len(buttons)))
        for button in buttons:
            star = "*" if button.provenance == "documented" else " "
            row = f"   {star} {button.key:<{width}}  {pad(button.label, label_width)} {button.label_en}"
            if button.example_url:
                row = _("{row}; e.g. {example}", row=row, example=button.example_url)
            out.append(row)
        out.append("")
        command = f"lnm new {entry.key} -o messages/{entry.key}.json"
        out.append(_("Start a spec: {command}", command=command))
    elif isinstance(entry, Item):
        out.append("  " + _("kind: {kind}; e.g. {example}", kind=entry.value_kind, example=entry.example))
        used = sorted(t.key for t in catalogue.templates.values() if entry.key in t.items)
        out.append("  " + _used(used))
    elif isinstance(entry, Button):
        if entry.example_url:
            out.append("  " + _("e.g. {example}", example=entry.example_url))
        used = sorted(t.key for t in catalogue.templates.values() if entry.key in t.buttons)
        out.append("  " + _used(used))
    return "\n".join(out) + "\n"
