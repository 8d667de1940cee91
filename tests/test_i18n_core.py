"""The translation core (toolkit.i18n) and the committed catalogues (scripts/catalogues.py check)."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from toolkit import i18n
from toolkit.i18n import N_, Text, choose, localize, normalize

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(("value", "expected"), [
    ("ja", "ja"), ("ja_JP.UTF-8", "ja"), ("ja-JP", "ja"), ("JA_jp.eucJP", "ja"),
    ("th", "th"), ("th_TH.UTF-8", "th"),
    ("zh_TW.UTF-8", "zh-Hant"), ("zh_HK", "zh-Hant"), ("zh_Hant", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"),
    ("zh_MO", "zh-Hant"), ("zh_CN.UTF-8", None), ("zh-Hans", None), ("zh", None),
    ("en_GB.UTF-8", "en"), ("C", "en"), ("POSIX", "en"), ("C.UTF-8", "en"), ("fr_FR", None), ("", None),
])
def test_normalize(value: str, expected: str | None) -> None:
    assert normalize(value) == expected


def test_choose_order_and_locale_rules() -> None:
    env = {"LNM_UI_LANG": "th", "LC_ALL": "ja_JP.UTF-8", "LANG": "zh_TW.UTF-8"}
    assert choose("zh-Hant", "ja", env) == "zh-Hant"  # the flag first
    assert choose(None, "ja", env) == "th"  # then LNM_UI_LANG
    assert choose(None, "ja", {"LC_ALL": "th_TH"}) == "ja"  # then the configuration
    assert choose(None, None, {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "ja_JP.UTF-8"}) == "ja"  # empty = unset
    assert choose(None, None, {"LC_ALL": "fr_FR.UTF-8", "LANG": "ja_JP.UTF-8"}) == "en"  # LC_ALL wins, no catalogue
    assert choose(None, None, {"LC_MESSAGES": "zh_HK.UTF-8", "LANG": "ja_JP"}) == "zh-Hant"
    assert choose(None, None, {}) == "en"
    with pytest.raises(i18n.UnknownLanguage, match=r"--ui-lang: unknown UI language 'fr'; use en, ja, th, zh-Hant"):
        choose("fr", None, {})
    with pytest.raises(i18n.UnknownLanguage, match="LNM_UI_LANG"):
        choose(None, None, {"LNM_UI_LANG": "klingon"})


def test_text_is_english_and_survives_pickling() -> None:
    text = N_("{count} files checked", count=3)
    assert text == "3 files checked" and isinstance(text, str)
    again = pickle.loads(pickle.dumps(text))
    assert isinstance(again, Text) and again.msgid == "{count} files checked" and again.args == {"count": 3}
    assert localize("plain words") == "plain words"  # not a Text: already in its language
    assert localize(text, "en") == "3 files checked"


def test_using_is_scoped_and_set_language_validates() -> None:
    before = i18n.current()
    with i18n.using("ja_JP.UTF-8"):
        assert i18n.current() == "ja"
        with i18n.using("th"):
            assert i18n.current() == "th"
        assert i18n.current() == "ja"
    assert i18n.current() == before
    with pytest.raises(i18n.UnknownLanguage):
        i18n.set_language("fr")


def test_numbers_and_dates_follow_the_locale_argument() -> None:
    from datetime import date

    assert i18n.format_number(1234567, locale="ja") == "1,234,567"
    assert i18n.format_date(date(2026, 12, 6), locale="ja") == "2026/12/06"
    assert i18n.format_date(date(2026, 12, 6), locale="en") == "Dec 6, 2026"
    assert "2026" in i18n.format_date(date(2026, 12, 6), locale="zh-Hant")


def test_broken_translation_falls_back_to_english_formatting(monkeypatch: pytest.MonkeyPatch) -> None:
    class Broken:
        def gettext(self, msgid: str) -> str:
            return "{wrong} ist kaputt"

    monkeypatch.setattr(i18n, "_translations", lambda language: Broken())
    with i18n.using("ja"):
        assert i18n._("{count} files", count=2) == "2 files"
        assert localize(N_("{count} files", count=2)) == "2 files"


def test_catalogues_are_complete_and_compiled() -> None:
    """Every .pot matches the code, every .po matches its .pot, no entry is empty or fuzzy, the
    placeholders of every translation are the original's, and every .mo is its .po compiled."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalogues.py"), "check"],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
