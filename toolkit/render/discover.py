"""Finding the Chromium that renders previews, on Linux, macOS and Windows.

The order: ``--browser`` or ``LNM_CHROMIUM``; a Chromium installed on the system; Google Chrome, then
Microsoft Edge, where installed (the executables Playwright's ``chrome`` and ``msedge`` channels
start); then the Chromium that ``playwright install chromium`` downloaded, as Playwright itself
reports it (``playwright.chromium.executable_path``). Each is an executable path given to Playwright.

Asking Playwright starts its driver (about half a second), so its answer is remembered in lnm's
cache folder, keyed on Playwright's version and ``PLAYWRIGHT_BROWSERS_PATH``; the file it names is
checked on every run.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from ..i18n import N_, Text

__all__ = ["BROWSER_ENV", "BrowserChoice", "DOCTOR_HINT", "install_hint", "locate_browser", "playwright_browser",
           "without_doctor_hint"]

BROWSER_ENV = "LNM_CHROMIUM"

#: Every "no browser" and font error ends with this.
DOCTOR_HINT = N_("`lnm doctor` shows what previews need")


def install_hint() -> Text:
    """How to get a browser on this operating system, as one clause."""
    if sys.platform == "darwin":
        how = N_("install Google Chrome, or run `playwright install chromium`")
    elif sys.platform == "win32":
        how = N_("install Google Chrome (Microsoft Edge also works), or run `playwright install chromium`")
    elif shutil.which("apt-get"):
        how = N_("install one: `sudo apt-get install --no-install-recommends chromium` (Debian/Ubuntu) or "
                 "`playwright install chromium`")
    else:
        how = N_("install Chromium or Google Chrome with your package manager, or run `playwright install chromium`")
    # Translators: {how} says how to install a browser; {variable} is LNM_CHROMIUM; {doctor} points at lnm doctor.
    return N_("{how}, or point --browser / {variable} at a Chromium; {doctor}", how=how, variable=BROWSER_ENV,
              doctor=DOCTOR_HINT)


def without_doctor_hint(text: Text) -> Text:
    """``text`` with the install hint inside it (at any depth) saying nothing of ``lnm doctor``: what
    doctor itself shows. Done on the text before it is translated, so it holds in every UI language."""
    if not isinstance(text, Text):
        return text
    if text.msgid == "{how}, or point --browser / {variable} at a Chromium; {doctor}":
        # Translators: the install hint as lnm doctor shows it (the same words, without the pointer to doctor).
        return N_("{how}, or point --browser / {variable} at a Chromium", how=text.args["how"],
                  variable=text.args["variable"])
    args = {name: without_doctor_hint(value) if isinstance(value, Text) else value for name, value in text.args.items()}
    return Text(text.msgid, args) if args != text.args else text


@dataclass(frozen=True)
class BrowserChoice:
    """The browser found: its executable and how it was found (``via``)."""

    path: str
    via: str


def _executable(path: str | os.PathLike[str] | None) -> str | None:
    if not path:
        return None
    text = os.fspath(path)
    return text if os.path.isfile(text) and os.access(text, os.X_OK) else None


def _windows_roots() -> list[Path]:
    names = ("LOCALAPPDATA", "PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432")
    return [Path(os.environ[n]) for n in names if os.environ.get(n)]


def _mac_apps(app: str, binary: str) -> list[Path]:
    return [Path(base).expanduser() / f"{app}.app" / "Contents" / "MacOS" / binary
            for base in ("/Applications", "~/Applications")]


#: Per kind of browser: the names looked up on PATH, and the usual install locations per platform
#: (the places Playwright's ``chrome`` / ``msedge`` channels look).
_KINDS: tuple[tuple[str, tuple[str, ...], Callable[[], list[Path]]], ...] = (
    ("system Chromium", ("chromium", "chromium-browser"), lambda: (
        _mac_apps("Chromium", "Chromium") if sys.platform == "darwin" else
        [r / "Chromium" / "Application" / "chrome.exe" for r in _windows_roots()] if sys.platform == "win32"
        else [])),
    ("Google Chrome", ("google-chrome", "google-chrome-stable"), lambda: (
        _mac_apps("Google Chrome", "Google Chrome") if sys.platform == "darwin" else
        [r / "Google" / "Chrome" / "Application" / "chrome.exe" for r in _windows_roots()]
        if sys.platform == "win32" else [Path("/opt/google/chrome/chrome")])),
    ("Microsoft Edge", ("microsoft-edge", "microsoft-edge-stable"), lambda: (
        _mac_apps("Microsoft Edge", "Microsoft Edge") if sys.platform == "darwin" else
        [r / "Microsoft" / "Edge" / "Application" / "msedge.exe" for r in _windows_roots()]
        if sys.platform == "win32" else [Path("/opt/microsoft/msedge/msedge")])),
)


def installed_browsers() -> Iterator[BrowserChoice]:
    """The system's Chromium, Google Chrome and Microsoft Edge, in that order, where installed."""
    for via, commands, places in _KINDS:
        seen: set[str] = set()
        for found in [*(shutil.which(c) for c in commands), *places()]:
            path = _executable(found)
            if path and path not in seen:
                seen.add(path)
                yield BrowserChoice(path, via)


