"""Finding the browser on Linux, macOS and Windows: option, environment, system Chromium, Chrome, Edge,
then Playwright's own Chromium as Playwright itself reports it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from toolkit.errors import RenderError
from toolkit.render import discover
from toolkit.render.discover import locate_browser


def _fake(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho 'Fake 1.2.3.4'\n", encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def bare(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No browser on PATH, no LNM_CHROMIUM, Playwright's browsers and lnm's cache in tmp_path."""
    path_dir = tmp_path / "bin"
    path_dir.mkdir()
    monkeypatch.setenv("PATH", str(path_dir))
    monkeypatch.delenv("LNM_CHROMIUM", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path / "ms-playwright"))
    monkeypatch.setenv("LNM_CACHE_DIR", str(tmp_path / "cache"))
    for name in ("LOCALAPPDATA", "PROGRAMFILES", "PROGRAMFILES(X86)", "PROGRAMW6432"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_this_machine_finds_its_system_chromium() -> None:
    choice = locate_browser()
    assert choice.via in ("LNM_CHROMIUM", "system Chromium") and os.access(choice.path, os.X_OK)


def test_explicit_choice_comes_first_and_names_its_source(monkeypatch: pytest.MonkeyPatch, bare: Path) -> None:
    chrome = _fake(bare / "bin" / "google-chrome")
    mine = _fake(bare / "elsewhere" / "my-chromium")
    assert locate_browser(str(mine)).via == "--browser"
    monkeypatch.setenv("LNM_CHROMIUM", str(mine))
    assert locate_browser() == discover.BrowserChoice(str(mine), "LNM_CHROMIUM")
    monkeypatch.delenv("LNM_CHROMIUM")
    assert locate_browser() == discover.BrowserChoice(str(chrome), "Google Chrome")
    with pytest.raises(RenderError, match=r"--browser names .*not an executable file.*lnm doctor"):
        locate_browser(str(bare / "missing"))


def test_chromium_before_chrome_before_edge_on_path(bare: Path) -> None:
    edge = _fake(bare / "bin" / "microsoft-edge")
    assert locate_browser() == discover.BrowserChoice(str(edge), "Microsoft Edge")
    chrome = _fake(bare / "bin" / "google-chrome-stable")
    assert locate_browser().path == str(chrome)
    chromium = _fake(bare / "bin" / "chromium")
    assert locate_browser() == discover.BrowserChoice(str(chromium), "system Chromium")


def test_macos_applications(monkeypatch: pytest.MonkeyPatch, bare: Path) -> None:
    monkeypatch.setattr(discover.sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(bare / "home"))
    edge = _fake(bare / "home" / "Applications" / "Microsoft Edge.app" / "Contents" / "MacOS" / "Microsoft Edge")
    assert locate_browser() == discover.BrowserChoice(str(edge), "Microsoft Edge")
    chrome = _fake(bare / "home" / "Applications" / "Google Chrome.app" / "Contents" / "MacOS" / "Google Chrome")
    assert locate_browser() == discover.BrowserChoice(str(chrome), "Google Chrome")


def test_windows_program_folders(monkeypatch: pytest.MonkeyPatch, bare: Path) -> None:
    monkeypatch.setattr(discover.sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMFILES(X86)", str(bare / "x86"))
    monkeypatch.setenv("LOCALAPPDATA", str(bare / "local"))
    edge = _fake(bare / "x86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert locate_browser() == discover.BrowserChoice(str(edge), "Microsoft Edge")
    chrome = _fake(bare / "local" / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert locate_browser() == discover.BrowserChoice(str(chrome), "Google Chrome")
    assert "install Google Chrome (Microsoft Edge also works)" in discover.install_hint()


def test_playwrights_own_chromium_through_playwrights_lookup(monkeypatch: pytest.MonkeyPatch, bare: Path) -> None:
    with pytest.raises(RenderError, match=r"no Chromium, Google Chrome or Microsoft Edge found.*"
                                          r"playwright install chromium.*lnm doctor"):
        locate_browser()
    # Playwright named a path below PLAYWRIGHT_BROWSERS_PATH; once something is installed there, it is used.
    expected, installed = discover.playwright_browser()
    assert not installed and Path(expected).is_relative_to(bare / "ms-playwright")
    _fake(Path(expected))
    assert locate_browser() == discover.BrowserChoice(expected, "Playwright's Chromium")
    # The answer is remembered: the next run does not start Playwright's driver.
    monkeypatch.setattr(discover, "_ask_playwright", lambda: pytest.fail("asked Playwright again"))
    assert locate_browser().path == expected
