"""The premade catalogue of templates, items and buttons, loaded from data files.

The shipped catalogue lives in ``template_library/catalogue/<COUNTRY>/``. A team can add its own
account's catalogue directory with the same layout (``--catalogue DIR`` or ``LNM_CATALOGUE``, several
joined by ``os.pathsep``); its entries extend the shipped ones and override them key by key.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .._paths import data_root
from ..errors import CatalogueError, InputError
from ..i18n import N_
from .source import loads_strict

__all__ = ["Button", "Catalogue", "Item", "Template", "data_root", "load_catalogue", "value_pattern",
           "value_patterns"]

COUNTRIES = ("JP", "TH", "TW")
#: The language of each country's catalogue and messages.
COUNTRY_LANGUAGE = {"JP": "ja", "TH": "th", "TW": "zh-Hant"}
ENV_VAR = "LNM_CATALOGUE"


class Template(NamedTuple):
    key: str
    country: str
    language: str
    category: str
    title: str
    title_en: str
    description: str
    description_en: str
    items: tuple[str, ...]
    emphasizable: tuple[str, ...]
    buttons: tuple[str, ...]
    provenance: str
    source: str | None = None
    origin: str = ""

    @property
    def kind(self) -> str:
        return "template"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "template", "key": self.key, "country": self.country, "language": self.language,
                "category": self.category, "title": self.title, "titleEn": self.title_en,
                "description": self.description, "descriptionEn": self.description_en,
                "items": list(self.items), "emphasizable": list(self.emphasizable),
                "buttons": list(self.buttons), "provenance": self.provenance, "source": self.source,
                "origin": self.origin}


class Item(NamedTuple):
    key: str
    country: str
    language: str
    label: str
    label_en: str
    value_kind: str
    example: str
    provenance: str
    source: str | None = None
    origin: str = ""

    @property
    def kind(self) -> str:
        return "item"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "item", "key": self.key, "country": self.country, "language": self.language,
                "label": self.label, "labelEn": self.label_en, "valueKind": self.value_kind,
                "example": self.example, "provenance": self.provenance, "source": self.source,
                "origin": self.origin}


class Button(NamedTuple):
    key: str
    country: str
    language: str
    label: str
    label_en: str
    provenance: str
    example_url: str | None = None
    source: str | None = None
    origin: str = ""

    @property
    def kind(self) -> str:
        return "button"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": "button", "key": self.key, "country": self.country, "language": self.language,
                "label": self.label, "labelEn": self.label_en, "exampleUrl": self.example_url,
                "provenance": self.provenance, "source": self.source, "origin": self.origin}


Entry = Template | Item | Button


Tables = tuple[dict[str, Template], dict[str, Item], dict[str, Button]]


class Catalogue:
    """Templates, items and buttons by key, across the three countries.

    Built from tables, or from a ``load`` function called when a table is first read: linting a
    flexible message never reads the catalogue files.
    """

    def __init__(self, templates: dict[str, Template] | None = None, items: dict[str, Item] | None = None,
                 buttons: dict[str, Button] | None = None, sources: tuple[str, ...] = (), *,
                 load: Callable[[], Tables] | None = None) -> None:
        self._tables: Tables | None = None if load else (templates or {}, items or {}, buttons or {})
        self._load = load
        self.sources = sources
        #: "Did you mean" answers already worked out: a batch repeats the same wrong keys.
        self._suggested: dict[tuple[str, str, str | None], str | None] = {}

    def _loaded(self) -> Tables:
        if self._tables is None:
            assert self._load is not None
            self._tables = self._load()
        return self._tables

    @property
    def templates(self) -> dict[str, Template]:
        return (self._tables or self._loaded())[0]

    @property
    def items(self) -> dict[str, Item]:
        return (self._tables or self._loaded())[1]

    @property
    def buttons(self) -> dict[str, Button]:
        return (self._tables or self._loaded())[2]

    def entries(self, country: str | None = None) -> Iterator[Entry]:
        for table in (self.templates, self.items, self.buttons):
            for entry in table.values():
                if country is None or entry.country == country:
                    yield entry

    def find(self, key: str) -> list[Entry]:
        return [t[key] for t in (self.templates, self.items, self.buttons) if key in t]

    def suggest(self, key: str, kind: str, country: str | None = None) -> str | None:
        """The closest known key of that kind (and country), for "did you mean"."""
        if (key, kind, country) in self._suggested:
            return self._suggested[key, kind, country]
        tables: dict[str, dict[str, Any]] = {"template": self.templates, "item": self.items,
                                             "button": self.buttons}
        from ..errors import closest

        table = tables[kind]
        found = self._suggested[key, kind, country] = closest(
            key, (k for k, v in table.items() if country is None or v.country == country))
        return found


#: A catalogue file is a few dozen kilobytes; a team's may be larger, never this large.
MAX_CATALOGUE_BYTES = 8 * 1024 * 1024


def _read(path: Path) -> dict[str, Any]:
    from .._io import read_regular_file

    raw = read_regular_file(path, MAX_CATALOGUE_BYTES, error=CatalogueError)
    try:
        data = loads_strict(raw.decode("utf-8"), str(path))
    except UnicodeDecodeError as exc:
        raise CatalogueError(N_("catalogue file is not UTF-8 (byte {offset})", offset=exc.start), path=str(path)) from None
    except (ValueError, RecursionError) as exc:
        raise CatalogueError(N_("catalogue file cannot be read: {reason}", reason=str(exc)), path=str(path)) from None
    except InputError as exc:
        raise CatalogueError(N_("catalogue file cannot be read: {reason}", reason=exc.message), path=str(path), line=exc.line,
                             column=exc.column) from None
    if not isinstance(data, dict):
        raise CatalogueError(N_("catalogue file must hold a JSON object"), path=str(path))
    return data


_FILES = {"templates.json": "catalogue-templates", "items.json": "catalogue-items",
          "buttons.json": "catalogue-buttons"}


def _catalogue_files(directory: Path) -> Iterator[tuple[Path, str]]:
    # A catalogue file name that is not a regular file (a FIFO, a link to a device) is read, and
    # so refused with one line, rather than passed over.
    for sub in sorted(p for p in directory.iterdir() if p.is_dir()):
        for name, schema in _FILES.items():
            if os.path.lexists(sub / name):
                yield sub / name, schema
    for name, schema in _FILES.items():
        if os.path.lexists(directory / name):
            yield directory / name, schema


def _validate(path: Path, data: dict[str, Any], schema_name: str) -> None:
    from .schemas import validator_for

    errors = sorted(validator_for(f"{schema_name}.schema.json").iter_errors(data),
                    key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or N_("(top level)")
        # Translators: {reason} is the JSON Schema validator's own explanation, in English.
        raise CatalogueError(N_("catalogue entry at /{where} is invalid: {reason}", where=where, reason=first.message),
                             path=str(path))


def _merge(directory: Path, templates: dict[str, Template], items: dict[str, Item],
           buttons: dict[str, Button], validate: bool) -> None:
    if not directory.is_dir():
        raise CatalogueError(N_("catalogue directory does not exist"), path=str(directory))
    found = False
    for path, schema in _catalogue_files(directory):
        found = True
        data = _read(path)
        if validate:
            _validate(path, data, schema)
        origin = str(path)
        try:
            for raw in data.get("templates", ()):
                templates[raw["key"]] = Template(
                    raw["key"], raw["country"], raw["language"], raw["category"], raw["title"],
                    raw["titleEn"], raw["description"], raw["descriptionEn"], tuple(raw["items"]),
                    tuple(raw["emphasizable"]), tuple(raw["buttons"]), raw["provenance"],
                    raw.get("source"), origin)
            for raw in data.get("items", ()):
                items[raw["key"]] = Item(raw["key"], raw["country"], raw["language"], raw["label"],
                                         raw["labelEn"], raw["kind"], raw["example"], raw["provenance"],
                                         raw.get("source"), origin)
            for raw in data.get("buttons", ()):
                buttons[raw["key"]] = Button(raw["key"], raw["country"], raw["language"], raw["label"],
                                             raw["labelEn"], raw["provenance"], raw.get("exampleUrl"),
                                             raw.get("source"), origin)
        except (KeyError, TypeError) as exc:
            raise CatalogueError(N_("catalogue entry is missing or has a wrong field: {field}", field=str(exc)),
                                 path=origin) from None
    if not found:
        raise CatalogueError(N_("no templates.json, items.json or buttons.json found in catalogue directory"),
                             path=str(directory))


def extra_dirs_from_env() -> tuple[str, ...]:
    value = os.environ.get(ENV_VAR, "")
    return tuple(p for p in value.split(os.pathsep) if p)


@lru_cache(maxsize=8)
def load_catalogue(extra_dirs: tuple[str, ...] = ()) -> Catalogue:
    """The shipped catalogue, extended and overridden by each directory in ``extra_dirs`` in turn.

    The shipped files are checked by the test suite and read when a table is first used; a team's
    directories are read and checked against the meta-schemas at once, and a broken one raises
    :class:`CatalogueError` here.
    """
    shipped = data_root() / "template_library" / "catalogue"

    def load() -> Tables:
        tables: Tables = ({}, {}, {})
        _merge(shipped, *tables, validate=False)
        for extra in extra_dirs:
            _merge(Path(extra), *tables, validate=True)
        return tables

    if extra_dirs:
        return Catalogue(*load(), (str(shipped), *extra_dirs))
    return Catalogue(sources=(str(shipped),), load=load)


@lru_cache(maxsize=8)
def _value_schema(language: str) -> tuple[str, dict[str, Any]]:
    path = data_root() / "schemas" / "values" / f"{language}.schema.json"
    if not path.is_file():
        return str(path), {}
    defs = _read(path).get("$defs", {})
    return str(path), defs if isinstance(defs, dict) else {}


@lru_cache(maxsize=128)
def value_pattern(language: str, kind: str) -> re.Pattern[str] | None:
    """Compiled value pattern of one item kind in ``language``; compiled only when first needed."""
    path, defs = _value_schema(language)
    schema = defs.get(kind)
    if not isinstance(schema, dict) or "pattern" not in schema:
        return None
    try:
        return re.compile(schema["pattern"])
    except re.error as exc:
        raise CatalogueError(N_("value pattern for {kind} does not compile: {reason}", kind=kind, reason=str(exc)),
                             path=path) from None


def value_patterns(language: str) -> dict[str, re.Pattern[str]]:
    """Compiled value pattern of each item kind in ``language`` (from ``schemas/values``)."""
    found = {kind: value_pattern(language, kind) for kind in _value_schema(language)[1]}
    return {kind: pattern for kind, pattern in found.items() if pattern is not None}


def iter_keys(entries: Iterable[Entry]) -> list[str]:
    return [e.key for e in entries]
