"""Fonts, checked through the browser itself: does Chromium draw Japanese, Thai, Chinese and emoji?

A probe page sets one test string per script in the preview's own font stacks (the ``font-family``
rules of ``templates/chat.css``, picked by ``lang``), draws each character on a canvas and compares
it with the drawing of an unassigned code point (U+0378, which no font has): the same pixels, or none
at all, mean that no installed font has the glyph and the screenshot would show empty boxes. Emoji
also count their coloured pixels. One page evaluation (a few tens of milliseconds) after the
browser starts; ``lnm doctor`` also asks Chromium which font drew each string.

A preview whose languages need a script with no font stops before any screenshot, with one line
naming the font and how to install it on this operating system.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import RenderError, UsageError
from ..i18n import N_, babel_locale, localize
from .discover import DOCTOR_HINT

__all__ = ["SCRIPTS", "FontCheck", "Script", "install_command", "missing_fonts_error", "page_scripts",
           "probe_fonts", "scripts_for"]


@dataclass(frozen=True)
class Script:
    """One writing system the previews draw, the Noto face they name for it, and its packages."""

    key: str
    name: str
    lang: str
    sample: str
    font: str
    apt: str
    brew: str
    page: str


SCRIPTS = (
    Script("latin", N_("Latin"), "en", "Aa0", "Noto Sans", "fonts-noto-core", "font-noto-sans",
           "https://fonts.google.com/noto/specimen/Noto+Sans"),
    Script("ja", N_("Japanese"), "ja", "あア漢", "Noto Sans CJK JP", "fonts-noto-cjk", "font-noto-sans-cjk",
           "https://github.com/notofonts/noto-cjk/releases"),
    Script("th", N_("Thai"), "th", "กไ", "Noto Sans Thai", "fonts-noto-core", "font-noto-sans-thai",
           "https://fonts.google.com/noto/specimen/Noto+Sans+Thai"),
    Script("zh-Hant", N_("Chinese (Traditional)"), "zh-Hant", "繁體", "Noto Sans CJK TC", "fonts-noto-cjk",
           "font-noto-sans-cjk", "https://github.com/notofonts/noto-cjk/releases"),
    Script("zh-Hans", N_("Chinese (Simplified)"), "zh-Hans", "简体", "Noto Sans CJK SC", "fonts-noto-cjk",
           "font-noto-sans-cjk", "https://github.com/notofonts/noto-cjk/releases"),
    Script("emoji", N_("emoji"), "en", "\U0001F600\U0001F4E6", "Noto Color Emoji", "fonts-noto-color-emoji",
           "font-noto-color-emoji", "https://fonts.google.com/noto/specimen/Noto+Color+Emoji"),
)
_BY_KEY = {s.key: s for s in SCRIPTS}


@dataclass
class FontCheck:
    """What the browser drew for one script: ``glyphs`` (real glyphs, not empty boxes), ``colour``
    (for emoji), and with details the font Chromium used for it (``used``)."""

    script: Script
    glyphs: bool
    colour: bool = False
    used: str | None = None

    @property
    def status(self) -> str:
        """``ok`` (the preview's own face, or glyphs from a font not named), ``fallback`` (another
        font draws it, or emoji without colour) or ``missing`` (empty boxes)."""
        if not self.glyphs:
            return "missing"
        if self.script.key == "emoji" and not self.colour:
            return "fallback"
        if self.used is not None and self.used != self.script.font:
            return "fallback"
        return "ok"


def install_command(script: Script) -> str:
    """How to install ``script``'s font here: apt, Homebrew, or the download page (Windows, others)."""
    if sys.platform == "darwin" and shutil.which("brew"):
        return f"brew install --cask {script.brew}"
    if sys.platform.startswith("linux") and shutil.which("apt-get"):
        return f"sudo apt-get install {script.apt}"
    return N_("download {font} from {page}", font=script.font, page=script.page)


def _install_all(scripts: list[Script]) -> str:
    if sys.platform == "darwin" and shutil.which("brew"):
        return "brew install --cask " + " ".join(dict.fromkeys(s.brew for s in scripts))
    if sys.platform.startswith("linux") and shutil.which("apt-get"):
        return "sudo apt-get install " + " ".join(dict.fromkeys(s.apt for s in scripts))
    return "; ".join(dict.fromkeys(install_command(s) for s in scripts))


def _and(words: list[str]) -> str:
    """``A, B and C`` in the UI language (Babel's list patterns: ``A、B、C`` in Japanese)."""
    shown = [localize(w) for w in words]
    if babel_locale() == "en":  # English keeps lnm's own pattern (no serial comma)
        return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
    from babel.lists import format_list

    return str(format_list(shown, locale=babel_locale()))


