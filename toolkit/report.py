"""Lint reports for people (text) and programs (json)."""

from __future__ import annotations

import json
from typing import Any

from .lint import LintReport

__all__ = ["FORMATTERS", "format_json", "format_text"]


def format_text(report: LintReport, **_: Any) -> str:
    """``file:line:col: CODE message`` per finding, a help line with the fix, then a summary."""
    lines: list[str] = []
    for result in report.files:
        if result.error is not None:
            continue  # unreadable files are reported on standard error
        for f in result.findings:
            lines.append(f"{f.file}:{f.line}:{f.column}: {f.code} {f.message} [{f.severity} {f.name}]")
            if f.fix:
                lines.append(f"  help: {f.fix}")
    s = report.summary()
    lines.append(f"{s['files']} file(s), {s['messages']} message(s): {s['error']} error(s), "
                 f"{s['warning']} warning(s), {s['info']} info" +
                 (f", {s['unreadable']} unreadable" if s["unreadable"] else ""))
    return "\n".join(lines) + "\n"


def format_json(report: LintReport, **_: Any) -> str:
    files = []
    for result in report.files:
        entry: dict[str, Any] = {"path": result.path, "findings": [f.to_dict() for f in result.findings]}
        if result.error is not None:
            entry["error"] = {"message": result.error.message, "line": result.error.line,
                              "column": result.error.column}
        files.append(entry)
    return json.dumps({"files": files, "summary": report.summary()}, ensure_ascii=False, indent=2) + "\n"


FORMATTERS = {"text": format_text, "json": format_json}
