"""What the live preview and the review report know about one message file, and which files they may read.

Only message files under the folders and files given on the command line are ever opened: each is
found by walking those paths (hidden folders skipped, as ``lnm lint`` does) and kept only when its
real path, after following every symbolic link, is still inside one of them. A request names a file
by its key in that index; a name that is not in it is not a file the tool will open.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError, LnmError
from ..findings import Finding, Severity
from ..i18n import N_, localize, ngettext
from ..lint.engine import LintSettings
from ..spec.catalogue import COUNTRY_LANGUAGE, Catalogue

__all__ = ["COUNTRY_OF_LANGUAGE", "SpecIndex", "SpecView", "body_parts", "built_body", "finding_view", "inspect_file", "localized",
           "project_settings", "rejected_note"]


#: A flexible spec names no template; its language tells the market (LINE notification messages
#: reach Japan, Thailand and Taiwan only).
#: The country whose messages are written in each language (the other way round of COUNTRY_LANGUAGE).
COUNTRY_OF_LANGUAGE = {language: country for country, language in COUNTRY_LANGUAGE.items()}


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


class SpecIndex:
    """The message files under ``paths``, by key (the path as ``lnm lint`` would print it)."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = [os.fspath(p) for p in paths]
        for path in self.paths:
            if not os.path.exists(path):
                raise InputError(N_("no such file or directory"), path=path)
        self.roots = [os.path.realpath(p) for p in self.paths]

    def refresh(self) -> None:
        """Resolve the paths again (a link retargeted, a folder replaced): the roots follow the names
        given on the command line."""
        self.roots = [os.path.realpath(p) for p in self.paths]

    def watch_dirs(self) -> list[str]:
        """Folders to watch for changes (a named file's folder)."""
        out = []
        for root in self.roots:
            folder = root if os.path.isdir(root) else os.path.dirname(root)
            if folder not in out:
                out.append(folder)
        return out

    def files(self) -> dict[str, str]:
        """``{key: real path}`` of every JSON file inside the roots, looked up afresh each call."""
        from ..lint.engine import discover

        out: dict[str, str] = {}
        for path, root in zip(self.paths, self.roots, strict=True):
            try:
                found = list(discover([path]))
            except InputError:
                continue  # an empty folder lists nothing
            for file, _ in found:
                real = os.path.realpath(file)
                if _inside(real, root) and os.path.isfile(real):
                    out[file] = real
        return out

    def resolve(self, key: str) -> str | None:
        """The real path of ``key`` when it is a listed file still inside a root, else None."""
        real = self.files().get(key)
        if real is None:
            return None
        again = os.path.realpath(real)  # a link swapped since it was listed
        return again if any(_inside(again, root) for root in self.roots) else None


def finding_view(f: Finding, lines: list[str]) -> dict[str, Any]:
    """A finding as the page shows it, with the spec's source line (personal data starred out).

    Its ``message`` and ``fix`` stay as lnm made them (English, or a :class:`~toolkit.i18n.Text`
    that each page shows in its own language: :func:`localized`)."""
    from ..lint.report import _personal_codes, _redact

    source = None
    if f.code not in _personal_codes() and f.line and 0 < f.line <= len(lines):
        source = _redact(lines[f.line - 1])[:300]
    return {"severity": str(f.severity), "code": f.code, "name": f.name, "message": f.message,
            "property": f.property, "pointer": f.pointer, "line": f.line, "column": f.column,
            "fix": f.fix, "source": source}


def localized(findings: list[dict[str, Any]], language: str | None = None) -> list[dict[str, Any]]:
    """Finding views with their message and fix in ``language`` (default: the current UI language);
    codes, names, severities and places as they are."""
    return [{**f, "message": localize(f["message"], language),
             "fix": localize(f["fix"], language) if f.get("fix") else f.get("fix")} for f in findings]


@dataclass
class SpecView:
    """One message file, read now: its document (None when it does not parse) and what lnm says of it."""

    key: str
    document: Mapping[str, Any] | None
    error: str | None = None
    findings: list[dict[str, Any]] = field(default_factory=list)
    samples: list[str] = field(default_factory=list)
    kind: str | None = None
    title: str | None = None
    country: str | None = None
    template_key: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")


