"""`lnm doctor` and the font check: the browser and every font found here; with the fonts hidden (an
empty fontconfig), doctor names what is missing and `lnm preview` refuses with the same line."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from toolkit.render import fonts
from toolkit.render.fingerprint import font_paths

from .conftest import EXAMPLES, run_lnm

SCRIPTS = ["latin", "ja", "th", "zh-Hant", "zh-Hans", "emoji"]


def _fontconfig(tmp_path: Path, *dirs: Path) -> dict[str, str]:
    """An environment whose fontconfig sees only ``dirs`` (none: no font at all)."""
    conf = tmp_path / "fonts.conf"
    body = "".join(f"<dir>{d}</dir>" for d in dirs)
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
                    f"<fontconfig>{body}<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
                    encoding="utf-8")
    return {"FONTCONFIG_FILE": str(conf)}


def test_doctor_here_finds_the_browser_and_every_font(tmp_path: Path) -> None:
    result = run_lnm("doctor", cwd=tmp_path)
    assert result.code == 0, result.out + result.err
    assert result.out.endswith("previews can run.\n") and result.err == ""
    assert "(found as system Chromium), version 1" in result.out or "(found as LNM_CHROMIUM)" in result.out
    for line in ("Japanese:              Noto Sans CJK JP", "Thai:                  Noto Sans Thai",
                 "Chinese (Traditional): Noto Sans CJK TC", "emoji:                 Noto Color Emoji"):
        assert line in result.out
    report = run_lnm("doctor", "--format", "json", cwd=tmp_path).json()
    assert report["ok"] is True and report["problems"] == []
    assert [(f["script"], f["status"], f["used"]) for f in report["fonts"]] == [
        ("latin", "ok", "Noto Sans"), ("ja", "ok", "Noto Sans CJK JP"), ("th", "ok", "Noto Sans Thai"),
        ("zh-Hant", "ok", "Noto Sans CJK TC"), ("zh-Hans", "ok", "Noto Sans CJK SC"),
        ("emoji", "ok", "Noto Color Emoji")]
    assert report["browser"]["started"] is True and report["lnm"]["distribution"] == "lnm-toolkit"
    assert report["python"]["version"] == sys.version.split()[0]
    assert report["configuration"]["path"] is None and Path(report["lnm"]["data"], "schemas").is_dir()


def test_hidden_fonts_doctor_names_them_and_preview_refuses(tmp_path: Path) -> None:
    env = _fontconfig(tmp_path)
    result = run_lnm("doctor", cwd=tmp_path, env=env)
    assert result.code == 1
    assert "Thai:                  MISSING, empty boxes: install Noto Sans Thai: sudo apt-get install fonts-noto-core" \
        in result.out
    report = run_lnm("doctor", "--format", "json", cwd=tmp_path, env=env).json()
    assert report["ok"] is False and {f["status"] for f in report["fonts"]} == {"missing"}
    assert report["environment"]["FONTCONFIG_FILE"] == env["FONTCONFIG_FILE"]
    (problem,) = report["problems"]
    assert problem.startswith("no font for Latin, Japanese, Thai, Chinese (Traditional), Chinese (Simplified) "
                              "and emoji in the browser")
    preview = run_lnm("preview", str(EXAMPLES / "TH" / "shipment_completed_th.json"), "--lang", "th",
                      "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    assert preview.code == 2 and preview.out == ""
    assert preview.err == ("lnm: no font for Latin and Thai in the browser (the previews would show empty boxes): "
                           "install Noto Sans and Noto Sans Thai: `sudo apt-get install fonts-noto-core`; "
                           "`lnm doctor` shows what previews need\n")
    assert not list((tmp_path / "out").rglob("*.png")), "no screenshot of empty boxes"


def test_a_preview_needs_only_its_languages_fonts(tmp_path: Path) -> None:
    cjk = font_paths()["NotoSansCJK-Regular.ttc"].parent  # Japanese and Chinese only: no Thai, no emoji
    env = _fontconfig(tmp_path, cjk)
    spec = str(EXAMPLES / "JP" / "shipment_completed_ja.json")
    ok = run_lnm("preview", spec, "--lang", "ja,zh-Hant", "--out", str(tmp_path / "out"), cwd=tmp_path, env=env)
    assert ok.code == 0, ok.err
    assert sorted(p.name for p in (tmp_path / "out").glob("*.png") if ".sheet." not in p.name) == [
        "shipment_completed_ja.ja.png", "shipment_completed_ja.zh-Hant.png"]
    refused = run_lnm("preview", spec, "--lang", "th", "--out", str(tmp_path / "out2"), cwd=tmp_path, env=env)
    assert refused.code == 2 and "lnm: no font for Thai in the browser" in refused.err
    report = json.loads(run_lnm("doctor", "--format", "json", cwd=tmp_path, env=env).out)
    status = {f["script"]: f["status"] for f in report["fonts"]}
    assert status == {"latin": "fallback", "ja": "ok", "th": "missing", "zh-Hant": "ok", "zh-Hans": "ok",
                      "emoji": "missing"}


def test_scripts_a_page_needs() -> None:
    assert fonts.scripts_for(["en"]) == {"latin"}
    assert fonts.scripts_for(["ja", "zh-Hant"]) == {"latin", "ja", "zh-Hant"}
    assert fonts.scripts_for(["en"], "<p>ส่งแล้ว 📦 お届け</p>") == {"latin", "th", "emoji", "ja"}


@pytest.mark.parametrize(("platform", "tools", "expected"), [
    ("linux", {"apt-get"}, "sudo apt-get install fonts-noto-core"),
    ("darwin", {"brew"}, "brew install --cask font-noto-sans-thai"),
    ("darwin", set(), "download Noto Sans Thai from https://fonts.google.com/noto/specimen/Noto+Sans+Thai"),
    ("win32", set(), "download Noto Sans Thai from https://fonts.google.com/noto/specimen/Noto+Sans+Thai"),
])
def test_install_command_per_system(monkeypatch: pytest.MonkeyPatch, platform: str, tools: set[str],
                                    expected: str) -> None:
    monkeypatch.setattr(fonts.sys, "platform", platform)
    monkeypatch.setattr(fonts.shutil, "which", lambda name: f"/bin/{name}" if name in tools else None)
    thai = next(s for s in fonts.SCRIPTS if s.key == "th")
    assert fonts.install_command(thai) == expected
    checks = {s.key: fonts.FontCheck(s, s.key != "th") for s in fonts.SCRIPTS}
    error = fonts.missing_fonts_error(checks, ["latin", "th"])
    assert error is not None and expected.replace("download ", "") in str(error)
    assert fonts.missing_fonts_error(checks, ["latin", "ja"]) is None


@pytest.mark.parametrize("lang", ["en", "ja", "th", "zh-Hant"])
def test_doctor_gives_the_install_hint_without_pointing_at_itself(tmp_path: Path, lang: str) -> None:
    """A missing browser is one line with the install hint; the hint's "`lnm doctor` shows what
    previews need" is left out by doctor itself, in every UI language (translations join the
    clauses each their own way, so this is done before translating)."""
    from toolkit.i18n import localize, using
    from toolkit.render.discover import DOCTOR_HINT

    result = run_lnm("doctor", "--browser", str(tmp_path / "no-such-chrome"), "--format", "json", "--ui-lang", lang)
    assert result.code == 1, result.err
    problems = result.json()["problems"]
    with using(lang):
        pointer = localize(DOCTOR_HINT)
    assert problems and all(pointer not in line for line in problems), problems
    assert "LNM_CHROMIUM" in problems[0] and "`playwright install chromium`" in problems[0], problems
