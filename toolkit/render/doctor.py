"""``lnm doctor``: what this installation has and lacks for previews, found the way previews find it.

:func:`diagnose` locates the browser exactly as ``lnm preview`` does, starts it, and runs the same
font probe (:mod:`toolkit.render.fonts`) with the details of which font drew each script; it also
reports Python, lnm's version and data folder, the cache folder and the configuration in effect.
Nothing is written except lnm's own cache (the browser's version, as a preview remembers it).
"""

from __future__ import annotations

import asyncio
import os
import sys
from dataclasses import dataclass, field
from typing import Any

from ..errors import LnmError

__all__ = ["ENVIRONMENT", "Diagnosis", "diagnose"]

#: Environment variables that change what lnm does, shown when set.
ENVIRONMENT = ("LNM_CHROMIUM", "LNM_CATALOGUE", "LNM_CACHE_DIR", "LNM_DEBUG", "PLAYWRIGHT_BROWSERS_PATH",
               "FONTCONFIG_FILE", "FONTCONFIG_PATH", "XDG_CACHE_HOME")


@dataclass
class Diagnosis:
    """Everything ``lnm doctor`` shows; :attr:`ok` says whether previews can run."""

    python: dict[str, str]
    lnm: dict[str, str]
    browser: dict[str, Any]
    fonts: list[dict[str, Any]] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict)
    configuration: dict[str, Any] = field(default_factory=dict)
    environment: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "problems": self.problems, "python": self.python, "lnm": self.lnm,
                "browser": self.browser, "fonts": self.fonts, "cache": self.cache,
                "configuration": self.configuration, "environment": self.environment}


async def _start(executable: str) -> tuple[str, dict[str, Any]]:
    from .browser import BrowserPool

    async with BrowserPool(executable, pages=1) as pool:
        return pool.version, await pool.check_fonts(details=True)


def _browser(explicit: str | None, problems: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    from .discover import locate_browser

    try:
        choice = locate_browser(explicit)
    except LnmError as exc:
        line = _without_hint(exc)
        problems.append(line)
        return {"found": False, "error": line}, {}
    info: dict[str, Any] = {"found": True, "path": choice.path, "via": choice.via}
    try:
        version, checks = asyncio.run(_start(choice.path))
    except Exception as exc:  # noqa: BLE001 - whatever stops the browser is the report's finding
        from ..i18n import _

        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        line = _without_hint(exc) if isinstance(exc, LnmError) else _("the browser failed: {reason}", reason=reason)
        problems.append(line)
        info.update(started=False, error=line)
        return info, {}
    info.update(started=True, version=version)
    return info, checks


def _fonts(checks: dict[str, Any], problems: list[str]) -> list[dict[str, Any]]:
    from .fonts import SCRIPTS, install_command, missing_fonts_error

    rows: list[dict[str, Any]] = []
    for script in SCRIPTS:
        check = checks.get(script.key)
        if check is None:
            rows.append({"script": script.key, "name": script.name, "font": script.font, "status": "unknown",
                         "install": install_command(script)})
            continue
        row = {"script": script.key, "name": script.name, "font": script.font, "status": check.status,
               "used": check.used}
        if check.status != "ok":
            row["install"] = install_command(script)
        rows.append(row)
    # doctor's own line leaves out the pointer to doctor
    error = missing_fonts_error(checks, [s.key for s in SCRIPTS], hint=False) if checks else None
    if error is not None:
        problems.append(error.one_line())
    return rows


def _configuration() -> dict[str, Any]:
    from ..lint.config import default_language, find_config, load_config

    try:
        path = find_config(os.getcwd())
        if path is None:
            return {"path": None, "settings": {}, "language": None}
        config = load_config(path)
        return {"path": path, "settings": dict(config.data), "language": default_language(config)}
    except LnmError as exc:
        return {"path": None, "error": exc.one_line(), "settings": {}}


def _cache() -> dict[str, Any]:
    from .fingerprint import cache_dir

    folder = cache_dir()
    probe = folder if folder.exists() else next((p for p in folder.parents if p.exists()), folder)
    return {"path": str(folder), "exists": folder.is_dir(), "writable": os.access(probe, os.W_OK)}


def diagnose(browser: str | None = None) -> Diagnosis:
    """Look at this installation (see the module docstring); ``browser`` as ``--browser``."""
    from .._paths import DISTRIBUTION, data_root, lnm_version

    problems: list[str] = []
    browser_info, checks = _browser(browser, problems)
    fonts = _fonts(checks, problems) if checks else []
    return Diagnosis(
        python={"version": sys.version.split()[0], "executable": sys.executable, "platform": sys.platform},
        lnm={"version": lnm_version(), "distribution": DISTRIBUTION,
             "package": os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data": str(data_root())},
        browser=browser_info, fonts=fonts, cache=_cache(), configuration=_configuration(),
        environment={name: os.environ[name] for name in ENVIRONMENT if os.environ.get(name)},
        problems=problems)


def _without_hint(exc: LnmError) -> str:
    """A problem as doctor shows it: without the pointer to doctor itself (in any UI language)."""
    from .discover import without_doctor_hint

    exc.message = without_doctor_hint(exc.message)  # type: ignore[arg-type]
    return exc.one_line()