def project_settings(path: str) -> LintSettings:
    """The lint settings ``lnm lint`` would use for ``path`` (lnm.toml or [tool.lnm], found upwards)."""
    from ..lint.config import LintOptions, find_config, load_config, resolve_settings
    from ..rules import default_table

    found = find_config(path)
    if found is None:
        return LintSettings()
    settings, _, _ = resolve_settings(load_config(found), default_table(), LintOptions())
    return settings


def inspect_file(key: str, real: str, catalogue: Catalogue, settings: LintSettings | None = None) -> SpecView:
    """Parse and lint one file; a file that does not parse gives its one-line error instead."""
    from ..lint.engine import FileResult, fold_once_per_run, lint_source
    from ..rules import default_table
    from ..spec.message import document_shape
    from ..spec.source import load_source

    try:
        source = load_source(real)
        if document_shape(source.data) is None:
            raise InputError(N_("not a LINE notification message: expected a spec (with {kind}) or an API "
                                "body (with {template_key} or {messages})", kind='"kind"',
                                template_key='"templateKey"', messages='"messages"'), path=real, line=1, column=1)
        _, findings = lint_source(source, default_table(), catalogue, settings or LintSettings())
        # A rule that speaks once per run (G002) speaks once per file here, as lnm lint on the file.
        folded = [FileResult(key, findings=findings)]
        fold_once_per_run(folded, default_table())
        findings = folded[0].findings
    except LnmError as exc:
        exc.path = key
        return SpecView(key, None, error=exc.one_line())
    data = source.data
    lines = source.text.splitlines()
    order = sorted(findings, key=lambda f: (-int(f.severity), f.line or 0, f.column or 0, f.code))
    samples = data.get("samples") if isinstance(data.get("samples"), dict) else {}
    key_value = data.get("templateKey")
    template = catalogue.templates.get(key_value) if isinstance(key_value, str) else None
    kind = data.get("kind") if "kind" in data else ("template" if "templateKey" in data else "flexible")
    title = data.get("title") if isinstance(data.get("title"), str) else None
    return SpecView(key, data, findings=[finding_view(f, lines) for f in order],
                    samples=list(samples or {}), kind=str(kind), title=title,
                    country=template.country if template else COUNTRY_OF_LANGUAGE.get(str(data.get("language"))),
                    template_key=key_value if isinstance(key_value, str) else None)


def body_parts(document: Mapping[str, Any], catalogue: Catalogue, key: str,
               sample: str | None) -> tuple[str | None, int, str]:
    """The request body one sample builds to (no recipient) with the number of errors LINE's API
    would reject it for, or the reason it does not build (a one-line :class:`~toolkit.i18n.Text`)."""
    from ..builder import build
    from ..rules import default_table
    from ..spec.message import Shape, document_shape

    try:
        if document_shape(document) != Shape.SPEC:
            sample = None
        request = build(document, catalogue, default_table(), path=key, sample=sample)
    except LnmError as exc:
        exc.path = exc.path or key
        return N_("not built: {reason}", reason=exc.one_line()), 0, ""
    body = {k: v for k, v in request.body.items() if k != "to"}
    import json

    text = json.dumps(body, ensure_ascii=False, indent=2) + "\n"
    errors = sum(1 for f in request.findings if f.severity >= Severity.ERROR)
    return None, errors, text


def rejected_note(errors: int) -> str:
    """The line above a body LINE's API would reject, in the current UI language."""
    return ngettext("(LINE's API would reject this body: {n} error)", "(LINE's API would reject this body: {n} errors)",
                    errors)


def built_body(document: Mapping[str, Any], catalogue: Catalogue, key: str, sample: str | None) -> str:
    """The request body one sample builds to (no recipient), in the current UI language's words,
    or the one-line reason it does not build."""
    reason, errors, text = body_parts(document, catalogue, key, sample)
    if reason is not None:
        return localize(reason)
    return rejected_note(errors) + "\n" + text if errors else text
