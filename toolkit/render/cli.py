"""The ``lnm preview`` command (registered in cli.py). Playwright and Pillow load only when it runs."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from ..i18n import N_, _, ngettext

__all__ = ["preview"]


def _split_langs(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@click.command(help=N_("""Render mock LINE chat screenshots of specs and API bodies, one per app language.

    Writes <stem>.<lang>.png (device scale 2) with a JSON sidecar <stem>.<lang>.json (a Flex carousel
    also <stem>.<lang>.row.png, its whole row), and a contact sheet <stem>.sheet.png per message. Unchanged inputs are not rendered again. Exit codes: 0 done,
    1 --check found a difference, 2 bad input or usage.
    """))
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
    # The command's help is its help= above (translated), not a docstring.
    from ..errors import UsageError
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue
    from .preview import DEFAULT_LANGS, render_previews

    if (update or tolerance is not None or max_diff_ratio is not None) and not baseline_dir:
        raise UsageError(_("--update, --tolerance and --max-diff-ratio go with --check BASELINE_DIR"))

    from .._io import check_output_dir

    check_output_dir(out_dir)
    if update and baseline_dir:
        check_output_dir(baseline_dir)
    catalogue = load_catalogue(tuple(catalogue_dirs) + extra_dirs_from_env())
    run = render_previews(paths, langs=_split_langs(langs) or DEFAULT_LANGS, out_dir=out_dir,
                          width=int(width), theme=theme, html=write_html, sample=sample, clock=clock,
                          shard=shard, browser=browser, use_cache=not no_cache,
                          progress=sys.stderr.isatty() or None, catalogue=catalogue)
    where = os.path.relpath(out_dir) if not os.path.isabs(out_dir) else out_dir
    args = {"languages": ", ".join(sorted({message.language for message in run.messages})) or "-",
            "rendered": run.rendered, "cached": run.cached, "folder": where, "version": run.browser_version,
            "seconds": run.seconds}
    # Translators: {languages} are the messages' language tags (ja, th...); {folder} the output folder.
    if run.launched:
        line = ngettext("lnm preview: {n} message (written in {languages}), {rendered} rendered, {cached} cached "
                        "into {folder} (Chromium {version}, {seconds:.2f} s)",
                        "lnm preview: {n} messages (written in {languages}), {rendered} rendered, {cached} "
                        "cached into {folder} (Chromium {version}, {seconds:.2f} s)", len(run.messages), **args)
    else:
        line = ngettext("lnm preview: {n} message (written in {languages}), {rendered} rendered, {cached} cached "
                        "into {folder} (all cached, browser not started; Chromium {version}, {seconds:.2f} s)",
                        "lnm preview: {n} messages (written in {languages}), {rendered} rendered, {cached} "
                        "cached into {folder} (all cached, browser not started; Chromium {version}, "
                        "{seconds:.2f} s)", len(run.messages), **args)
    click.echo(line, err=True)
    _lint_summary(run)
    if baseline_dir:
        _check(run, out_dir, baseline_dir, update, tolerance, max_diff_ratio)


def _lint_summary(run: Any) -> None:
    """One line about the lint problems (warnings and errors) of the files rendered this time."""
    from ..findings import Severity

    rendered = [m for m in run.messages if any(not image.cached for image in m.images)]
    problems = [(m, [f for f in m.findings if f.severity >= Severity.WARNING]) for m in rendered]
    problems = [(m, found) for m, found in problems if found]
    if not problems:
        return
    errors = sum(1 for _m, found in problems for f in found if f.severity >= Severity.ERROR)
    warnings = sum(1 for _m, found in problems for f in found if f.severity == Severity.WARNING)
    names = [m.source for m, _found in problems]
    shown = ", ".join(names[:3])
    if len(names) > 3:
        # Translators: {names} lists three file names.
        shown = ngettext("{names} and {n} more", "{names} and {n} more", len(names) - 3, names=shown)
    # Translators: {errors}, {warnings} and {files} are counts with their nouns ("2 errors", "1 file").
    click.echo(_("lnm preview: rendered despite {errors} and {warnings} in {files} ({names}); lnm lint shows them",
                 errors=ngettext("{n} error", "{n} errors", errors), warnings=ngettext("{n} warning", "{n} warnings", warnings),
                 files=ngettext("{n} file", "{n} files", len(names)), names=shown), err=True)


def _check(run: Any, out_dir: str, baseline_dir: str, update: bool, tolerance: int | None,
           max_diff_ratio: float | None) -> None:
    """Visual regression against approved images (toolkit.visual)."""
    from pathlib import Path

    from . import visual

    # Each chat screenshot, and a carousel's whole-row image beside it.
    pngs = [png for message in run.messages for image in message.images for png in (image.png, image.row) if png]
    if update:
        written = visual.update_baselines(pngs, Path(out_dir), Path(baseline_dir))
        click.echo(ngettext("lnm preview: accepted {n} image as baselines in {folder}",
                            "lnm preview: accepted {n} images as baselines in {folder}", len(written),
                            folder=baseline_dir), err=True)
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
