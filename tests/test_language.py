"""A flexible message's language: the spec's BCP 47 tag, else the configuration's, through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toolkit.spec.message import message_language

from .conftest import run_lnm, write_json

SPEC = {"kind": "flexible",
        "messages": [{"type": "text", "text": "お届け予定：{{ d | date('MMMEd') }}。ご注文ありがとうございました。"}],
        "samples": {"default": {"d": "2024-08-10"}}}


@pytest.mark.parametrize(("tag", "language"), [
    ("ja", "ja"), ("ja-JP", "ja"), ("th-TH", "th"), ("en-US", "en"), ("zh-Hant", "zh-Hant"),
    ("zh-TW", "zh-Hant"), ("zh-Hant-TW", "zh-Hant"), ("zh-HK", "zh-Hant"), ("zh-CN", "zh-Hans"),
    ("zh", "zh-Hans"), ("zh_Hans_SG", "zh-Hans"), ("fr", None), ("", None),
])
def test_bcp47_tags_map_to_the_languages_lnm_formats(tag: str, language: str | None) -> None:
    assert message_language(tag) == language


def _text(folder: Path) -> str:
    built = run_lnm("build", "spec.json", cwd=folder)
    assert built.code == 0, built.err
    text: str = built.json()["messages"][0]["text"]
    return text


def test_language_drives_the_filters_from_spec_country_or_configured_language(tmp_path: Path) -> None:
    write_json(tmp_path / "spec.json", SPEC)
    assert "Sat, Aug 10" in _text(tmp_path)  # nothing given: English
    (tmp_path / "lnm.toml").write_text('country = "JP"\n', encoding="utf-8")
    assert "8月10日(土)" in _text(tmp_path)  # the account's country
    (tmp_path / "lnm.toml").write_text('country = "JP"\nlanguage = "zh-TW"\n', encoding="utf-8")
    assert "8月10日週六" in _text(tmp_path)  # the configured language wins over the country
    write_json(tmp_path / "spec.json", {**SPEC, "language": "th-TH"})
    assert "2567" in _text(tmp_path) or "ส.ค." in _text(tmp_path)  # the spec's own language wins


def test_language_drives_the_language_rules(tmp_path: Path) -> None:
    write_json(tmp_path / "spec.json", SPEC)
    guessed = run_lnm("lint", "spec.json", cwd=tmp_path)
    assert (guessed.code, guessed.out) == (0, "")  # no language given: read as the Japanese it is
    write_json(tmp_path / "spec.json", {**SPEC, "language": "en"})
    declared = run_lnm("lint", "--format", "json", "spec.json", cwd=tmp_path)
    assert [f["code"] for f in declared.json()["files"][0]["findings"]] == ["G030"]
    write_json(tmp_path / "spec.json", SPEC)
    (tmp_path / "lnm.toml").write_text('language = "en"\n', encoding="utf-8")
    configured = run_lnm("lint", "--format", "json", "spec.json", cwd=tmp_path)
    assert [f["code"] for f in configured.json()["files"][0]["findings"]] == ["G030"]


def test_a_language_lnm_cannot_format_is_an_invalid_spec(tmp_path: Path) -> None:
    write_json(tmp_path / "spec.json", {**SPEC, "language": "fr"})
    result = run_lnm("lint", "--format", "json", "spec.json", cwd=tmp_path)
    (finding,) = result.json()["files"][0]["findings"]
    assert result.code == 1 and finding["code"] == "A091" and finding["pointer"] == "/language"
    assert "ja, th, zh-Hant, zh-Hans, en" in finding["message"]


def test_the_spec_schema_documents_language_as_bcp47() -> None:
    from toolkit.spec.schemas import load_schema

    language = load_schema("message-spec.schema.json")["properties"]["language"]
    assert "BCP 47" in language["description"] and "country" in language["description"]
    assert json.dumps(language).count("zh-TW") >= 1
