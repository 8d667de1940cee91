"""Rules that speak once per run: which they are, and folding a batch's findings of each into its
first one, which counts the others."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from ..i18n import N_
from ..rules import RuleTable

if TYPE_CHECKING:
    from .engine import FileResult

__all__ = ["fold_once_per_run", "once_per_run"]

_last_once: tuple[RuleTable | None, frozenset[str]] = (None, frozenset())


def once_per_run(table: RuleTable) -> frozenset[str]:
    """Codes of the rules that speak once per run."""
    global _last_once
    last = _last_once
    if last[0] is not table:
        last = _last_once = (table, frozenset(rule.code for rule in table.rules() if rule.once_per_run))
    return last[1]


def fold_once_per_run(results: list[FileResult], table: RuleTable) -> None:
    """Keep only the first finding of each rule marked ``once_per_run``; it counts the others."""
    codes = once_per_run(table)
    first: dict[str, tuple[FileResult, int]] = {}
    more: Counter[str] = Counter()
    files: dict[str, set[str]] = {}
    for result in results:
        for code, count in result.folded.items():  # an earlier file holds their first finding
            more[code] += count
            files.setdefault(code, set()).add(result.path)
        if not codes or not result.findings:
            continue
        kept = []
        for finding in result.findings:
            if finding.code not in codes:
                kept.append(finding)
            elif finding.code not in first:
                first[finding.code] = (result, len(kept))
                kept.append(finding)
            else:
                more[finding.code] += 1
                files.setdefault(finding.code, set()).add(result.path)
        result.findings = kept
    for code, (result, index) in first.items():
        if more[code]:
            finding = result.findings[index]
            in_files = len(files[code] - {result.path})
            message = N_("{message} (and {count} more like this in {files} files: this rule speaks once per run)",
                         message=finding.message, count=more[code], files=in_files + 1) if in_files else N_(
                "{message} (and {count} more like this: this rule speaks once per run)",
                message=finding.message, count=more[code])
            result.findings[index] = replace(finding, message=message)
