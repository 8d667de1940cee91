"""SARIF 2.1.0 output, for code-scanning services (GitHub, Azure DevOps, SonarQube...).

One run: the tool driver lists each rule that has results, with its documentation as help text
and its documentation URL; each finding is a result with the rule, a level, the message and the file
region. Paths under the working folder are relative to ``%SRCROOT%`` (the repository checkout in
CI); columns count Unicode code points, as the text output does, and the run says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from ..findings import Finding, Severity
from ..i18n import _, html_lang, localize
from ..rules import Rule, RuleTable
from .engine import LintReport

__all__ = ["SARIF_SCHEMA", "SARIF_VERSION", "format_sarif", "sarif_log"]

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _version() -> str:
    from .._paths import lnm_version

    return lnm_version("0+unknown")


def _rule_descriptor(rule: Rule, docs_url: str | None) -> dict[str, Any]:
    """A rule as SARIF describes it: id and name as they are, the words in the UI language."""
    doc, summary = rule.local_doc(), rule.local_summary()
    # Translators: the last line of a rule's help in SARIF (code scanning); {fix} is the rule's fix.
    help_text = doc + ("\n\n" + _("Fix: {fix}", fix=rule.local_fix()) if rule.fix else "")
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary or rule.name},
        "fullDescription": {"text": doc or summary or rule.name},
        "help": {"text": help_text, "markdown": help_text},
        "helpUri": rule.doc_url_at(docs_url),
        "defaultConfiguration": {"level": _LEVEL[rule.severity]},
        "properties": {"tags": [rule.group], "group": rule.group},
    }


def _uri_path(path: str) -> str:
    """A relative path as a URI reference: ``%``, space, ``#`` and ``?`` escaped, and each byte of a
    file name that is not UTF-8 (a lone surrogate, as Python reads it) percent-encoded."""
    out = path.replace("%", "%25").replace(" ", "%20").replace("#", "%23").replace("?", "%3F")
    return _SURROGATE.sub(lambda m: "".join(f"%{byte:02X}" for byte in m.group(0).encode(
        "utf-8", "surrogateescape" if "\udc80" <= m.group(0) <= "\udcff" else "surrogatepass")), out)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _artifact(path: str) -> dict[str, str]:
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute)
    if relative.startswith(".."):
        return {"uri": Path(absolute).as_uri()}  # as_uri percent-encodes the file name's bytes
    return {"uri": _uri_path(Path(relative).as_posix()), "uriBaseId": "SRCROOT"}


def _result(finding: Finding, index: int) -> dict[str, Any]:
    region: dict[str, int] = {}
    if finding.line:
        region["startLine"] = finding.line
        if finding.column:
            region["startColumn"] = finding.column
    physical: dict[str, Any] = {"artifactLocation": _artifact(finding.file or "")}
    if region:
        physical["region"] = region
    location: dict[str, Any] = {"physicalLocation": physical}
    if finding.path:
        location["logicalLocations"] = [{"fullyQualifiedName": finding.property, "kind": "member"}]
    message = localize(finding.message)
    # Translators: a finding in SARIF: its message, then its fix.
    text = _("{message} Fix: {fix}", message=message, fix=localize(finding.fix)) if finding.fix else message
    # The fingerprint is of the English message (a Text is its English string): it is the same in every language.
    identity = "\0".join((os.path.relpath(os.path.abspath(finding.file or "")), finding.code,
                          finding.pointer, str(finding.message)))
    return {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _LEVEL[finding.severity],
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"lnmFinding/v1": hashlib.sha256(
            identity.encode("utf-8", "surrogatepass")).hexdigest()},
        "properties": {"name": finding.name, "pointer": finding.pointer},
    }


def sarif_log(report: LintReport, table: RuleTable, docs_url: str | None = None) -> dict[str, Any]:
    """The SARIF log as a JSON-ready dictionary; rule help links point into ``docs_url``
    (default: the installed ``docs/rules.md``)."""
    # Only the rules that have results are described: a clean run's log stays short.
    reported = {f.code for f in report.findings()}
    rules = [rule for rule in table.rules() if rule.code in reported]
    index = {rule.code: i for i, rule in enumerate(rules)}
    results = [_result(f, index[f.code]) for f in report.findings() if f.code in index]
    notifications = [{
        "level": "error",
        "message": {"text": localize(error.one_line())},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(error.path or "")}}],
    } for error in report.errors()]
    invocation: dict[str, Any] = {"executionSuccessful": not notifications}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "lnm",
                "version": _version(),
                "rules": [_rule_descriptor(rule, docs_url) for rule in rules],
            }},
            "originalUriBaseIds": {"SRCROOT": {"uri": Path(os.getcwd()).as_uri().rstrip("/") + "/"}},
            "language": html_lang(),
            "columnKind": "unicodeCodePoints",
            "invocations": [invocation],
            "results": results,
        }],
    }


def format_sarif(report: LintReport, *, table: RuleTable | None = None, docs_url: str | None = None,
                 **_options: Any) -> str:
    """The SARIF log as indented JSON text."""
    if table is None:
        from ..rules import default_table

        table = default_table()
    from .._io import json_text

    return json_text(json.dumps(sarif_log(report, table, docs_url), ensure_ascii=False, indent=2)) + "\n"
