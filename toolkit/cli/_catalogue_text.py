"""``lnm catalogue list`` and ``lnm catalogue show`` as text for people (JSON stays in cli.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from ..rules._text import display_width
from ..spec.catalogue import Button, Catalogue, Entry, Item, Template

if TYPE_CHECKING:
    from ..scaffold.starter import FlexibleStarter

__all__ = ["entry_text", "list_text"]

_DOCUMENTED = "documented by LINE"
_ILLUSTRATIVE = "illustrative: check it against your account's catalogue"


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (CJK characters take two)."""
    return text + " " * max(0, width - display_width(text))


def _label(entry: Entry) -> tuple[str, str]:
    return (entry.title, entry.title_en) if isinstance(entry, Template) else (entry.label, entry.label_en)


def list_text(entries: Iterable[Entry], starters: Sequence[FlexibleStarter] = ()) -> str:
    """A header, one row per entry and per flexible starter, and a legend with the counts."""
    rows = list(entries)
    key_width = max([len(e.key) for e in rows] + [len(s.name) for s in starters] + [3])
    out = [f"{'KIND':<8} {'COUNTRY':<7} {'LANGUAGE':<8}   {'KEY':<{key_width}}  LABEL (ENGLISH)"]
    for e in rows:
        label, gloss = _label(e)
        mark = "*" if e.provenance == "documented" else " "
        out.append(f"{e.kind:<8} {e.country:<7} {e.language:<8} {mark} {e.key:<{key_width}}  {label} ({gloss})")
    for s in starters:
        out.append(f"{'flexible':<8} {s.country:<7} {s.language:<8}   {s.name:<{key_width}}  {s.title}")
    counts = Counter(e.kind for e in rows)
    total = ", ".join(f"{counts[k]} {k}{'s' if counts[k] != 1 else ''}" for k in ("template", "item", "button")
                      if counts[k])
    if starters:
        total += f"{', ' if total else ''}{len(starters)} flexible starter{'s' if len(starters) != 1 else ''}"
    out.append("")
    out.append(f"{total or 'no entries'}. * = {_DOCUMENTED}; the others are illustrative (rule G002):")
    out.append("check them against your account's catalogue (--catalogue DIR). lnm catalogue show KEY explains one;")
    out.append("lnm new KEY -o messages/FILE.json starts a spec from a template or a flexible starter.")
    return "\n".join(out) + "\n"


def _provenance(entry: Entry) -> str:
    return _DOCUMENTED if entry.provenance == "documented" else _ILLUSTRATIVE


def _item_row(item: Item, width: int, label_width: int, emphasizable: bool) -> str:
    mark = "!" if emphasizable else " "
    star = "*" if item.provenance == "documented" else " "
    return (f"  {mark}{star} {item.key:<{width}}  {_pad(item.label, label_width)} {item.value_kind:<10} "
            f"{item.label_en}; e.g. {item.example}")


def entry_text(catalogue: Catalogue, entry: Entry) -> str:
    """One entry for people: a template with its items (kinds, examples) and buttons."""
    label, gloss = _label(entry)
    out = [f"{entry.key}: {label} ({gloss})",
           f"  {entry.kind}, {entry.country}, language {entry.language}, {_provenance(entry)}"]
    if entry.source:
        out.append(f"  source: {entry.source}")
    if isinstance(entry, Template):
        out.append(f"  category: {entry.category}")
        out.append(f"  {entry.description}")
        out.append(f"  {entry.description_en}")
        items = [catalogue.items[k] for k in entry.items if k in catalogue.items]
        buttons = [catalogue.buttons[k] for k in entry.buttons if k in catalogue.buttons]
        width = max([len(i.key) for i in items] + [len(b.key) for b in buttons] + [3])
        label_width = max([display_width(i.label) for i in items] + [display_width(b.label) for b in buttons] + [4])
        out.append("")
        out.append(f"Items ({len(items)}; a message shows up to 15; ! may be the emphasized item, "
                   f"* documented by LINE):")
        out.extend(_item_row(item, width, label_width, item.key in entry.emphasizable) for item in items)
        out.append("")
        out.append(f"Buttons ({len(buttons)}; a message has at most 2):")
        for button in buttons:
            star = "*" if button.provenance == "documented" else " "
            url = f"; e.g. {button.example_url}" if button.example_url else ""
            out.append(f"   {star} {button.key:<{width}}  {_pad(button.label, label_width)} {button.label_en}{url}")
        out.append("")
        out.append(f"Start a spec: lnm new {entry.key} -o messages/{entry.key}.json")
    elif isinstance(entry, Item):
        out.append(f"  kind: {entry.value_kind}; e.g. {entry.example}")
        used = sorted(t.key for t in catalogue.templates.values() if entry.key in t.items)
        out.append(f"  in {len(used)} template{'s' if len(used) != 1 else ''}: {', '.join(used) or '-'}")
    elif isinstance(entry, Button):
        if entry.example_url:
            out.append(f"  e.g. {entry.example_url}")
        used = sorted(t.key for t in catalogue.templates.values() if entry.key in t.buttons)
        out.append(f"  in {len(used)} template{'s' if len(used) != 1 else ''}: {', '.join(used) or '-'}")
    return "\n".join(out) + "\n"
