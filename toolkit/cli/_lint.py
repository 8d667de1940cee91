"""``lnm lint`` and ``lnm rules``."""

from __future__ import annotations

import json
import sys

import click

from ..errors import UsageError
from ..i18n import N_, _
from ._common import QUICK_EXIT, catalogue_option, load_catalogue_for

__all__ = ["lint", "rules"]


# --- lint ------------------------------------------------------------------------------------------


@click.command(help=N_("Check specs and API bodies (files or directories) for everything LINE would reject."))
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github", "gitlab"]),
              default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help=N_("Exit 1 when a finding is at least this severe.  [default: error]"))
@click.option("--max-warnings", type=click.IntRange(min=0), help=N_("Exit 1 when there are more warnings."))
@click.option("--min-severity", type=click.Choice(["error", "warning", "info"]),
              help=N_("Show findings at least this severe.  [default: warning; info notes are only counted]"))
@click.option("--show-info", is_flag=True, help=N_("Show info notes too (same as --min-severity info)."))
@click.option("-q", "--quiet", is_flag=True, help=N_("Print only the findings, no summary line."))
@click.option("--select", multiple=True, help=N_("Run only these rules (code, name, prefix, api or guideline)."))
@click.option("--extend-select", multiple=True, help=N_("Run these rules as well."))
@click.option("--ignore", multiple=True, help=N_("Skip these rules."))
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help=N_("Configuration file (default: lnm.toml or [tool.lnm] in pyproject.toml, found upwards)."))
@click.option("--no-config", is_flag=True, help=N_("Ignore configuration files."))
@click.option("--baseline", type=click.Path(dir_okay=False), help=N_("Report only findings not in this baseline."))
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help=N_("Record today's findings in this file and exit 0."))
@click.option("--statistics", is_flag=True, help=N_("Count the findings per rule."))
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help=N_("Colour the text report (auto: on a terminal, unless NO_COLOR is set)."))
@click.option("--jobs", type=click.IntRange(min=1), help=N_("Worker processes for large batches [default: cores]."))
@click.option("--skip-other-json", is_flag=True,
              help=N_("Pass over named JSON files that are not messages (for pre-commit hooks)."))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=N_("Write the report to a file."))
@click.option("--require-approved", is_flag=True,
              help=N_("Also exit 1 naming each message whose content changed since lnm approve recorded it."))
@click.option("--approvals", "approvals_file", type=click.Path(dir_okay=False),
              help=N_("Approvals file for --require-approved (default: .lnm/approvals.json at the repository root)."))
@catalogue_option
def lint(paths: tuple[str, ...], fmt: str, fail_on: str | None, max_warnings: int | None,
         min_severity: str | None, show_info: bool, quiet: bool, select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
         config_file: str | None, no_config: bool, baseline: str | None, write_baseline: str | None,
         statistics: bool, color: str, jobs: int | None, skip_other_json: bool, output: str | None,
         require_approved: bool, approvals_file: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    from ..lint.config import LintOptions
    from ..lint.run import LintRun, run_lint
    from ..rules import default_table

    if baseline and write_baseline:
        raise UsageError(_("give --baseline or --write-baseline, not both"))
    if show_info and min_severity not in (None, "info"):
        raise UsageError(_("give --show-info or --min-severity {level}, not both", level=min_severity))
    run = LintRun(paths=paths, fmt=fmt, config=config_file, no_config=no_config, baseline=baseline,
                  write_baseline=write_baseline, statistics=statistics, color=color, output=output,
                  jobs=jobs, skip_other_json=skip_other_json, quiet=quiet,
                  cli=LintOptions(select=select, extend_select=extend_select, ignore=ignore, fail_on=fail_on,
                                  max_warnings=max_warnings,
                                  min_severity="info" if show_info else min_severity))
    code = run_lint(run, default_table(), lambda: load_catalogue_for(catalogue_dirs), click.echo)
    if require_approved and code != 2:
        from ..review.commands import enforce_approvals

        code = max(code, enforce_approvals(paths, load_catalogue_for(catalogue_dirs), approvals_file))
    QUICK_EXIT["ok"] = True  # the report is written (and its file closed); no worker is left running
    sys.exit(code)


# --- rules -----------------------------------------------------------------------------------------


@click.command(help=N_("List the rules, or show one rule's documentation."))
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help=N_("markdown: the whole rule documentation, as in docs/rules.md."))
def rules(code: str | None, fmt: str) -> None:
    from ..rules import default_table

    table = default_table()
    if fmt == "markdown":
        if code:
            raise UsageError(_("--format markdown prints every rule; leave out the rule code"))
        from ..lint.ruledocs import rules_markdown

        click.echo(rules_markdown(table), nl=False)
        return
    if code:
        try:
            rule = table[code]
        except KeyError:
            raise UsageError(_("unknown rule {code}; see lnm rules", code=repr(code))) from None
        if fmt == "json":
            click.echo(json.dumps({**rule.to_dict(), "doc": rule.local_doc()}, ensure_ascii=False, indent=2))
        else:
            # Translators: the last line of `lnm rules CODE`; {fix} is the rule's fix.
            fix = _("Fix: {fix}", fix=rule.local_fix())
            click.echo(f"{rule.code} {rule.name} ({rule.group}, {rule.severity})\n\n{rule.local_doc()}\n\n{fix}")
        return
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in table.rules()], ensure_ascii=False, indent=2))
        return
    for rule in table.rules():
        click.echo(f"{rule.code}  {rule.name:<34} {rule.group:<9} {str(rule.severity):<7} {rule.local_summary()}")
