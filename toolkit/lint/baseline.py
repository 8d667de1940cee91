"""Baselines: record today's findings so that a team adopting lnm sees only new ones.

A finding's fingerprint is its file (relative to the baseline file's folder), its rule code, its
JSON pointer and a hash of its message. None of these moves when lines are added above the
finding, and the file holds no content from the message itself: messages can quote values, and
a value can be personal data.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from typing import Any

from .._io import atomic_write_text, json_text
from ..errors import UsageError
from ..findings import Finding
from ..i18n import N_
from .engine import LintReport

__all__ = ["BASELINE_VERSION", "apply_baseline", "fingerprint", "read_baseline", "write_baseline"]

BASELINE_VERSION = 1
#: Refuse larger baselines (about 300,000 findings).
MAX_BASELINE_BYTES = 64 * 1024 * 1024

Fingerprint = tuple[str, str, str, str]


def _relative(path: str, folder: str) -> str:
    relative = os.path.relpath(os.path.abspath(path), folder)
    return (os.path.abspath(path) if relative.startswith("..") else relative).replace(os.sep, "/")


def fingerprint(finding: Finding, folder: str) -> Fingerprint:
    """``(path, code, pointer, message hash)``; ``path`` relative to ``folder``."""
    digest = hashlib.sha256(finding.message.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return (_relative(finding.file or "", folder), finding.code, finding.pointer, digest)


def write_baseline(path: str, report: LintReport) -> int:
    """Write every finding of ``report`` to ``path``; returns how many were recorded."""
    folder = os.path.dirname(os.path.abspath(path))
    counts = Counter(fingerprint(f, folder) for f in report.findings())
    entries = [{"path": p, "code": c, "pointer": ptr, "hash": h, "count": n}
               for (p, c, ptr, h), n in sorted(counts.items())]
    document = {"tool": "lnm", "version": BASELINE_VERSION,
                "comment": "Findings recorded by lnm lint --write-baseline; lnm lint --baseline reports "
                           "only findings that are not in this file.",
                "findings": entries}
    # A file name that is not UTF-8 is kept exactly: its bytes as \udcXX escapes, read back as they were.
    atomic_write_text(path, json_text(json.dumps(document, ensure_ascii=False, indent=2)) + "\n")
    return sum(counts.values())


def read_baseline(path: str) -> Counter[Fingerprint]:
    """Fingerprints and how often each was recorded; a bad file is a :class:`UsageError`."""
    from .._io import read_regular_file

    if not os.path.lexists(path):
        raise UsageError(N_("baseline file not found; create it with --write-baseline"), path=path)
    raw = read_regular_file(path, MAX_BASELINE_BYTES, error=UsageError)
    try:
        document: Any = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as exc:
        # Translators: {problem} is the JSON reader's own English description of the error.
        raise UsageError(N_("baseline is not valid JSON: {problem}", problem=exc.msg), path=path, line=exc.lineno,
                         column=exc.colno) from None
    except (ValueError, RecursionError) as exc:
        raise UsageError(N_("cannot read baseline: {problem}", problem=str(exc)), path=path) from None
    if not isinstance(document, dict) or document.get("tool") != "lnm" or not isinstance(
            document.get("findings"), list):
        raise UsageError(N_("not an lnm baseline (expected {expected})", expected='{"tool": "lnm", "findings": [...]}'),
                         path=path)
    if document.get("version") != BASELINE_VERSION:
        raise UsageError(N_("baseline version {version} is not supported (this lnm writes version {supported})",
                            version=repr(document.get("version")), supported=BASELINE_VERSION), path=path)
    counts: Counter[Fingerprint] = Counter()
    for index, entry in enumerate(document["findings"]):
        fields = [entry.get(name) for name in ("path", "code", "pointer", "hash")] if isinstance(
            entry, dict) else []
        fields = [value for value in fields if isinstance(value, str)]
        if len(fields) != 4:
            raise UsageError(N_("baseline entry {index} needs path, code, pointer and hash, each a string",
                                index=index), path=path)
        count = entry.get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_BASELINE_BYTES:
            raise UsageError(N_("baseline entry {index}: count must be a positive whole number", index=index),
                             path=path)
        counts[(str(fields[0]), str(fields[1]), str(fields[2]), str(fields[3]))] += count
    return counts


def apply_baseline(report: LintReport, path: str) -> int:
    """Drop from ``report`` the findings recorded in the baseline at ``path``; returns how many."""
    remaining = read_baseline(path)
    folder = os.path.dirname(os.path.abspath(path))
    dropped = 0
    for result in report.files:
        kept: list[Finding] = []
        for finding in result.findings:
            key = fingerprint(finding, folder)
            if remaining[key] > 0:
                remaining[key] -= 1
                dropped += 1
            else:
                kept.append(finding)
        result.findings = kept
    report.baselined += dropped
    return dropped

