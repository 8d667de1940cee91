"""``lnm doctor``: can this installation make previews, and if not, what to install."""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from ..i18n import N_
from ._common import CONTEXT
from ._language import chosen

__all__ = ["doctor"]


def _font_line(row: dict[str, Any]) -> str:
    name = f"{row['name']}:"
    if row["status"] == "ok":
        return f"{name:<23}{row.get('used') or row['font']}"
    if row["status"] == "fallback":
        drawn = f"drawn by {row['used']}" if row.get("used") and row["used"] != row["font"] else "drawn without colour"
        return f"{name:<23}{drawn}, not {row['font']} (previews will differ): {row['install']}"
    if row["status"] == "missing":
        return f"{name:<23}MISSING, empty boxes: install {row['font']}: {row['install']}"
    return f"{name:<23}not checked (no browser): {row['install']}"


def _text(d: Any) -> str:
    lines = [f"lnm {d.lnm['version']} ({d.lnm['distribution']}) on Python {d.python['version']} "
             f"({d.python['executable']})",
             f"{'installed at':<15}{d.lnm['package']}",
             f"{'data folder':<15}{d.lnm['data']}"]
    b = d.browser
    if not b["found"]:
        lines.append(f"{'browser':<15}NOT FOUND: {b['error']}")
    elif not b.get("started"):
        lines.append(f"{'browser':<15}{b['path']} ({b['via']}) DID NOT START: {b['error']}")
    else:
        lines.append(f"{'browser':<15}{b['path']} (found as {b['via']}), version {b['version']}")
    for i, row in enumerate(d.fonts):
        lines.append(f"{'fonts' if i == 0 else '':<15}{_font_line(row)}")
    cache = d.cache
    state = "" if cache["exists"] else " (not created yet)"
    state += "" if cache["writable"] else ", NOT WRITABLE: previews cannot remember browser versions"
    lines.append(f"{'cache':<15}{cache['path']}{state}")
    config = d.configuration
    if config.get("error"):
        shown = f"ERROR: {config['error']}"
    elif config["path"] is None:
        shown = "none found from here upwards (lnm.toml or [tool.lnm]): the defaults"
    else:
        keys = ", ".join(sorted(config["settings"])) or "every setting at its default"
        shown = f"{config['path']} ({keys})"
    lines.append(f"{'configuration':<15}{shown}")
    env = ", ".join(f"{k}={v}" for k, v in d.environment.items()) or "no LNM_* or font/browser variable set"
    lines.append(f"{'environment':<15}{env}")
    if d.ok:
        lines.append("previews can run.")
    else:
        lines.append("previews cannot run:")
        lines.extend(f"  {problem}" for problem in d.problems)
    return "\n".join(lines) + "\n"


@click.command(context_settings=CONTEXT, help=N_(
    "What previews need and whether this installation has it: Python, lnm, the browser "
    "(found as `lnm preview` finds it, and started), the fonts it draws each script with "
    "(or the command that installs the missing one on this system), the cache folder and "
    "the configuration in effect.\n\nExit 0 when previews can run, 1 when they cannot."))
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
