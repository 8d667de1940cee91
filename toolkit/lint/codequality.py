"""``lnm lint --format gitlab``: GitLab's code quality report (the Code Climate subset GitLab reads).

A JSON array with one object per finding: ``description``, ``check_name``, ``fingerprint``,
``severity`` (GitLab's ``info``, ``minor``, ``major``, ``critical`` or ``blocker``) and
``location`` (``path`` relative to the repository, ``lines.begin``), the fields GitLab's
documentation lists for a custom tool's report. Save it as the job's ``codequality`` report
artifact and the findings show in the merge request.

The fingerprint is a hash of the file, the rule, the JSON pointer and the message, not of the
line: a finding keeps its identity when lines above it move, so GitLab does not report it as fixed
and new again.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from ..findings import Severity
from ..i18n import _, localize
from .engine import LintReport

__all__ = ["SEVERITY", "format_gitlab"]

#: lnm's severities on GitLab's scale: an error is something LINE rejects or review refuses.
SEVERITY = {Severity.ERROR: "critical", Severity.WARNING: "minor", Severity.INFO: "info"}


def _repository_path(path: str) -> str:
    """``path`` relative to the working folder (the repository, in a CI job), with ``/``."""
    relative = os.path.relpath(os.path.abspath(path))
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()


def format_gitlab(report: LintReport, **_options: Any) -> str:
    """The code quality report as JSON text (``[]`` for a clean run: GitLab wants the file)."""
    issues: list[dict[str, Any]] = []
    for result in report.files:
        path = _repository_path(result.path)
        if result.error is not None:
            message = result.error.message
            issues.append({"description": _("unreadable: {message}", message=localize(message)),
                           "check_name": "lnm/unreadable",
                           "fingerprint": _fingerprint(path, "unreadable", message), "severity": "blocker",
                           "location": {"path": path, "lines": {"begin": result.error.line or 1}}})
            continue
        for f in result.findings:
            # The description is in the UI language; the fingerprint is of the English message (the Text's str).
            issues.append({"description": f"{f.code} {localize(f.message)}", "check_name": f"{f.code} {f.name}",
                           "fingerprint": _fingerprint(path, f.code, f.pointer, str(f.message)),
                           "severity": SEVERITY[f.severity],
                           "location": {"path": path, "lines": {"begin": f.line or 1}}})
    return json.dumps(issues, ensure_ascii=False, indent=2) + "\n"
