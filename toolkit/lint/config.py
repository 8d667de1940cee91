"""Lint configuration: ``[tool.lnm]`` in ``pyproject.toml`` or the top level of ``lnm.toml``.

The file is found from the linted path's folder upwards (``lnm.toml`` first, then a
``pyproject.toml`` that has a ``[tool.lnm]`` table), or named with ``--config``. It is checked
against ``schemas/lnm-config.schema.json`` and every rule it names against the rule table; any
problem is one :class:`~toolkit.errors.UsageError` line naming the file, the line when it can be
found, and the key.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import UsageError, closest_hint
from ..findings import Severity
from ..i18n import N_

if TYPE_CHECKING:  # every command reads the configuration's ui-language; only lint needs the engine
    from ..rules import RuleTable
    from .engine import LintSettings

__all__ = ["CONFIG_NAMES", "Config", "LintOptions", "default_language", "default_language_for", "docs_url",
           "find_config", "load_config", "resolve_settings", "shown_severity", "ui_language_setting"]

#: File names looked for in each folder, in order of preference.
CONFIG_NAMES = ("lnm.toml", "pyproject.toml")
#: Refuse larger configuration files (a pyproject.toml is a few kilobytes).
MAX_CONFIG_BYTES = 1024 * 1024
#: A pyproject.toml that may configure lnm: any mention of a ``tool.lnm`` table or key, however
#: spaced or quoted, or a bare ``[tool]`` table (``lnm = {...}`` inside it). Such a file is parsed,
#: and a broken one is an error, never a silent fall-back to the defaults.
_MENTIONS_LNM = re.compile(rb"""tool["']?\s*\.\s*["']?lnm\b|^\s*\[\s*tool\s*\]""", re.MULTILINE)


@dataclass(frozen=True)
class Config:
    """A validated configuration table and where it came from."""

    path: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    text: str = ""

    @property
    def root(self) -> str:
        """Folder that ``per-file-ignores`` globs are relative to."""
        return os.path.dirname(os.path.abspath(self.path)) if self.path else os.getcwd()

    @property
    def prefix(self) -> str:
        """How keys are spelled in messages: ``tool.lnm.select`` in pyproject, ``select`` in lnm.toml."""
        return "tool.lnm." if self.path and os.path.basename(self.path) == "pyproject.toml" else ""

    def error(self, keys: Iterable[str | int], problem: str, needle: str | None = None) -> UsageError:
        """One line naming the file, the line of the key (or ``needle``) when found, and the dotted key."""
        names = [str(k) for k in keys if not isinstance(k, int)]
        dotted = self.prefix + ".".join(_toml_key(p) for p in names) if names else self.prefix.rstrip(".")
        line = _find_line(self.text, needle or names[-1], self.prefix) if (needle or names) else None
        # Translators: a configuration error: {key} is the configuration key (select, options.max-display-width).
        return UsageError(N_("{key}: {problem}", key=dotted or N_("configuration"), problem=problem), path=self.path,
                          line=line)


@dataclass(frozen=True)
class LintOptions:
    """What the command line adds to or overrides in the configuration."""

    select: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    max_warnings: int | None = None
    min_severity: str | None = None


def _toml_key(part: str) -> str:
    return part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)


def _find_line(text: str, needle: str, prefix: str) -> int | None:
    """Line of ``needle`` as a key, a table name or a quoted value; TOML gives no positions."""
    quoted = re.escape(needle)
    pattern = re.compile(rf"""(^\s*["']?{quoted}["']?\s*=|^\s*\[[^\]]*\b{quoted}\]\s*$|["']{quoted}["'])""")
    lines = text.splitlines()
    start = 0
    if prefix:  # in pyproject.toml, look only from the [tool.lnm] table on
        start = next((i for i, line in enumerate(lines) if re.match(r"\s*\[\s*tool\s*\.\s*lnm\b", line)), 0)
    for number in range(start, len(lines)):
        if pattern.search(lines[number]):
            return number + 1
    return None


