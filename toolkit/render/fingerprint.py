"""What a preview's renderer hash records about the machine, remembered between runs in lnm's cache
folder: the browser's version (asked once per binary) and the hashes of the font files the previews
use (hashed once per file version)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

from ..errors import RenderError
from ..i18n import N_
from .cache import cache_dir, load_memo, save_memo
from .discover import install_hint

__all__ = ["FONT_DIRS", "FONT_FILES", "browser_version", "cache_dir", "font_hashes", "font_paths", "load_memo",
           "sandbox_args", "save_memo"]

#: Font files whose glyphs the previews use (see the :lang() rules in templates/chat.css).
FONT_FILES = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansCJK-Regular.ttc",
              "NotoSansCJK-Bold.ttc", "NotoSansThai-Regular.ttf", "NotoSansThai-Bold.ttf",
              "NotoColorEmoji.ttf")
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts",  # Linux
             "/Library/Fonts", "~/Library/Fonts",  # macOS
             "%WINDIR%/Fonts", "%LOCALAPPDATA%/Microsoft/Windows/Fonts")  # Windows


def _stat_key(path: Path) -> str:
    st = path.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def _binary_key(executable: str) -> str:
    """Size and mtime of the executable and, for a launcher script, of the binary it starts."""
    parts = [_stat_key(Path(executable).resolve())]
    with open(executable, "rb") as handle:
        if handle.read(2) == b"#!":
            real = Path("/usr/lib/chromium/chromium")
            if real.is_file():
                parts.append(_stat_key(real))
    return "|".join(parts)


def _launched_version(executable: str) -> str:
    """The version Chromium reports when started headless through Playwright (on its own thread, as
    Playwright's sync API refuses to run inside an event loop)."""
    import threading

    answer: list[str] = []

    def ask() -> None:
        from playwright.sync_api import sync_playwright

        with contextlib.suppress(Exception), sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, headless=True, args=sandbox_args())
            answer.append(browser.version)
            browser.close()

    thread = threading.Thread(target=ask, name="lnm-browser-version", daemon=True)
    thread.start()
    thread.join(60)
    return answer[0] if answer else ""


def browser_version(executable: str) -> str:
    """``156.0.8078.108``: asks ``--version`` once per binary (on Windows, where that opens a window,
    starts it headless instead), then remembers it."""
    memo = load_memo()
    key = f"{Path(executable).resolve()}|{_binary_key(executable)}"
    versions = memo.setdefault("browsers", {})
    if key in versions:
        return str(versions[key])
    out = ""
    if sys.platform != "win32":
        try:
            out = subprocess.run([executable, "--version"], capture_output=True, text=True, timeout=30,
                                 stdin=subprocess.DEVNULL).stdout
        except (OSError, subprocess.SubprocessError) as exc:
            raise RenderError(N_("cannot run {browser} --version: {reason}; {hint}", browser=executable, reason=str(exc),
                                 hint=install_hint())) from None
    match = re.search(r"\d+(?:\.\d+){1,3}", out) or re.search(r"\d+(?:\.\d+){1,3}", _launched_version(executable))
    if not match:
        raise RenderError(N_("{browser} gave no version ({output!r}) and did not start; {hint}", browser=executable,
                             output=out.strip()[:80], hint=install_hint()))
    versions[key] = match.group(0)
    save_memo(memo)
    return match.group(0)


def sandbox_args() -> list[str]:
    """Chromium's sandbox cannot run as root."""
    return ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def font_paths() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for base in FONT_DIRS:
        root = Path(os.path.expandvars(base)).expanduser()
        if "%" in str(root):
            continue  # a Windows variable that is not set here
        if not root.is_dir():
            continue
        for name in FONT_FILES:
            if name in found:
                continue
            hit = next(iter(sorted(root.rglob(name))), None)
            if hit is not None:
                found[name] = hit
    return found


def font_hashes() -> dict[str, str]:
    """sha256 of each font file the previews use (hashed once per file version, then remembered)."""
    memo = load_memo()
    fonts = memo.setdefault("fonts", {})
    changed = False
    out: dict[str, str] = {}
    for name, path in sorted(font_paths().items()):
        key = f"{path}|{_stat_key(path)}"
        if key not in fonts:
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            fonts[key] = digest.hexdigest()
            changed = True
        out[name] = fonts[key]
    if changed:
        save_memo(memo)
    return out
