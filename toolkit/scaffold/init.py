"""``lnm init``: set a repository up for lnm, and find the repository's schema copy for ``lnm new``.

``init`` writes the configuration (``lnm.toml``, or a ``[tool.lnm]`` table appended to an existing
``pyproject.toml``) with every setting commented out at its default, a copy of the JSON Schemas in
``.lnm/schemas/`` (so that specs point at them with a relative ``$schema`` that survives moving the
tool), and ``messages/`` with one example spec. It writes only below the folder it is given, never
replaces a file unless told to (``--force``), and creates files with the user's umask.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .._paths import DISTRIBUTION, data_root
from ..errors import UsageError
from ..i18n import N_, _, localize, ngettext

__all__ = ["SCHEMA_DIR", "InitResult", "config_text", "find_schema_dir", "init_repository", "report_lines",
           "snippets"]

#: Where ``init`` puts the schema copy, relative to the repository folder.
SCHEMA_DIR = Path(".lnm") / "schemas"

#: The example spec ``init`` puts in ``messages/``, by country.
EXAMPLE = {"JP": "shipment_completed_ja", "TH": "shipment_completed_th", "TW": "shipment_completed_tw"}

_SETTINGS = '''\
# {rules_by}
# {rules_docs}
# select = ["all"]
# ignore = []                     # {ignore}
# extend-select = []
# fail-on = "error"               # {fail_on}
# min-severity = "warning"        # {min_severity}
# max-warnings = 20               # {max_warnings}
# docs-url = "https://wiki.example.jp/lnm/rules.md"   # {docs_url}
# country = "JP"                  # {country}
# language = "ja"                 # {language}
# ui-language = "ja"              # {ui_language}
'''

_TABLES = '''\
# [{prefix}severity]
# G030 = "error"                  # {severity}

# [{prefix}per-file-ignores]        # {per_file}
# "messages/legacy/**" = ["G010"]

# [{prefix}options]
# allowed-domains = ["www.example.jp"]
# min-app-version = "15.9.0"
'''

#: The comments of the configuration ``init`` writes (in the UI language; keys and values stay).
_COMMENTS = {
    "rules_by": N_("Rules by code (G010), name (promotional-wording), code prefix (G0) or group (all, api, "
                   "guideline)."),
    "rules_docs": N_("lnm rules lists them; the documentation installed with lnm (docs/configuration.md) "
                     "explains each key."),
    "ignore": N_("for example [\"undocumented-key\"] once you lint against your own catalogue"),
    "fail_on": N_("exit 1 on findings at least this severe"),
    "min_severity": N_("show findings at least this severe; info notes are only counted"),
    "max_warnings": N_("exit 1 when there are more warnings than this"),
    "docs_url": N_("rule links in reports (default: the installed docs)"),
    "country": N_("your account's country: flexible messages default to its language"),
    "language": N_("or their default language (BCP 47) directly; else English"),
    "ui_language": N_("lnm's own words: en, ja, th or zh-Hant (default: the locale)"),
    # Translators: G030 is the rule foreign-language-content; "us" is the team using lnm.
    "severity": N_("foreign-language-content is an error for us"),
    "per_file": N_("globs relative to this file's folder"),
}


def _comments() -> dict[str, str]:
    """Each comment in the UI language, on one line (a TOML comment ends at the line's end)."""
    return {key: " ".join(localize(text).split()) for key, text in _COMMENTS.items()}


def config_text(pyproject: bool) -> str:
    """The commented configuration: a whole ``lnm.toml``, or a ``[tool.lnm]`` table to append."""
    comments = _comments()
    settings = _SETTINGS.format(**comments)
    if pyproject:
        return "\n[tool.lnm]\n" + settings + "\n" + _TABLES.format(prefix="tool.lnm.", **comments)
    header = " ".join(_("lnm configuration: every setting is shown at its default, commented out.").split())
    return f"# {header}\n" + settings + "\n" + _TABLES.format(prefix="", **comments)


@dataclass
class InitResult:
    """What ``init`` did to each path (relative to the repository folder)."""

    root: Path
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _write(path: Path, text: str, force: bool, result: InitResult) -> None:
    """Create ``path`` (mode from the umask); an existing file is kept unless ``force``."""
    from .._io import atomic_write_text, check_inside

    shown = path.relative_to(result.root).as_posix()
    check_inside(path.parent, result.root)  # a link such as .lnm -> elsewhere is not written through
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        if force:  # replaced atomically: a link in the file's place is replaced, not followed
            atomic_write_text(path, text, root=result.root)
        else:  # "x" creates or fails; it never follows a link
            with open(path, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except FileExistsError:
        result.kept.append(shown)
        return
    except OSError as exc:
        raise UsageError(_("cannot write: {reason}", reason=exc.strerror or exc), path=str(path)) from None
    result.written.append(shown)


def _copy_schemas(root: Path, refresh: bool, result: InitResult) -> None:
    source = data_root() / "schemas"
    for path in sorted(source.rglob("*.schema.json")):
        target = root / SCHEMA_DIR / path.relative_to(source)
        text = path.read_text(encoding="utf-8")
        if refresh and target.is_file() and target.read_text(encoding="utf-8") == text:
            result.kept.append(target.relative_to(root).as_posix())
            continue
        _write(target, text, refresh, result)


def _has_lnm_table(text: str) -> bool:
    return re.search(r"^\s*\[\s*tool\s*\.\s*lnm\s*[\].]", text, re.MULTILINE) is not None


def _config(root: Path, force: bool, result: InitResult) -> None:
    from .._io import check_inside

    pyproject = root / "pyproject.toml"
    if pyproject.is_file():
        check_inside(pyproject, root)  # appended to where it really is, which must be inside
        text = pyproject.read_text(encoding="utf-8")
        if _has_lnm_table(text):
            result.kept.append("pyproject.toml")
            result.notes.append(_("{path} already has a [tool.lnm] table; left as it is", path="pyproject.toml"))
            return
        with open(pyproject, "a", encoding="utf-8", newline="\n") as handle:
            handle.write(("" if text.endswith("\n") or not text else "\n") + config_text(pyproject=True))
        result.written.append(_("{path} ([tool.lnm] appended)", path="pyproject.toml"))
        return
    _write(root / "lnm.toml", config_text(pyproject=False), force, result)


def _example(root: Path, country: str, force: bool, result: InitResult) -> None:
    key = EXAMPLE[country]
    source = data_root() / "template_library" / "examples" / country / f"{key}.json"
    spec = json.loads(source.read_text(encoding="utf-8"))
    target = root / "messages" / f"{key}.json"
    spec["$schema"] = os.path.relpath(root / SCHEMA_DIR / "message-spec.schema.json", target.parent).replace(
        os.sep, "/")
    _write(target, json.dumps(spec, ensure_ascii=False, indent=2) + "\n", force, result)


def init_repository(root: str | os.PathLike[str], *, country: str = "JP", force: bool = False,
                    update_schemas: bool = False, ci: str | None = None) -> InitResult:
    """Set ``root`` up (see the module docstring); ``update_schemas`` refreshes only the schema copy;
    ``ci`` (``github`` or ``gitlab``) also writes that CI job (:mod:`toolkit.scaffold.ci`)."""
    folder = Path(root)
    if folder.exists() and not folder.is_dir():
        raise UsageError(_("not a folder"), path=str(folder))
    folder.mkdir(parents=True, exist_ok=True)
    result = InitResult(folder.resolve())
    from .._io import check_inside

    for sub in (SCHEMA_DIR, Path("messages")):  # before anything is written: no link out of the folder
        check_inside(result.root / sub, result.root)
    if update_schemas:
        _copy_schemas(result.root, True, result)
        return result
    _config(result.root, force, result)
    _copy_schemas(result.root, force, result)
    _example(result.root, country.upper(), force, result)
    if ci is not None:
        from .ci import CI_SYSTEMS, write_ci

        if ci not in CI_SYSTEMS:
            raise UsageError(_("--ci {ci}: give one of {choices}", ci=ci, choices=", ".join(CI_SYSTEMS)))
        write_ci(ci, result.root, lambda path, text: _write(path, text, force, result), result.notes)
    return result


def find_schema_dir(start: str | os.PathLike[str]) -> Path | None:
    """The nearest ``.lnm/schemas`` holding the spec schema, from ``start`` (a folder) upwards."""
    folder = Path(os.path.abspath(start))
    while True:
        candidate = folder / SCHEMA_DIR
        if (candidate / "message-spec.schema.json").is_file():
            return candidate
        if folder.parent == folder:
            return None
        folder = folder.parent


def snippets(messages: str = "messages", *, workflow: bool = True) -> str:
    """The pre-commit hook and (with ``workflow``) the GitHub Actions workflow to add, as text."""
    hook = _("Add to .pre-commit-config.yaml (lnm must be installed where the hook runs):") + f'''

  repos:
    - repo: local
      hooks:
        - id: lnm-lint
          name: lnm lint
          entry: lnm lint --skip-other-json
          language: system
          files: ^{messages}/.*\\.json$
'''
    if not workflow:
        return hook
    # Translators: keep the line break where it reads well; the YAML workflow follows.
    intro = _("Add as .github/workflows/lnm.yml (findings show up in the Security tab and on pull requests), or\n"
              "run lnm init --ci github for lnm's GitHub Action (previews as an artifact too) or --ci gitlab:")
    pin = " ".join(_("or a pinned version, a wheel or a git+https URL").split())
    return hook + f'''
{intro}

  name: lnm
  on: [push, pull_request]
  permissions:
    contents: read
    security-events: write
  jobs:
    lint:
      runs-on: ubuntu-latest
      steps:
        - uses: actions/checkout@v4
        - uses: actions/setup-python@v5
          with:
            python-version: "3.11"
        - run: python -m pip install "$LNM_PACKAGE"   # {pin}
          env:
            LNM_PACKAGE: {DISTRIBUTION}
        - run: lnm lint {messages}/ --format sarif -o lnm.sarif
        - uses: github/codeql-action/upload-sarif@v3
          if: always()
          with:
            sarif_file: lnm.sarif
            category: lnm
'''


def report_lines(result: InitResult) -> list[str]:
    """What ``lnm init`` prints about the files: schemas counted, other files named."""
    def grouped(paths: list[str]) -> list[str]:
        schemas = [p for p in paths if p.startswith(SCHEMA_DIR.as_posix() + "/")]
        others = [p for p in paths if p not in schemas]
        if schemas:
            others.append(ngettext("{n} JSON Schema in {folder}/", "{n} JSON Schemas in {folder}/", len(schemas),
                                   folder=SCHEMA_DIR.as_posix()))
        return others

    lines = [_("wrote {path}", path=p) for p in grouped(result.written)]
    kept = grouped(result.kept)
    if kept:
        lines.append(_("kept (already there; --force replaces): {paths}", paths=", ".join(kept)))
    lines.extend(result.notes)
    return lines
