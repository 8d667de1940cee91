"""``lnm doctor``: can this installation make previews, and if not, what to install."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..i18n import N_, _, localize
from ._common import CONTEXT, pad
from ._language import chosen

__all__ = ["doctor"]


def _font_line(row: dict[str, Any]) -> str:
    name = pad(localize(row["name"]) + ":", 23)
    if row["status"] == "ok":
        return f"{name}{row.get('used') or row['font']}"
    if row["status"] == "fallback":
        if row.get("used") and row["used"] != row["font"]:
            return name + _("drawn by {used}, not {font} (previews will differ): {install}", used=row["used"],
                            font=row["font"], install=row["install"])
        return name + _("drawn without colour, not {font} (previews will differ): {install}", font=row["font"],
                        install=row["install"])
    if row["status"] == "missing":
        return name + _("MISSING, empty boxes: install {font}: {install}", font=row["font"], install=row["install"])
    return name + _("not checked (no browser): {install}", install=row["install"])


def _configuration(config: dict[str, Any]) -> str:
    if config.get("error"):
        return _("ERROR: {error}", error=config["error"])
    if config["path"] is None:
        return _("none found from here upwards (lnm.toml or [tool.lnm]): the defaults")
    keys = ", ".join(sorted(config["settings"])) or _("every setting at its default")
    return f"{config['path']} ({keys})"


def _browser(b: dict[str, Any]) -> str:
    if not b["found"]:
        return _("NOT FOUND: {error}", error=b["error"])
    if not b.get("started"):
        return _("{path} ({via}) DID NOT START: {error}", path=b["path"], via=b["via"], error=b["error"])
    return _("{path} (found as {via}), version {version}", path=b["path"], via=b["via"], version=b["version"])


# Translators: the labels of lnm doctor's report, each followed by what was found.
_LABELS = {"installed": N_("installed at"), "data": N_("data folder"), "browser": N_("browser"),
           "fonts": N_("fonts"), "cache": N_("cache"), "configuration": N_("configuration"),
           "environment": N_("environment"), "ui": N_("UI language")}


def _text(d: Any) -> str:
    from ..rules._text import (
        display_width,  # here, not at the top: every command imports this module
    )

    labels = {key: _(text) for key, text in _LABELS.items()}
    width = max(15, max(display_width(text) for text in labels.values()) + 1)
    lines = [_("lnm {version} ({distribution}) on Python {python} ({executable})", version=d.lnm["version"],
               distribution=d.lnm["distribution"], python=d.python["version"], executable=d.python["executable"]),
             pad(labels["installed"], width) + d.lnm["package"],
             pad(labels["data"], width) + d.lnm["data"],
             pad(labels["browser"], width) + _browser(d.browser)]
    for i, row in enumerate(d.fonts):
        lines.append(pad(labels["fonts"] if i == 0 else "", width) + _font_line(row))
    cache = d.cache
    if not cache["writable"]:
        state = _("{path}, NOT WRITABLE: previews cannot remember browser versions", path=cache["path"]) \
            if cache["exists"] else _("{path} (not created yet), NOT WRITABLE: previews cannot remember browser "
                                      "versions", path=cache["path"])
    else:
        state = cache["path"] if cache["exists"] else _("{path} (not created yet)", path=cache["path"])
    lines.append(pad(labels["cache"], width) + state)
    lines.append(pad(labels["configuration"], width) + _configuration(d.configuration))
    env = ", ".join(f"{k}={v}" for k, v in d.environment.items()) or _("no LNM_* or font/browser variable set")
    lines.append(pad(labels["environment"], width) + env)
    ui = chosen()
    if ui["source"] == "default":
        shown = _("{language} (no --ui-lang, LNM_UI_LANG, ui-language or locale set)", language=ui["language"])
    else:
        shown = _("{language} (from {source})", language=ui["language"], source=ui["source"])
    lines.append(pad(labels["ui"], width) + shown)
    if d.ok:
        lines.append(_("previews can run."))
    else:
        lines.append(_("previews cannot run:"))
        lines.extend(f"  {problem}" for problem in d.problems)
    return "\n".join(lines) + "\n"


@click.command(context_settings=CONTEXT, help=N_(
    "What previews need and whether this installation has it: Python, lnm, the browser (found as "
    "`lnm preview` finds it, and started), the fonts it draws each script with (or the command "
    "that installs the missing one on this system), the cache folder and the configuration in "
    "effect.\n\nExit 0 when previews can run, 1 when they cannot."))
@click.option("--browser", type=click.Path(dir_okay=False),
              help=N_("Check this Chromium instead of the one previews would find (also LNM_CHROMIUM)."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def doctor(browser: str | None, fmt: str) -> None:
    from ..render.doctor import diagnose

    result = diagnose(browser)
    if fmt == "json":
        data = {**result.to_dict(), "ui_language": chosen()}
        click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        click.echo(_text(result), nl=False)
    sys.exit(0 if result.ok else 1)
