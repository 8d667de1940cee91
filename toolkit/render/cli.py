"""The ``lnm preview`` command (registered in cli.py). Playwright and Pillow load only when it runs."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..i18n import N_

__all__ = ["preview"]


def _split_langs(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@click.command(help=N_(
    "Render mock LINE chat screenshots of specs and API bodies, one per app "
    "language.\n\nWrites <stem>.<lang>.png (device scale 2) with a JSON sidecar "
    "<stem>.<lang>.json (a Flex carousel also <stem>.<lang>.row.png, its whole row), and "
    "a contact sheet <stem>.sheet.png per message. Unchanged inputs are not rendered "
    "again. Exit codes: 0 done, 1 --check found a difference, 2 bad input or usage."))
@click.argument("paths", nargs=-1, required=True)
@click.option("--lang", "langs", multiple=True, metavar="LANGS",
              help=N_("App languages, comma-separated (default: ja,th,zh-Hant,en). Other tags show English."))
@click.option("--out", "out_dir", default="out/previews", show_default=True, type=click.Path(file_okay=False),
              help=N_("Output directory."))
@click.option("--width", type=click.Choice(["320", "375", "414"]), default="375", show_default=True,
              help=N_("Phone width in CSS pixels."))
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--html", "write_html", is_flag=True, help=N_("Also write the self-contained HTML of each preview."))
@click.option("--sample", metavar="NAME", help=N_("Named sample data set of each spec (default: 'default', else the first)."))
@click.option("--clock", metavar="ISO", help=N_("Send time shown, ISO 8601 (default: the spec's preview.clock, else fixed)."))
@click.option("--shard", metavar="K/N", help=N_("Render only slice K of N of the sorted inputs, e.g. 2/4."))
@click.option("--browser", type=click.Path(dir_okay=False),
              help=N_("Chromium executable (also LNM_CHROMIUM; default: a system Chromium, Chrome or Edge, then Playwright's; see lnm doctor)."))
@click.option("--no-cache", is_flag=True, help=N_("Render again even when the inputs did not change."))
@click.option("--check", "baseline_dir", type=click.Path(file_okay=False),
              help=N_("Compare the new images with approved ones in this directory; exit 1 on a difference."))
@click.option("--update", is_flag=True, help=N_("With --check: accept the new images as the baselines."))
@click.option("--tolerance", type=click.IntRange(0, 255), default=None,
              help=N_("--check: per-channel difference a pixel may have and still count as the same."))
@click.option("--max-diff-ratio", type=click.FloatRange(0, 1), default=None,
              help=N_("--check: share of changed pixels allowed."))
@click.option("--catalogue", "catalogue_dirs", multiple=True, type=click.Path(),
              help=N_("Your account's catalogue directory; extends and overrides the shipped one (also LNM_CATALOGUE)."))
def preview(paths: tuple[str, ...], langs: tuple[str, ...], out_dir: str, width: str, theme: str,
            write_html: bool, sample: str | None, clock: str | None, shard: str | None, browser: str | None,
            no_cache: bool, baseline_dir: str | None, update: bool, tolerance: int | None,
            max_diff_ratio: float | None, catalogue_dirs: tuple[str, ...]) -> None:
    from ..errors import UsageError
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue
    from .preview import DEFAULT_LANGS, render_previews

    if (update or tolerance is not None or max_diff_ratio is not None) and not baseline_dir:
        raise UsageError("--update, --tolerance and --max-diff-ratio go with --check BASELINE_DIR")

    from .._io import check_output_dir

    check_output_dir(out_dir)
    if update and baseline_dir:
        check_output_dir(baseline_dir)
    catalogue = load_catalogue(tuple(catalogue_dirs) + extra_dirs_from_env())
    run = render_previews(paths, langs=_split_langs(langs) or DEFAULT_LANGS, out_dir=out_dir,
                          width=int(width), theme=theme, html=write_html, sample=sample, clock=clock,
                          shard=shard, browser=browser, use_cache=not no_cache,
                          progress=sys.stderr.isatty() or None, catalogue=catalogue)
    from ..lint.report import plural

    where = os.path.relpath(out_dir) if not os.path.isabs(out_dir) else out_dir
    browser_note = (f"Chromium {run.browser_version}" if run.launched
                    else f"all cached, browser not started; Chromium {run.browser_version}")
    languages = ", ".join(sorted({message.language for message in run.messages}))
    click.echo(f"lnm preview: {plural(len(run.messages), 'message')} (written in {languages or '-'}), "
               f"{run.rendered} rendered, {run.cached} cached into {where} ({browser_note}, "
               f"{run.seconds:.2f} s)", err=True)
    _lint_summary(run)
    if baseline_dir:
        _check(run, out_dir, baseline_dir, update, tolerance, max_diff_ratio)


def _lint_summary(run: Any) -> None:
    """One line about the lint problems (warnings and errors) of the files rendered this time."""
    from ..findings import Severity
    from ..lint.report import plural

    rendered = [m for m in run.messages if any(not image.cached for image in m.images)]
    problems = [(m, [f for f in m.findings if f.severity >= Severity.WARNING]) for m in rendered]
    problems = [(m, found) for m, found in problems if found]
    if not problems:
        return
    errors = sum(1 for _, found in problems for f in found if f.severity >= Severity.ERROR)
    warnings = sum(1 for _, found in problems for f in found if f.severity == Severity.WARNING)
    names = [m.source for m, _ in problems]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    click.echo(f"lnm preview: rendered despite {plural(errors, 'error')} and {plural(warnings, 'warning')} "
               f"in {plural(len(names), 'file')} ({shown}); lnm lint shows them", err=True)


def _check(run: Any, out_dir: str, baseline_dir: str, update: bool, tolerance: int | None,
           max_diff_ratio: float | None) -> None:
    """Visual regression against approved images (toolkit.visual)."""
    from pathlib import Path

    from . import visual

    # Each chat screenshot, and a carousel's whole-row image beside it.
    pngs = [png for message in run.messages for image in message.images for png in (image.png, image.row) if png]
    if update:
        written = visual.update_baselines(pngs, Path(out_dir), Path(baseline_dir))
        click.echo(f"lnm preview: accepted {len(written)} image(s) as baselines in {baseline_dir}", err=True)
        return
    options: dict[str, Any] = {"installed_browser": run.browser_version}
    if tolerance is not None:
        options["tolerance"] = tolerance
    if max_diff_ratio is not None:
        options["max_diff_ratio"] = max_diff_ratio
    report = visual.check_images(pngs, Path(out_dir), Path(baseline_dir), **options)
    for line in report.lines():
        click.echo(line, err=True)
    if report.exit_code:
        sys.exit(report.exit_code)
