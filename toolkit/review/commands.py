"""The ``serve``, ``review``, ``approve`` and ``pack`` commands (registered in toolkit/cli/__init__.py).

Light to import: only click; each command loads what it needs when it runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..i18n import N_, _, ngettext

__all__ = ["approve", "enforce_approvals", "pack", "review", "serve"]

_catalogue_option = click.option(
    "--catalogue", "catalogue_dirs", multiple=True, type=click.Path(),
    help=N_("Your account's catalogue directory; extends and overrides the shipped one (also LNM_CATALOGUE)."))
_approvals_option = click.option(
    "--approvals", "approvals_file", type=click.Path(dir_okay=False),
    help=N_("Approvals file (default: .lnm/approvals.json at the repository root)."))


def _catalogue(extra: tuple[str, ...]) -> Any:
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue

    return load_catalogue(tuple(extra) + extra_dirs_from_env())


def enforce_approvals(paths: tuple[str, ...] | list[str], catalogue: Any, approvals_file: str | None) -> int:
    """Print one line per message not approved as it is now; 1 when there is one, else 0."""
    from .approvals import check_approvals

    results = check_approvals(list(paths), catalogue, file=Path(approvals_file) if approvals_file else None)
    failing = [r for r in results if not r.ok]
    for result in failing:
        click.echo(result.line(), err=True)
    if failing:
        click.echo(ngettext("lnm: {failing} of {n} message not approved as it is now",
                            "lnm: {failing} of {n} messages not approved as they are now", len(results),
                            failing=len(failing)), err=True)
        return 1
    return 0


@click.command(help=N_(
    "Live preview for designers: the chat screen of a spec, updated as you save "
    "it.\n\nLists the message files under PATHS (default: the current folder) and serves "
    "only those."))
@click.argument("paths", nargs=-1)
@click.option("--host", default="127.0.0.1", show_default=True,
              help=N_("Address to listen on; anything but loopback shows your specs to the network."))
@click.option("--port", type=click.IntRange(0, 65535), default=8321, show_default=True,
              help=N_("Port (0 picks a free one and prints it)."))
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help=N_("Another name the page may be opened by (a reverse proxy's, *.example.jp for its subdomains); "
                   "requests naming any other host are refused."))
@click.option("--open", "open_browser", is_flag=True, help=N_("Open the page in the default browser."))
@_catalogue_option
def serve(paths: tuple[str, ...], host: str, port: int, allow_hosts: tuple[str, ...], open_browser: bool,
          catalogue_dirs: tuple[str, ...]) -> None:
    from .server import serve as run

    run(list(paths) or ["."], _catalogue(catalogue_dirs), host=host, port=port, open_browser=open_browser,
        echo=lambda line: click.echo(line, err=True), allow_hosts=allow_hosts)


@click.command(help=N_("Record that the messages in SPECS were reviewed and approved as they are now."))
@click.argument("specs", nargs=-1, required=True)
@click.option("--by", "by", required=True, help=N_("Who approves (a name, not a phone number)."))
@click.option("--note", help=N_("Why, or what was checked."))
@_approvals_option
@_catalogue_option
def approve(specs: tuple[str, ...], by: str, note: str | None, approvals_file: str | None,
            catalogue_dirs: tuple[str, ...]) -> None:
    from .approvals import approve as record

    target, keys = record(list(specs), _catalogue(catalogue_dirs), by=by, note=note,
                          file=Path(approvals_file) if approvals_file else None)
    for key in keys:
        click.echo(_("approved {key}", key=key), err=True)
    click.echo(ngettext("lnm approve: {n} message recorded in {path}", "lnm approve: {n} messages recorded in {path}",
                        len(keys), path=str(target)), err=True)


@click.command(help=N_(
    "Static review report: every message in every app language, light and dark, with its "
    "findings."))
@click.argument("paths", nargs=-1, required=True)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help=N_("Folder for index.html and its images."))
@click.option("--baseline", "baseline_dir", type=click.Path(file_okay=False),
              help=N_("Approved images (the folder lnm preview --check/--update keeps) to show changes against."))
@click.option("--require-approved", is_flag=True,
              help=N_("Exit 1 naming each message whose content changed since it was approved."))
@click.option("--browser", type=click.Path(dir_okay=False),
              help=N_("Chromium executable (also LNM_CHROMIUM; default: a system Chromium, Chrome or Edge, then Playwright's; see lnm doctor)."))
@_approvals_option
@_catalogue_option
def review(paths: tuple[str, ...], out_dir: str, baseline_dir: str | None, require_approved: bool,
           browser: str | None, approvals_file: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    from .report import write_report

    catalogue = _catalogue(catalogue_dirs)
    result = write_report(list(paths), out_dir, catalogue=catalogue, baseline=baseline_dir, browser=browser,
                          approvals=Path(approvals_file) if approvals_file else None,
                          progress=sys.stderr.isatty() or None)
    click.echo(ngettext("lnm review: {n} message, {images} images, {changed} changed against the baseline -> {path}",
                        "lnm review: {n} messages, {images} images, {changed} changed against the baseline -> {path}",
                        result.messages, images=result.images, changed=result.changed, path=str(result.index)),
               err=True)
    if require_approved:
        sys.exit(enforce_approvals(paths, catalogue, approvals_file))


@click.command(help=N_(
    "Submission pack for LINE's review of flexible messages: JSON, screenshots, findings, "
    "summary.\n\nEach review field the spec leaves out or as a to-do is one warning line "
    "(an error with --strict)."))
@click.argument("specs", nargs=-1, required=True)
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False), help=N_("The .zip to write."))
@click.option("--strict", is_flag=True,
              help=N_("Refuse (exit 1) when a review field (account, purpose, sendingConditions) is missing or a to-do."))
@click.option("--browser", type=click.Path(dir_okay=False),
              help=N_("Chromium executable (also LNM_CHROMIUM; default: a system Chromium, Chrome or Edge, then Playwright's; see lnm doctor)."))
@click.option("--ui-lang", "ui_lang", metavar="LANG",
              help=N_("Language of the summary and of lnm's words: en, ja, th or zh-Hant (default for the summary: "
                      "the language LINE reviews the messages' country in: JP ja, TH th, TW zh-Hant)."))
@_catalogue_option
def pack(specs: tuple[str, ...], out_file: str, strict: bool, browser: str | None, ui_lang: str | None,
         catalogue_dirs: tuple[str, ...]) -> None:
    from .pack import build_pack

    # Only a language chosen on the command line overrides the reviewers' one (not the locale's).
    result = build_pack(list(specs), out_file, catalogue=_catalogue(catalogue_dirs), browser=browser,
                        strict=strict, language=_language(ui_lang))
    for line in result.review:
        click.echo(line, err=True)
    if result.refused or (strict and result.review):
        for line in result.refused:
            click.echo(line, err=True)
        if result.refused:
            click.echo(ngettext("lnm pack: not packed: {n} message has errors LINE would reject",
                                "lnm pack: not packed: {n} messages have errors LINE would reject",
                                len(result.refused)), err=True)
        else:
            click.echo(ngettext("lnm pack: not packed: {n} review field missing or to-do (--strict)",
                                "lnm pack: not packed: {n} review fields missing or to-do (--strict)",
                                len(result.review)), err=True)
        sys.exit(1)
    click.echo(ngettext("lnm pack: {n} message, {files} files -> {path}", "lnm pack: {n} messages, {files} files -> {path}",
                        result.messages, files=result.entries, path=out_file), err=True)


def _language(value: str | None) -> str | None:
    """The UI language ``--ui-lang`` names (None when not given); one line when lnm has none such."""
    from .. import i18n
    from ..errors import UsageError

    if value is None:
        return None
    found = i18n.normalize(value) if value.strip() else None
    if found is None:
        raise UsageError(_("{source}: unknown UI language '{value}'; use {choices}", source="--ui-lang", value=value,
                           choices=", ".join(i18n.LANGUAGES)))
    return found