def _ask_playwright() -> str:
    """Playwright's own answer: where ``playwright install chromium`` puts (or put) Chromium.

    Run on a thread of its own: Playwright's sync API refuses to start inside a running event loop.
    """
    import threading

    answer: list[str] = []
    failure: list[BaseException] = []

    def ask() -> None:
        try:
            from playwright.sync_api import sync_playwright

            with sync_playwright() as pw:
                answer.append(pw.chromium.executable_path)
        except BaseException as exc:  # noqa: BLE001 - reported below as one line
            failure.append(exc)

    thread = threading.Thread(target=ask, name="lnm-playwright-lookup", daemon=True)
    thread.start()
    thread.join(60)
    if failure or not answer:
        detail = str(failure[0]).strip().splitlines()[0] if failure and str(failure[0]).strip() else N_("no answer")
        raise RenderError(N_("Playwright's driver did not start ({reason}); reinstall the playwright package",
                             reason=detail))
    return answer[0]


def playwright_browser() -> tuple[str, bool]:
    """The path of Playwright's own Chromium and whether it is installed there (remembered per
    Playwright version and ``PLAYWRIGHT_BROWSERS_PATH``)."""
    from importlib.metadata import PackageNotFoundError, version

    from .cache import load_memo, save_memo

    try:
        pw_version = version("playwright")
    except PackageNotFoundError:
        pw_version = "unknown"
    key = f"{pw_version}|{os.environ.get('PLAYWRIGHT_BROWSERS_PATH', '')}|{Path.home()}"
    memo = load_memo()
    known = memo.setdefault("playwright", {})
    path = known.get(key)
    if not isinstance(path, str):
        path = _ask_playwright()
        known[key] = path
        save_memo(memo)
    return path, _executable(path) is not None


def locate_browser(explicit: str | None = None) -> BrowserChoice:
    """The Chromium to use (see the module docstring), else :class:`RenderError` saying how to get one."""
    chosen, via = (explicit, "--browser") if explicit else (os.environ.get(BROWSER_ENV), BROWSER_ENV)
    if chosen:
        path = _executable(chosen) or _executable(shutil.which(chosen))
        if path is None:
            raise RenderError(N_("{source} names {path!r}, which is not an executable file; {hint}", source=via,
                                 path=chosen, hint=install_hint()))
        return BrowserChoice(path, via)
    for choice in installed_browsers():
        return choice
    path, installed = playwright_browser()
    if installed:
        return BrowserChoice(path, "Playwright's Chromium")
    raise RenderError(N_("no Chromium, Google Chrome or Microsoft Edge found for previews; {hint}", hint=install_hint()))