def _read_toml(path: str) -> tuple[dict[str, Any], str]:
    from .._io import read_regular_file

    if not os.path.lexists(path):
        raise UsageError(N_("configuration file not found"), path=path)
    if os.path.isdir(path):
        raise UsageError(N_("configuration path is a directory, not a file"), path=path)
    raw = read_regular_file(path, MAX_CONFIG_BYTES, error=UsageError)
    import tomllib  # only when a configuration file is there to read

    try:
        text = raw.decode("utf-8")
        return tomllib.loads(text), text
    except UnicodeDecodeError as exc:
        raise UsageError(N_("configuration is not UTF-8 (byte {offset})", offset=exc.start), path=path) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc)) or "invalid TOML"
        line, column = (int(found.group(1)), int(found.group(2))) if found else (None, None)
        if found is None and "end of document" in str(exc):
            message = message.replace(" (at end of document)", "") + " at the end of the file"
            line, column = text.count("\n") + 1, len(text) - text.rfind("\n")
        # Translators: {problem} is the TOML reader's own English description of the error.
        raise UsageError(N_("invalid TOML: {problem}", problem=message), path=path, line=line, column=column) from None


def _table_of(path: str, document: dict[str, Any]) -> dict[str, Any] | None:
    if os.path.basename(path) == "pyproject.toml":
        tool = document.get("tool")
        table = tool.get("lnm") if isinstance(tool, dict) else None
        return table if isinstance(table, dict) else None
    return document


def find_config(start: str) -> str | None:
    """The configuration file for ``start`` (a file or folder): nearest folder upwards that has one.

    An ``lnm.toml`` is taken whatever it holds; a ``pyproject.toml`` when it mentions lnm's table
    and that table is there. A broken one of either (not TOML, not a regular file, too large) is a
    :class:`UsageError`, not a reason to look further up.
    """
    from .._io import read_regular_file

    folder = os.path.abspath(start)
    if not os.path.isdir(folder):
        folder = os.path.dirname(folder)
    while True:
        for name in CONFIG_NAMES:
            candidate = os.path.join(folder, name)
            if not os.path.lexists(candidate) or os.path.isdir(candidate):
                continue
            if name == "lnm.toml":
                return candidate
            head = read_regular_file(candidate, MAX_CONFIG_BYTES, error=UsageError)
            if not _MENTIONS_LNM.search(head):
                continue
            document, _ = _read_toml(candidate)
            if _table_of(candidate, document) is not None:
                return candidate
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def ui_language_setting(start: str) -> tuple[object, Config] | None:
    """The ``ui-language`` of the configuration for ``start`` and the file it is in; None when no
    file sets it or the file cannot be read (the commands that read the configuration say why)."""
    try:
        path = find_config(start)
        if path is None:
            return None
        document, text = _read_toml(path)
    except UsageError:
        return None
    data = _table_of(path, document)
    if not data or "ui-language" not in data:
        return None
    return data["ui-language"], Config(path=path, data=data, text=text)


def load_config(path: str) -> Config:
    """Read and schema-check one configuration file; :func:`resolve_settings` checks the rules it names."""
    document, text = _read_toml(path)
    data = _table_of(path, document)
    if data is None:
        raise UsageError(N_("no [tool.lnm] table in this pyproject.toml"), path=path)
    config = Config(path=path, data=data, text=text)
    _check_schema(config)
    return config


_SELECTOR_KEYS = ("select", "extend-select", "ignore", "per-file-ignores")


def _check_schema(config: Config) -> None:
    from jsonschema.exceptions import best_match

    from ..spec.schemas import validator_for

    error = best_match(validator_for("lnm-config.schema.json").iter_errors(dict(config.data)))
    if error is None:
        return
    keys = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in known)
        hint, listed = closest_hint(extra[0], known), ", ".join(known)
        raise config.error([*keys, extra[0]], N_("unknown option{hint}; known: {known}", hint=hint, known=listed)
                           if keys[-1:] == ["options"] else N_("unknown key{hint}; known: {known}", hint=hint,
                                                                 known=listed))
    if error.validator == "enum":
        choices = ", ".join(str(c) for c in error.validator_value)
        raise config.error(keys, N_("{value} is not one of {choices}", value=repr(error.instance), choices=choices))
    if error.validator == "pattern" and keys and keys[0] in _SELECTOR_KEYS:
        raise config.error(keys, N_("{value} is not a rule code or name", value=repr(error.instance)),
                           needle=str(error.instance))
    if error.validator == "propertyNames":
        raise config.error(keys, N_("{value} has a key that is not allowed here", value=repr(error.instance)))
    raise config.error(keys, error.message)