def missing_fonts_error(checks: Mapping[str, FontCheck], needed: Iterable[str], *,
                        hint: bool = True) -> RenderError | None:
    """One line for the scripts in ``needed`` that the browser cannot draw, or None; ``hint=False``
    leaves out the pointer to ``lnm doctor`` (for doctor itself)."""
    missing = [checks[k].script for k in _BY_KEY if k in set(needed) and k in checks and not checks[k].glyphs]
    if not missing:
        return None
    names = _and([s.name for s in missing])
    fonts = _and(list(dict.fromkeys(s.font for s in missing)))
    args = {"scripts": names, "fonts": fonts, "command": _install_all(missing)}
    if not hint:
        return RenderError(N_("no font for {scripts} in the browser (the previews would show empty boxes): install "
                              "{fonts}: `{command}`", **args))
    # Translators: {scripts} names writing systems ("Japanese and Thai"), {fonts} font names, {command} a shell command.
    return RenderError(N_("no font for {scripts} in the browser (the previews would show empty boxes): install "
                          "{fonts}: `{command}`; {doctor}", doctor=DOCTOR_HINT, **args))


_NOTABLE = re.compile("[\u3040-\u30ff\u0e00-\u0e7f\U0001f000-\U0001faff]")
_LANG_SCRIPT = {"ja": "ja", "th": "th", "zh-Hant": "zh-Hant", "zh-Hans": "zh-Hans"}


def _script_of(char: str) -> str:
    return "ja" if char <= "\u30ff" and char >= "\u3040" else "th" if char <= "\u0e7f" else "emoji"


def scripts_for(languages: Iterable[str], text: str = "") -> set[str]:
    """The scripts a page needs: Latin always, each language's (``chrome_language`` form: ja, th,
    zh-Hant, zh-Hans, en), and kana, Thai or emoji found in ``text`` (one pass)."""
    needed = {"latin", *(_LANG_SCRIPT[lang] for lang in languages if lang in _LANG_SCRIPT)}
    needed.update(_script_of(char) for char in set(_NOTABLE.findall(text)))
    return needed


def page_scripts(app_language: str, message_language: str, page: str = "") -> set[str]:
    """The scripts one preview needs: its app language's, its message language's, and those of
    ``page``'s text (:func:`scripts_for`)."""
    from .chat import chrome_language

    languages = []
    for tag in (app_language, message_language):
        try:
            languages.append(chrome_language(tag))
        except UsageError:
            pass  # not a language tag: its text is scanned all the same
    return scripts_for(languages, page)


def _probe_html() -> str:
    from .chat import TEMPLATES

    css = (TEMPLATES / "chat.css").read_text(encoding="utf-8")
    rules = "\n".join(line for line in css.splitlines() if "font-family" in line)
    spans = "".join(f'<span id="s-{s.key.lower()}" lang="{s.lang}">{s.sample}</span>' for s in SCRIPTS)
    return f"<!DOCTYPE html><html><head><style>{rules}</style></head><body>{spans}</body></html>"


#: Writes the probe page, then draws each sample character and U+0378 in the span's computed font
#: stack; a character is missing when it leaves no ink or the same pixels as U+0378.
_PROBE_JS = """async (html) => {
  document.open(); document.write(html); document.close();
  await document.fonts.ready;
  const canvas = document.createElement('canvas');
  canvas.width = 64; canvas.height = 64;
  const ctx = canvas.getContext('2d', {willReadFrequently: true});
  const draw = (font, text) => {
    ctx.clearRect(0, 0, 64, 64);
    ctx.font = '40px ' + font; ctx.fillStyle = '#000'; ctx.textBaseline = 'top';
    ctx.fillText(text, 4, 4);
    const d = ctx.getImageData(0, 0, 64, 64).data;
    let ink = 0, colour = 0, sig = '';
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3]) { ink++; if (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2]) colour++; }
      sig += String.fromCharCode(d[i + 3]);
    }
    return {ink, colour, sig};
  };
  const out = {};
  for (const span of document.querySelectorAll('span')) {
    const family = getComputedStyle(span).fontFamily;
    const tofu = draw(family, '\\u0378');
    let glyphs = true, colour = 0;
    for (const ch of Array.from(span.textContent)) {
      const got = draw(family, ch);
      if (!got.ink || (got.sig === tofu.sig && got.ink === tofu.ink)) glyphs = false;
      colour += got.colour;
    }
    out[span.id.slice(2)] = {glyphs, colour: colour > 0};
  }
  return out;
}"""


async def probe_fonts(context: Any, page: Any, *, details: bool = False) -> dict[str, FontCheck]:
    """Run the probe in ``page`` (of the Playwright ``context``); ``details`` also asks Chromium, through
    the DevTools protocol, which font drew each script."""
    drawn = await page.evaluate(_PROBE_JS, _probe_html())
    checks = {s.key: FontCheck(s, bool(drawn[s.key.lower()]["glyphs"]), bool(drawn[s.key.lower()]["colour"]))
              for s in SCRIPTS}
    if details:
        session = await context.new_cdp_session(page)
        await session.send("DOM.enable")
        await session.send("CSS.enable")
        root = (await session.send("DOM.getDocument"))["root"]["nodeId"]
        for key, check in checks.items():
            node = (await session.send("DOM.querySelector", {"nodeId": root, "selector": f"#s-{key.lower()}"}))
            fonts = (await session.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]}))["fonts"]
            if fonts and check.glyphs:
                check.used = max(fonts, key=lambda f: f.get("glyphCount", 0)).get("familyName")
        await session.detach()
    return checks
