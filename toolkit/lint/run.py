"""What ``lnm lint`` does, apart from its option parsing: configure, lint, baseline, report, exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TextIO

from ..findings import Severity
from ..i18n import ngettext
from ..rules import RuleTable
from ..spec.catalogue import Catalogue
from .config import Config, LintOptions, find_config, load_config, resolve_settings, shown_severity
from .engine import LintReport, lint_paths

__all__ = ["LintRun", "exit_code", "run_lint", "use_color"]


@dataclass(frozen=True)
class LintRun:
    """Everything the ``lint`` command was asked for."""

    paths: tuple[str, ...]
    fmt: str = "text"
    cli: LintOptions = field(default_factory=LintOptions)
    config: str | None = None
    no_config: bool = False
    baseline: str | None = None
    write_baseline: str | None = None
    statistics: bool = False
    color: str = "auto"
    output: str | None = None
    jobs: int | None = None
    skip_other_json: bool = False
    #: Print only the findings: no summary line.
    quiet: bool = False


def use_color(choice: str, stream: TextIO, to_file: bool) -> bool:
    """Colour only on a terminal and when ``NO_COLOR`` is unset (https://no-color.org), unless forced."""
    if choice != "auto":
        return choice == "always"
    return not to_file and not os.environ.get("NO_COLOR") and stream.isatty()


def _config(run: LintRun) -> Config:
    if run.config:
        return load_config(run.config)
    if run.no_config:
        return Config()
    found = find_config(run.paths[0])
    return load_config(found) if found else Config()


def exit_code(report: LintReport, fail_on: Severity, max_warnings: int | None) -> int:
    """3 on an internal error, 2 when a file could not be read; 1 when a finding reaches ``fail_on``
    or warnings pass the cap."""
    if report.errors():
        return max(error.exit_code for error in report.errors())
    summary = report.summary()
    if any(f.severity >= fail_on for f in report.findings()):
        return 1
    if max_warnings is not None and summary["warning"] > max_warnings:
        return 1
    return 0


def run_lint(run: LintRun, table: RuleTable, load_catalogue: Callable[[], Catalogue],
             echo: Callable[..., Any]) -> int:
    """Run the lint command; ``echo(text, err=False, nl=True)`` writes output. Returns the exit code."""
    from .._io import check_output_file
    from .report import FORMATTERS, format_statistics, number

    for target in (run.output, run.write_baseline):
        if target:
            check_output_file(target)  # before the work, not after it
    config = _config(run)
    settings, fail_on, max_warnings = resolve_settings(config, table, run.cli)
    report = lint_paths(run.paths, table, load_catalogue(), settings, jobs=run.jobs,
                        skip_other_json=run.skip_other_json)
    for error in report.errors():
        echo(f"lnm: {error.one_line()}", err=True)
    if run.write_baseline:
        from .baseline import write_baseline

        recorded = write_baseline(run.write_baseline, report)
        for result in report.files:
            result.findings = []
        report.baselined = recorded
        echo(ngettext("lnm: recorded {count} finding in {path}", "lnm: recorded {count} findings in {path}", recorded,
                      count=number(recorded), path=run.write_baseline), err=True)
    elif run.baseline:
        from .baseline import apply_baseline

        apply_baseline(report, run.baseline)
    code = exit_code(report, fail_on, max_warnings)
    warnings = report.summary()["warning"]
    shown = shown_severity(config, run.cli, fail_on)
    report.hide_below(shown if max_warnings is None else min(shown, Severity.WARNING))
    color = use_color(run.color, sys.stdout, bool(run.output))
    if run.statistics and run.fmt == "text":
        text = format_statistics(report)
    else:
        text = FORMATTERS[run.fmt](report, color=color, table=table, fail_on=fail_on, quiet=run.quiet,
                                   docs_url=settings.docs_url)
        if run.statistics:
            echo(format_statistics(report), err=True, nl=False)
    if run.output:
        from .._io import atomic_write_text

        atomic_write_text(run.output, text)
    else:
        echo(text, nl=False, color=color)  # click strips colour codes off a terminal unless told
    if code == 1 and max_warnings is not None and warnings > max_warnings:
        echo(ngettext("lnm: {count} warning, more than --max-warnings {limit}",
                      "lnm: {count} warnings, more than --max-warnings {limit}", warnings,
                      count=number(warnings), limit=max_warnings), err=True)
    return code
