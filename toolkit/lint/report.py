"""Lint reports for people (text) and programs (json, JUnit XML, GitHub workflow commands).

SARIF lives in :mod:`toolkit.lint.sarif`, GitLab's code quality report in :mod:`toolkit.lint.codequality`. Every formatter takes the :class:`~toolkit.lint.engine.LintReport`
and keyword options (``color``, ``table``) it may ignore, and returns the whole text.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from ..findings import Finding, Severity
from ..i18n import DEFAULT, N_, _, current, format_number, localize, ngettext
from ..rules._text import display_width
from .engine import FileResult, LintReport

__all__ = ["FORMATTERS", "SEVERITY_WORDS", "display_path", "format_github", "format_json", "format_junit",
           "format_statistics", "format_text", "number", "summary_line"]

#: GitHub shows at most this many error and this many warning annotations per step.
GITHUB_ANNOTATION_CAP = 10

_EXCERPT_WIDTH = 100
_COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[1;33m", Severity.INFO: "\033[1;36m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def display_path(path: str) -> str:
    """``path`` relative to the working folder when it lies below it, with ``/`` separators."""
    relative = os.path.relpath(os.path.abspath(path))
    return (path if relative.startswith("..") else relative).replace(os.sep, "/")


def number(n: int) -> str:
    """A count as the UI language writes it (Babel's grouping); English as lnm always printed it,
    without loading Babel: a pre-commit hook's one-file lint stays quick to start."""
    return str(n) if current() == DEFAULT else format_number(n)


def summary_line(report: LintReport) -> str:
    """``2 files, 3 samples: 1 error, 2 warnings``, then what was left out and why (in the UI language)."""
    s = report.summary()
    what = [ngettext("{count} file", "{count} files", s["files"], count=number(s["files"]))]
    if s["samples"] or not s["bodies"]:
        what.append(ngettext("{count} sample", "{count} samples", s["samples"], count=number(s["samples"])))
    if s["bodies"]:
        what.append(ngettext("{count} body", "{count} bodies", s["bodies"], count=number(s["bodies"])))
    counts = [_plural_level("error", s["error"]), _plural_level("warning", s["warning"])]
    if s["info"]:
        counts.append(ngettext("{count} info note", "{count} info notes", s["info"], count=number(s["info"])))
    # Translators: the separator of the counts in the lint summary ("2 files, 3 samples: 1 error, 2 warnings").
    comma = _(", ")
    found = comma.join(counts) if s["findings"] else _("no problems")
    # Translators: the lint summary: {checked} counts files and samples, {found} the findings ("1 error, 2 warnings").
    parts = [_("{checked}: {found}", checked=comma.join(what), found=found)]
    if s["hidden"]:
        parts.append(ngettext("{count} info note not shown (--show-info)", "{count} info notes not shown (--show-info)",
                              s["hidden"], count=number(s["hidden"])))
    if s["baselined"]:
        parts.append(ngettext("{count} known finding in the baseline not shown",
                              "{count} known findings in the baseline not shown", s["baselined"],
                              count=number(s["baselined"])))
    if s["skipped"]:
        parts.append(ngettext("{count} JSON file that is not a message skipped",
                              "{count} JSON files that are not a message skipped", s["skipped"],
                              count=number(s["skipped"])))
    if s["unreadable"]:
        parts.append(ngettext("{count} file unreadable", "{count} files unreadable", s["unreadable"],
                              count=number(s["unreadable"])))
    # Translators: the separator between the parts of the lint summary ("...: 1 error; 2 files unreadable").
    return _("; ").join(parts)


# --- text ------------------------------------------------------------------------------------------


def _excerpt(line: str, column: int) -> tuple[str, str]:
    """The source line (cut around ``column`` when long) and the padding that puts a caret under it."""
    line = line.rstrip("\r\n").replace("\t", " ")
    index = max(0, min(column - 1, len(line)))
    if len(line) <= _EXCERPT_WIDTH // 2 or display_width(line) <= _EXCERPT_WIDTH:
        return line, " " * display_width(line[:index])
    widths = [display_width(c) for c in line]
    start, budget = index, _EXCERPT_WIDTH // 3
    while start > 0 and budget - widths[start - 1] >= 0:
        budget -= widths[start - 1]
        start -= 1
    end, room = start, _EXCERPT_WIDTH
    while end < len(line) and room - widths[end] >= 0:
        room -= widths[end]
        end += 1
    shown = ("…" if start else "") + line[start:end] + ("…" if end < len(line) else "")
    return shown, " " * ((1 if start else 0) + sum(widths[start:index]))


def _source_lines(path: str) -> dict[int, str]:
    """Every line of the file at ``path`` by number (for a result that kept none of its own)."""
    from .._io import read_regular_file
    from ..errors import LnmError
    from ..spec.source import MAX_BYTES

    try:
        text = read_regular_file(path, MAX_BYTES).decode("utf-8", errors="replace")
    except LnmError:
        return {}
    return dict(enumerate(text.split("\n"), start=1))


def _paint(text: str, style: str, color: bool) -> str:
    return f"{style}{text}{_RESET}" if color and text else text


#: Runs of digits that may be a phone, card or ID number: from a ``+`` or a trunk ``0`` with nine
#: digits or more, or twelve digits or more; and e-mail addresses. Dates (eight digits) stay.
_NUMBERS = r"(?=[+\d])(?:(?<![\w+])(?:\+|0)\d(?:[\s().-]?\d){7,}|(?<!\w)\d(?:[\s().-]?\d){11,})"
#: An address starts where a run of its characters starts (the look-behind): trying it again from
#: each character of a long run that no at sign follows would cost the square of the run's length.
_PERSONAL = re.compile(_NUMBERS + r"|(?<![\w.+-])[\w.+-]+(?:@|＠)[\w-]+(?:\.[\w-]+)+")
#: The same without the e-mail part, for the many lines with no at sign: that part retries every
#: run of word characters from each of its letters, which is most of the cost of a line. (The
#: look-ahead lets the search pass over positions where no number starts.)
_PERSONAL_NUMBERS = re.compile(_NUMBERS)
_ANY_DIGIT = re.compile(r"\d")
_STARRED = re.compile(r"[^@＠.\s()-]")


def _star(match: re.Match[str]) -> str:
    return _STARRED.sub("*", match.group())


def _redact(line: str) -> str:
    """The line with anything that may be personal data starred out, keeping every column in place."""
    if "@" in line or "＠" in line:
        return _PERSONAL.sub(_star, line)
    return _PERSONAL_NUMBERS.sub(_star, line) if _ANY_DIGIT.search(line) else line


@lru_cache(maxsize=1)
def _personal_codes() -> frozenset[str]:
    """Codes whose findings point at personal data: their source line is not printed at all."""
    from ..rules.guidelines import SENSITIVE

    return SENSITIVE | {"A002"}  # A002: a `to` that is not a digest may be a raw phone number


#: Characters kept either side of the column before a long line is redacted and cut: far more than
#: the excerpt shows, so that every number or address the excerpt shows part of is redacted whole.
_WINDOW = 4 * _EXCERPT_WIDTH


@lru_cache(maxsize=4096)
def _source_excerpt(line: str, column: int) -> tuple[str, str]:
    """The redacted excerpt and caret padding; the same lines recur across a batch of specs.

    A long line (a megabyte value) is first narrowed to a window around the column, so that
    redacting and measuring it costs the same as for an ordinary line.
    """
    if len(line) <= 2 * _WINDOW:
        return _excerpt(_redact(line), column)
    start = max(0, column - 1 - _WINDOW)
    shown, pad = _excerpt(_redact(line[start:column - 1 + _WINDOW]), column - start)
    if start and not shown.startswith("…"):
        shown, pad = "…" + shown, " " + pad
    if column - 1 + _WINDOW < len(line) and not shown.endswith("…"):
        shown += "…"
    return shown, pad


#: Severity names as a person reads them (JSON and SARIF keep ``error``, ``warning``, ``info``).
SEVERITY_WORDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"), Severity.INFO: N_("info")}


def _levels() -> dict[Severity, str]:
    """The severity words in the UI language, looked up once per report rather than per finding."""
    return {severity: localize(word) for severity, word in SEVERITY_WORDS.items()}


def _text_finding(f: Finding, lines: dict[int, str], color: bool, personal: frozenset[str],
                  words: dict[str, str], fixes: dict[int, str]) -> list[str]:
    level = words[str(f.severity)]
    message = localize(f.message)
    if color:
        where = _paint(f"{f.file}:{f.line}:{f.column}:", _BOLD, color)
        code = _paint(f.code, _COLORS[f.severity], color)
        out = [f"{where} {code} {message} [{level} {f.name}]"]
    else:
        out = [f"{f.file}:{f.line}:{f.column}: {f.code} {message} [{level} {f.name}]"]
    if f.code in personal:
        out.append(_paint("  " + words["personal"], _DIM, color))
    elif f.line and f.line in lines:
        shown, pad = _source_excerpt(lines[f.line], f.column or 1)
        gutter = " " * len(str(f.line))
        out.append(_paint(f"  {f.line} |", _DIM, color) + f" {shown}")
        out.append(_paint(f"  {gutter} |", _DIM, color) + f" {pad}" + _paint("^", _COLORS[f.severity], color))
    if f.fix:
        fix = fixes.get(id(f.fix))
        if fix is None:  # most findings share their rule's fix: put into words once per report
            fix = fixes[id(f.fix)] = localize(f.fix)  # (the finding holds it, so its id is not reused)
        out.append(f"  {_paint(words['help'], _BOLD, color)} {fix}")
    return out


def _words() -> dict[str, str]:
    """The fixed words of the text report in the UI language, looked up once per report."""
    words = {str(severity): word for severity, word in _levels().items()}
    words["personal"] = _("(source line not shown: it may hold personal data)")
    # Translators: the label before a finding's fix in the text report (as compilers print "help:").
    words["help"] = _("help:")
    return words


def format_text(report: LintReport, *, color: bool = False, quiet: bool = False, **_options: Any) -> str:
    """``file:line:col: CODE message`` per finding, the source line with a caret, the fix, a summary.

    A clean run prints nothing at all; ``quiet`` leaves out the summary line.
    """
    out: list[str] = []
    personal = _personal_codes()
    words = _words()
    fixes: dict[int, str] = {}
    for result in report.files:
        if result.error is not None or not result.findings:
            continue  # unreadable files are reported on standard error
        lines = result.lines if result.lines is not None else _source_lines(result.path)
        for finding in result.findings:
            out.extend(_text_finding(finding, lines, color, personal, words, fixes))
    if out or report.errors():
        if not quiet:
            out.append(summary_line(report))
    return "".join(line + "\n" for line in out)


def format_statistics(report: LintReport, **_options: Any) -> str:
    """How often each rule fired, most frequent first, then the summary line."""
    counts: dict[str, tuple[int, Finding]] = {}
    for finding in report.findings():
        count, _first = counts.get(finding.code, (0, finding))
        counts[finding.code] = (count + 1, _first)
    rows = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    width = max((len(str(n)) for _code, (n, _f) in rows), default=1)
    levels = _levels()
    level_width = max(8, *(display_width(word) for word in levels.values()))
    out = [f"{n:>{width}}  {code:<5} {levels[f.severity]}{' ' * (level_width - display_width(levels[f.severity]))} "
           f"{f.name}" for code, (n, f) in rows]
    out.append(summary_line(report))
    return "\n".join(out) + "\n"


# --- json ------------------------------------------------------------------------------------------


def _json_finding(finding: Finding) -> dict[str, Any]:
    """A finding's JSON: keys, codes and severity as they are; the message and fix in the UI language."""
    data = finding.to_dict()
    data["message"] = localize(finding.message)
    if finding.fix:
        data["fix"] = localize(finding.fix)
    return data


def format_json(report: LintReport, **_options: Any) -> str:
    files = []
    for result in report.files:
        entry: dict[str, Any] = {"path": result.path, "findings": [_json_finding(f) for f in result.findings]}
        if result.error is not None:
            entry["error"] = {"message": localize(result.error.message), "line": result.error.line,
                              "column": result.error.column}
        files.append(entry)
    from .._io import json_text

    return json_text(json.dumps({"files": files, "summary": report.summary()}, ensure_ascii=False, indent=2)) + "\n"


# --- JUnit XML -------------------------------------------------------------------------------------

#: What XML 1.0 cannot hold: C0 controls but tab and line breaks, surrogates, U+FFFE and U+FFFF
#: (written as what is left out, not as what is allowed: the wide ranges take ms to compile).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """XML 1.0 cannot hold most control characters, even escaped: show them as ``\\uXXXX``."""
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def format_junit(report: LintReport, *, fail_on: Severity = Severity.ERROR, **_options: Any) -> str:
    """One test case per file; a ``<failure>`` per finding at or above ``fail_on``, an ``<error>``
    for an unreadable file. Less severe findings are listed in the case's ``<system-out>``."""
    from xml.etree import ElementTree as ET

    words = _words()
    failures = sum(1 for f in report.findings() if f.severity >= fail_on)
    errors = len(report.errors())
    root = ET.Element("testsuites", name="lnm", tests=str(len(report.files)), failures=str(failures),
                      errors=str(errors))
    suite = ET.SubElement(root, "testsuite", name="lnm lint", tests=str(len(report.files)),
                          failures=str(failures), errors=str(errors), skipped="0")
    for result in report.files:
        path = _xml_safe(display_path(result.path))
        case = ET.SubElement(suite, "testcase", classname="lnm.lint", name=path, file=path)
        if result.error is not None:
            error = ET.SubElement(case, "error", type="unreadable", message=_xml_safe(localize(result.error.message)))
            error.text = _xml_safe(result.error.one_line())
        notes = []
        for f in result.findings:
            message = localize(f.message)
            body = f"{path}:{f.line}:{f.column}: {f.code} {message} [{words[str(f.severity)]} {f.name}]"
            if f.severity < fail_on:
                notes.append(body)
                continue
            failure = ET.SubElement(case, "failure", type=f"{f.code} {f.name}",
                                    message=_xml_safe(f"{f.code} {message}"))
            # Translators: {property} is where the finding is in the request body (body.items[0].content).
            body += "\n" + _("property: {property}", property=f.property or _("(request body)"))
            if f.fix:
                body += "\n" + words["help"] + " " + localize(f.fix)
            failure.text = _xml_safe(body)
        if notes:
            ET.SubElement(case, "system-out").text = _xml_safe("\n".join(notes))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


# --- GitHub workflow commands ----------------------------------------------------------------------

_GITHUB_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(level: str, message: str, **props: object) -> str:
    given = ",".join(f"{k}={_escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level}{' ' + given if given else ''}::{_escape_data(message)}"


def _github_result(result: FileResult, help_word: str) -> list[str]:
    path = display_path(result.path)
    if result.error is not None:
        return [_command("error", localize(result.error.message), file=path, line=result.error.line,
                         col=result.error.column, title=_("lnm: unreadable file"))]
    return [_command(_GITHUB_LEVEL[f.severity],
                     localize(f.message) + (f"\n{help_word} {localize(f.fix)}" if f.fix else ""),
                     file=path, line=f.line, col=f.column, title=f"{f.code} {f.name}")
            for f in result.findings]


def format_github(report: LintReport, *, quiet: bool = False, **_options: Any) -> str:
    """A workflow command per finding, then a ``::notice`` summary and a plain summary line.

    GitHub turns only the first ten error and ten warning commands of a step into annotations;
    every finding is still printed, and the summary says how many there were. A clean run prints
    only the plain summary line (no annotation); ``quiet`` leaves out both summaries.
    """
    help_word = _("help:")
    out = [line for result in report.files for line in _github_result(result, help_word)]
    if quiet:
        return "".join(line + "\n" for line in out)
    s = report.summary()
    summary = summary_line(report)
    errors, warnings = (s[level] > GITHUB_ANNOTATION_CAP for level in ("error", "warning"))
    if errors or warnings:
        # Translators: after the lint summary; {there} says how many errors and/or warnings there are.
        there = _("{errors} and {warnings}", errors=_plural_level("error", s["error"]),
                  warnings=_plural_level("warning", s["warning"])) if errors and warnings else (
            _plural_level("error", s["error"]) if errors else _plural_level("warning", s["warning"]))
        summary = _("{summary}. GitHub annotates only the first {cap} errors and {cap} warnings of a step; there are "
                    "{there}, all listed in this log", summary=summary, cap=GITHUB_ANNOTATION_CAP, there=there)
    if out:
        out.append(_command("notice", summary, title="lnm lint"))
    out.append(f"lnm lint: {summary}")
    return "\n".join(out) + "\n"


def _plural_level(level: str, n: int) -> str:
    if level == "error":
        return ngettext("{count} error", "{count} errors", n, count=number(n))
    return ngettext("{count} warning", "{count} warnings", n, count=number(n))


def _format_sarif(report: LintReport, **options: Any) -> str:
    from .sarif import format_sarif

    return format_sarif(report, **options)


def _format_gitlab(report: LintReport, **options: Any) -> str:
    from .codequality import format_gitlab

    return format_gitlab(report, **options)


FORMATTERS: dict[str, Callable[..., str]] = {
    "text": format_text,
    "json": format_json,
    "sarif": _format_sarif,
    "junit": format_junit,
    "github": format_github,
    "gitlab": _format_gitlab,
}
