"""Repository set-up and the first run: ``lnm init`` and ``lnm demo``."""

from __future__ import annotations

import os
import sys

import click

from ..i18n import N_, _, ngettext
from ._common import load_catalogue_for, read_document

__all__ = ["demo", "init"]


@click.command(help=N_(
    "Set a repository up: configuration, a schema copy in .lnm/schemas, messages/ with an "
    "example.\n\nWrites only below PATH (default: the current folder) and never replaces a "
    "file without --force; then prints the pre-commit hook and (without --ci) the GitHub "
    "Actions workflow to add."))
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--country", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False), default="JP",
              show_default=True, help=N_("Country of the example message."))
@click.option("--update-schemas", is_flag=True, help=N_("Only refresh the schema copy in .lnm/schemas."))
@click.option("--force", is_flag=True, help=N_("Replace files that exist (never the user's pyproject.toml)."))
@click.option("--ci", type=click.Choice(["github", "gitlab"]),
              help=N_("Also write the CI job: github (lnm's action and a workflow using it) or gitlab (a job "
                   "with GitLab's code quality report)."))
def init(path: str, country: str, update_schemas: bool, force: bool, ci: str | None) -> None:
    from ..scaffold.init import init_repository, report_lines, snippets

    result = init_repository(path, country=country, force=force, update_schemas=update_schemas, ci=ci)
    for line in report_lines(result):
        click.echo(line)
    if not update_schemas:
        click.echo("")
        click.echo(snippets(workflow=ci is None), nl=False)


def _near(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it, else absolute."""
    relative = os.path.relpath(path)
    return os.path.abspath(path) if relative.startswith("..") else relative


def _invocation() -> str:
    """How to run lnm again: ``lnm`` when that is the one on PATH, else the path it was started by."""
    import shutil

    started = sys.argv[0]
    if os.path.basename(started) == "lnm" and shutil.which("lnm") != os.path.abspath(started):
        return _near(started)
    return "lnm"


@click.command(help=N_(
    "The main job on the bundled examples: lint them, build each request body, render the "
    "gallery.\n\nReads the bundled examples; writes only under --out (lint-report.*, "
    "bodies/, previews/), never into the installation or the checkout."))
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help=N_("Where the lint report, the built request bodies and the gallery go (under the "
                   "current folder unless absolute)."))
@click.option("--no-previews", is_flag=True, help=N_("Skip rendering the previews gallery."))
def demo(out_dir: str, no_previews: bool) -> None:
    from .._io import atomic_write_text, check_inside, check_output_dir

    check_output_dir(out_dir)
    for sub in ("bodies", "previews"):  # a link out of the output folder: one line before any work
        check_inside(os.path.join(out_dir, sub), out_dir)
    from ..builder import build as build_request
    from ..lint.engine import LintSettings, lint_paths
    from ..lint.report import format_json, format_text, summary_line
    from ..rules import default_table
    from ..spec.catalogue import data_root

    examples = data_root() / "template_library" / "examples"
    table = default_table()
    cat = load_catalogue_for(())
    report = lint_paths([str(examples)], table, cat, LintSettings())
    atomic_write_text(os.path.join(out_dir, "lint-report.txt"), format_text(report), root=out_dir)
    atomic_write_text(os.path.join(out_dir, "lint-report.json"), format_json(report), root=out_dir)
    summary = report.summary()
    click.echo(_("lnm demo: the bundled examples, run as a team runs lnm on its own messages"))
    click.echo(f"  lint     {summary_line(report)} -> {_shown(os.path.join(out_dir, 'lint-report.txt'))}")  # i18n: not UI text (a command name)
    bodies = os.path.join(out_dir, "bodies")
    built = 0
    for result in report.files:
        if result.error is not None:
            continue
        source = read_document(result.path)
        request = build_request(source.data, cat, table, path=result.path, phone="+818000001234")
        if any(f.severity >= 3 for f in request.findings):
            continue
        atomic_write_text(os.path.join(bodies, os.path.relpath(result.path, examples)), request.to_json(), root=out_dir)
        built += 1
    bodies_line = ngettext("{n} request body (recipient: LINE's test number, hashed)",
                           "{n} request bodies (recipient: LINE's test number, hashed)", built)
    click.echo(f"  build    {bodies_line} -> {_shown(bodies)}/")  # i18n: not UI text (a command name)
    if not no_previews:
        from pathlib import Path

        from ..render.gallery import build_gallery

        gallery_dir = Path(out_dir) / "previews"
        again = f"lnm demo --out {out_dir}" if out_dir != "out" else "lnm demo"
        result_g = build_gallery(gallery_dir, progress=True if sys.stderr.isatty() else None, regenerate=again)
        # Translators: {messages} is "3 messages", {screenshots} is "12 screenshots".
        shots = _("{messages}, {screenshots} ({rendered} rendered, {cached} unchanged)",
                  messages=ngettext("{n} message", "{n} messages", result_g.messages),
                  screenshots=ngettext("{n} screenshot", "{n} screenshots", result_g.images),
                  rendered=result_g.rendered, cached=result_g.cached)
        click.echo(f"  preview  {shots} -> {_shown(gallery_dir)}/")  # i18n: not UI text (a command name)
        click.echo(_("Open {path} in a browser: every example as a LINE chat screen in each app language.",
                     path=_shown(gallery_dir / "index.html")))
    else:
        click.echo(_("Look in {path}/: the lint report and the request bodies.", path=_shown(out_dir)))
    lnm = _invocation()
    steps = ((f"{lnm} init", _("configuration, .lnm/schemas/ and messages/ with an example")),
             (f"{lnm} lint messages/", _("what LINE would reject; silent when clean")),
             (f"{lnm} serve messages/", _("live preview while you edit (http://127.0.0.1:8321/)")))
    width = max(len(command) for command, _what in steps) + 2
    click.echo(_("Next, in your own repository:"))
    for command, what in steps:
        click.echo(f"  {command:<{width}}{what}")
    if summary["error"] or summary["unreadable"]:
        sys.exit(1)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as short as it can be said: relative to the working folder when below it."""
    from ..lint.report import display_path

    return display_path(os.fspath(path))
