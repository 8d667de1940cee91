"""The ``lnm preview`` command (registered in cli.py). Playwright and Pillow load only when it runs."""

from __future__ import annotations

import os
import sys

import click

__all__ = ["preview"]


def _split_langs(values: tuple[str, ...]) -> list[str]:
    return [part for value in values for part in value.split(",") if part.strip()]


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--lang", "langs", multiple=True, metavar="LANGS",
              help="App languages, comma-separated (default: ja,th,zh-Hant,en). Other tags show English.")
@click.option("--out", "out_dir", default="out/previews", show_default=True, type=click.Path(file_okay=False),
              help="Output directory.")
@click.option("--width", type=click.Choice(["320", "375", "414"]), default="375", show_default=True,
              help="Phone width in CSS pixels.")
@click.option("--theme", type=click.Choice(["light", "dark"]), default="light", show_default=True)
@click.option("--html", "write_html", is_flag=True, help="Also write the self-contained HTML of each preview.")
@click.option("--sample", help="Named sample data set of each spec (default: 'default', else the first).")
@click.option("--clock", help="Send time shown, ISO 8601 (default: the spec's preview.clock, else fixed).")
@click.option("--shard", help="Render only slice K of N of the sorted inputs, e.g. 2/4.")
@click.option("--browser", type=click.Path(dir_okay=False),
              help="Chromium executable (also LNM_CHROMIUM; default /usr/bin/chromium, then Playwright's).")
@click.option("--no-cache", is_flag=True, help="Render again even when the inputs did not change.")
@click.option("--catalogue", "catalogue_dirs", multiple=True, type=click.Path(),
              help="Your account's catalogue directory; extends and overrides the shipped one (also LNM_CATALOGUE).")
def preview(paths: tuple[str, ...], langs: tuple[str, ...], out_dir: str, width: str, theme: str,
            write_html: bool, sample: str | None, clock: str | None, shard: str | None, browser: str | None,
            no_cache: bool, catalogue_dirs: tuple[str, ...]) -> None:
    """Render mock LINE chat screenshots of specs and API bodies, one per app language."""
    from .catalogue import extra_dirs_from_env, load_catalogue
    from .preview import DEFAULT_LANGS, render_previews

    catalogue = load_catalogue(tuple(catalogue_dirs) + extra_dirs_from_env())
    run = render_previews(paths, langs=_split_langs(langs) or DEFAULT_LANGS, out_dir=out_dir,
                          width=int(width), theme=theme, html=write_html, sample=sample, clock=clock,
                          shard=shard, browser=browser, use_cache=not no_cache,
                          progress=sys.stderr.isatty() or None, catalogue=catalogue)
    for message in run.messages:
        if message.findings:
            worst = ", ".join(sorted({f.code for f in message.findings}))
            click.echo(f"{message.source}: rendered with {len(message.findings)} lint finding(s) ({worst}); "
                       f"see lnm lint {message.source}", err=True)
    where = os.path.relpath(out_dir) if not os.path.isabs(out_dir) else out_dir
    browser_note = (f"Chromium {run.browser_version}" if run.launched
                    else f"all cached, browser not started (Chromium {run.browser_version})")
    click.echo(f"lnm preview: {len(run.messages)} message(s), {run.rendered} rendered, {run.cached} cached "
               f"into {where} ({browser_note}, {run.seconds:.2f} s)", err=True)
