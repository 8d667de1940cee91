"""The message catalogues: extract, update, compile and check (``make messages``; the tests run ``check``).

Two domains, both loaded by :mod:`toolkit.i18n` as one:

* ``lnm``: every ``_()``, ``ngettext()`` and ``N_()`` in the Python code, and ``_()`` in the web
  pages' Jinja templates and scripts, as ``babel.cfg`` maps them.
* ``lnm_rules``: the rule documentation, read from the rule table: each rule's summary, every
  paragraph of its docstring and its fix (a rule's docstring is its documentation page).

``update`` rewrites ``toolkit/locale/<domain>.pot``, merges it into each language's ``.po`` (new
entries empty, vanished ones dropped) and compiles the ``.mo`` files, which are committed so that an
install from source needs no build step. ``check`` fails on a stale ``.pot``, a ``.po`` out of step
with it, an empty or fuzzy entry, a translation whose ``{placeholders}`` differ from the original's,
and a ``.mo`` that is not what its ``.po`` compiles to. Line numbers are left out of the ``.pot``
so that editing code does not make the catalogues stale; file names are kept for translators.

Usage: ``python scripts/catalogues.py update|check [--allow-untranslated]``
"""

from __future__ import annotations

import argparse
import io
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from babel.messages.catalog import Catalog  # noqa: E402
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.frontend import parse_mapping_cfg  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po, write_po  # noqa: E402

from toolkit.i18n import LOCALE_DIR, placeholders  # noqa: E402

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
LANGUAGES = {"ja": "ja", "th": "th", "zh_Hant": "zh_Hant"}  # catalogue folder -> Babel locale
DATE = datetime(2026, 12, 1, tzinfo=UTC)  # fixed, so that the files are reproducible
PROJECT = "lnm"


def _new_catalog(domain: str, locale: str | None = None) -> Catalog:
    return Catalog(locale=locale, domain=domain, project=PROJECT, version="", charset="utf-8",
                   creation_date=DATE, revision_date=DATE, copyright_holder="the lnm authors",
                   msgid_bugs_address="", fuzzy=False)


def extract_ui() -> Catalog:
    """Domain ``lnm``: the strings marked in code, templates and scripts."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    catalog = _new_catalog("lnm")
    for filename, _lineno, message, comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
            strip_comment_tags=True):
        if not message or (isinstance(message, tuple) and not message[0]):
            continue
        catalog.add(message, None, [(filename, None)], auto_comments=comments, context=context)
    return catalog


def extract_rules() -> Catalog:
    """Domain ``lnm_rules``: each rule's documentation, paragraph by paragraph, and its fix."""
    from toolkit.rules import default_table

    catalog = _new_catalog("lnm_rules")
    for rule in default_table().rules():
        where = [(f"{rule.code} {rule.name}", None)]
        for paragraph in rule.paragraphs:
            catalog.add(paragraph, None, where)
        catalog.add(rule.fix, None, where, auto_comments=["the rule's fix"])
    return catalog


def _po_text(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=100, no_location=False, omit_header=False, sort_output=True,
             include_lineno=False, ignore_obsolete=True)
    return out.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def _read(path: Path, locale: str | None = None, domain: str | None = None) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale, domain=domain)


def _merged(template: Catalog, po_path: Path, locale: str, domain: str) -> Catalog:
    catalog = _read(po_path, locale, domain) if po_path.exists() else _new_catalog(domain, locale)
    catalog.update(template, no_fuzzy_matching=True, update_header_comment=True, keep_user_comments=True)
    catalog.obsolete.clear()
    catalog.creation_date = DATE
    catalog.revision_date = DATE
    catalog.fuzzy = False
    return catalog


def templates() -> dict[str, Catalog]:
    return {"lnm": extract_ui(), "lnm_rules": extract_rules()}


def update() -> None:
    for domain, template in templates().items():
        (LOCALE_DIR / f"{domain}.pot").write_bytes(_po_text(template))
        for folder, locale in LANGUAGES.items():
            po_path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{domain}.po"
            po_path.parent.mkdir(parents=True, exist_ok=True)
            catalog = _merged(template, po_path, locale, domain)
            po_path.write_bytes(_po_text(catalog))
            po_path.with_suffix(".mo").write_bytes(_mo_bytes(_read(po_path, locale, domain)))


def _ids(catalog: Catalog) -> set[object]:
    return {m.id for m in catalog if m.id}


def problems(allow_untranslated: bool = False) -> list[str]:
    """Everything wrong with the committed catalogues (empty: all is well)."""
    found: list[str] = []
    for domain, template in templates().items():
        pot_path = LOCALE_DIR / f"{domain}.pot"
        if not pot_path.exists() or pot_path.read_bytes() != _po_text(template):
            found.append(f"{pot_path.relative_to(ROOT)} is stale: run `make messages`")
        for folder, locale in LANGUAGES.items():
            po_path = LOCALE_DIR / folder / "LC_MESSAGES" / f"{domain}.po"
            name = po_path.relative_to(ROOT)
            if not po_path.exists():
                found.append(f"{name} is missing: run `make messages`")
                continue
            catalog = _read(po_path, locale, domain)
            if _ids(catalog) != _ids(template):
                found.append(f"{name} is out of step with {domain}.pot: run `make messages`")
            for message in catalog:
                if not message.id:
                    continue
                ids = message.id if isinstance(message.id, tuple) else (message.id,)
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                label = f"{name}: {str(ids[0])[:60]!r}"
                if message.fuzzy:
                    found.append(f"{label} is fuzzy")
                if not all(strings):
                    if not allow_untranslated:
                        found.append(f"{label} is not translated")
                    continue
                wanted = set().union(*(placeholders(i) for i in ids))
                for text in strings:
                    got = placeholders(text)
                    if got != wanted and not (len(ids) > 1 and got <= wanted):
                        found.append(f"{label}: placeholders {sorted(got)} differ from {sorted(wanted)}")
            mo_path = po_path.with_suffix(".mo")
            if not mo_path.exists() or mo_path.read_bytes() != _mo_bytes(catalog):
                found.append(f"{mo_path.relative_to(ROOT)} does not match its .po: run `make messages`")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("command", choices=("update", "check"))
    parser.add_argument("--allow-untranslated", action="store_true")
    args = parser.parse_args()
    if args.command == "update":
        update()
        return 0
    found = problems(args.allow_untranslated)
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