def _codes(table: RuleTable, selectors: Iterable[str], unknown: Callable[[str], UsageError]) -> frozenset[str]:
    codes: set[str] = set()
    for selector in selectors:
        try:
            codes.update(rule.code for rule in table.resolve(selector))
        except KeyError:
            raise unknown(selector) from None
    return frozenset(codes)


def _resolve(config: Config, table: RuleTable, selectors: Iterable[str],
             keys: tuple[str | int, ...]) -> frozenset[str]:
    """Codes for selectors from the file; an unknown one is an error at its key."""
    return _codes(table, selectors,
                  lambda s: config.error(keys, N_("unknown rule {rule}; see lnm rules", rule=repr(s)), needle=s))


def _cli_codes(table: RuleTable, selectors: Iterable[str], option: str) -> frozenset[str]:
    """Codes for a repeatable, comma-separated command-line option."""
    split = [part.strip() for raw in selectors for part in raw.split(",") if part.strip()]
    return _codes(table, split, lambda s: UsageError(N_("{option}: unknown rule {rule}; see lnm rules", option=option,
                                                        rule=repr(s))))


def resolve_settings(config: Config, table: RuleTable,
                     cli: LintOptions = LintOptions()) -> tuple[LintSettings, Severity, int | None]:
    """Settings for the lint engine, the ``--fail-on`` threshold and ``--max-warnings``.

    The command line wins over the file for ``select``, ``fail-on`` and ``max-warnings``;
    ``ignore`` and ``extend-select`` add up.
    """
    from .engine import LintSettings

    data = config.data
    if cli.select:
        select: frozenset[str] | None = _cli_codes(table, cli.select, "--select")
    elif "select" in data:
        select = _resolve(config, table, data["select"], ("select",))
    else:
        select = None
    extend = _resolve(config, table, data.get("extend-select", ()), ("extend-select",)) | _cli_codes(
        table, cli.extend_select, "--extend-select")
    if extend and select is not None:
        select = select | extend
    ignore = _resolve(config, table, data.get("ignore", ()), ("ignore",)) | _cli_codes(
        table, cli.ignore, "--ignore")
    severity: dict[str, Severity] = {}
    for selector, level in data.get("severity", {}).items():
        for code in _resolve(config, table, [selector], ("severity", selector)):
            severity[code] = Severity.parse(level)
    per_file = tuple(
        (glob, _resolve(config, table, selectors, ("per-file-ignores", glob)))
        for glob, selectors in data.get("per-file-ignores", {}).items())
    settings = LintSettings(select=select, ignore=ignore, severity=severity, per_file_ignores=per_file,
                            options=dict(data.get("options", {})), root=config.root,
                            docs_url=docs_url(config), default_language=default_language(config))
    fail_on = Severity.parse(cli.fail_on or data.get("fail-on", "error"))
    max_warnings = cli.max_warnings if cli.max_warnings is not None else data.get("max-warnings")
    return settings, fail_on, max_warnings


def default_language(config: Config) -> str | None:
    """The language of flexible messages that name none: ``language``, else ``country``'s."""
    from ..spec.catalogue import COUNTRY_LANGUAGE

    language = config.data.get("language")
    if isinstance(language, str):
        return language
    country = config.data.get("country")
    return COUNTRY_LANGUAGE.get(country) if isinstance(country, str) else None


def default_language_for(path: str) -> str | None:
    """:func:`default_language` of the configuration that applies to ``path`` (None without one)."""
    found = find_config(path)
    return _language_of_file(found) if found else None


@lru_cache(maxsize=16)
def _language_of_file(path: str) -> str | None:
    """Read once per run: a preview of many files under one configuration reads it once."""
    return default_language(load_config(path))


def shown_severity(config: Config, cli: LintOptions, fail_on: Severity) -> Severity:
    """The least severe finding a report shows: ``--min-severity``, else the file's
    ``min-severity``, else warnings (info notes are counted, not shown). A finding that fails
    the run is always shown."""
    chosen = Severity.parse(cli.min_severity or config.data.get("min-severity", "warning"))
    return min(chosen, fail_on)


def docs_url(config: Config) -> str | None:
    """The configured ``docs-url`` as a URI: a path (relative to the file) becomes ``file://``."""
    value = config.data.get("docs-url")
    if not isinstance(value, str):
        return None
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", value):
        return value
    from pathlib import Path

    return Path(config.root, value).resolve().as_uri()
