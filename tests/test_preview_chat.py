"""The chat screen HTML without a browser: languages, catalogues, escaping, inputs."""

from __future__ import annotations

import re
from pathlib import Path

import jinja2
import pytest
from babel.messages.pofile import read_po
from jinja2.ext import extract_from_ast

from toolkit.errors import InputError, UsageError
from toolkit.render import chat as _chat
from toolkit.render import preview
from toolkit.render.preview import build_html, parse_shard
from toolkit.spec.catalogue import load_catalogue

from .conftest import SPEC_BODY
from .preview_support import (
    FLEXIBLE,
    LABELS,
    hostile_flexible,
    hostile_spec,
    hostile_template_key,
    spec,
    write_catalogue,
)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalogue((str(write_catalogue(tmp_path_factory.mktemp("cat"))),))


def _label(html: str) -> str:
    match = re.search(r'<span class="label-text">([^<]*)</span>', html)
    assert match
    return match.group(1)


@pytest.mark.parametrize("lang,label", [*LABELS.items(), ("ko", LABELS["en"]), ("zh-TW", "重要通知"),
                                        ("de-CH", LABELS["en"]), ("JA", LABELS["ja"])])
def test_label_follows_app_language(catalogue, lang: str, label: str) -> None:  # type: ignore[no-untyped-def]
    assert _label(build_html(spec(), lang=lang, catalogue=catalogue)) == label


def test_message_keeps_its_language_while_chrome_follows_app(catalogue) -> None:  # type: ignore[no-untyped-def]
    html = build_html(spec(), lang="th", catalogue=catalogue)
    assert '<html lang="th"' in html
    assert re.search(r'<article class="card" id="message" lang="ja">', html)
    assert "発送完了のお知らせ" in html and "お届け予定日" in html and "8月10日(土)" in html
    assert "12,000円" in html and "配送状況を確認" in html
    assert 'id="important-label" lang="th"' in html and 'id="date-label" lang="th"' in html
    # every element that holds text sits inside something with a lang (the root has one)
    assert html.count("lang=") >= 8


def test_dates_and_times_in_app_language(catalogue) -> None:  # type: ignore[no-untyped-def]
    dates = {lang: re.search(r'id="date-label"[^>]*>([^<]*)<', build_html(spec(), lang=lang, catalogue=catalogue))
             for lang in ("ja", "th", "zh-Hant", "en")}
    assert dates["ja"] and dates["ja"].group(1) == "2024年8月9日(金)"
    assert dates["th"] and "2567" in dates["th"].group(1) and "2024" not in dates["th"].group(1)
    assert dates["en"] and dates["en"].group(1) == "Fri, Aug 9, 2024"
    html = build_html(spec(), lang="th", catalogue=catalogue)
    assert '<span class="time" lang="th">18:30 น.</span>' in html
    html = build_html(spec(), lang="en", clock="2025-01-02T07:05:00+09:00", catalogue=catalogue)
    assert ">7:05\u202fAM<" in html and ">07:05<" in html  # time stamp and status bar


def test_clock_default_is_fixed_not_wall_clock(catalogue) -> None:  # type: ignore[no-untyped-def]
    body = {k: v for k, v in spec().items() if k != "preview"}
    html = build_html({**body, "kind": "template"}, lang="en", catalogue=catalogue)
    assert "Wed, Jun 18, 2025" in html and "LINE Official Account" in html
    with pytest.raises(UsageError):
        build_html(spec(), lang="en", clock="yesterday", catalogue=catalogue)


def test_sample_choice_and_raw_body(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert "1,234,567円" in build_html(spec(), lang="en", sample="longest", catalogue=catalogue)
    with pytest.raises(InputError, match="no sample named 'nope'"):
        build_html(spec(), lang="en", sample="nope", catalogue=catalogue)

    html = build_html(SPEC_BODY, lang="ja", catalogue=catalogue)
    assert "スープセット（冷凍）" in html and "お問い合わせ" in html
    with pytest.raises(InputError, match="not a LINE notification message"):
        build_html({"hello": 1}, lang="ja", catalogue=catalogue)


def test_unknown_keys_render_as_raw_keys(catalogue) -> None:  # type: ignore[no-untyped-def]
    doc = {"templateKey": "no_such_template_ja", "body": {
        "items": [{"itemKey": "mystery_001_ja", "content": "値"}],
        "buttons": [{"buttonKey": "mystery_button_ja", "url": "https://example.com"}]}}
    html = build_html(doc, lang="ja", catalogue=catalogue)
    assert 'class="card-title unknown">no_such_template_ja<' in html
    assert '<dt class="unknown">mystery_001_ja</dt>' in html
    assert ">mystery_button_ja<" in html


def test_flexible_bubbles_and_placeholders(catalogue) -> None:  # type: ignore[no-untyped-def]
    html = build_html(FLEXIBLE, lang="en", catalogue=catalogue)
    assert 'class="bubble" lang="ja">ご予約ありがとうございます。\n明日10時' in html
    assert '<div class="fx-bubble" style="width: 260px; border-radius: 10px" dir="ltr" data-size="kilo">' in html
    assert ">予約確認</p>" in html and ">予約を確認</span>" in html and "https://example.com/r" not in html
    assert "No preview for this message type yet" in html and "<code>sticker</code>" in html
    broken = {"messages": [{"type": "flex", "altText": "予約確認: 8月10日 10:00", "contents": {"type": "bubblez"}}]}
    assert "表示できるバブルまたはカルーセルがありません" in build_html(broken, lang="ja", catalogue=catalogue)
    assert "予約確認: 8月10日 10:00" in build_html(broken, lang="ja", catalogue=catalogue)
    assert html.count('class="time"') == 1  # one time stamp, beside the last bubble


def test_guessed_language_of_free_text(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert _chat.guess_language("ขอบคุณ") == "th"
    assert _chat.guess_language("直骨") == "zh-Hant"
    assert _chat.guess_language("予約です") == "ja"
    assert _chat.guess_language("Hello") == "en"


@pytest.mark.parametrize("doc", [hostile_spec(), hostile_template_key(), hostile_flexible()])
def test_hostile_text_is_escaped(catalogue, doc) -> None:  # type: ignore[no-untyped-def]
    html = build_html(doc, lang="en", catalogue=catalogue)
    body = html.split("<body", 1)[1]
    for tag in ("<script", "<img", "<iframe", "<a ", "<b ", "<svg onload", "</title><"):
        assert tag not in body.replace("<svg class", "").replace("<svg width", "")
    assert "javascript:window.__pwned=3" not in html and 'href="' not in body
    assert "Content-Security-Policy" in html and "default-src 'none'" in html
    assert "&lt;script&gt;" in html


def test_width_theme_and_language_tags_are_checked(catalogue) -> None:  # type: ignore[no-untyped-def]
    assert "--w: 320px" in build_html(spec(), lang="ja", width=320, catalogue=catalogue)
    assert 'class="theme-dark"' in build_html(spec(), lang="ja", theme="dark", catalogue=catalogue)
    for bad in ({"width": 500}, {"theme": "sepia"}, {"lang": "not a tag!"}):
        with pytest.raises(UsageError):
            build_html(spec(), **{"lang": "ja", **bad}, catalogue=catalogue)  # type: ignore[arg-type]


def test_shard_parsing() -> None:
    assert parse_shard("2/4") == (2, 4) and parse_shard(None) is None
    for bad in ("0/2", "3/2", "x", "1-2"):
        with pytest.raises(UsageError):
            parse_shard(bad)


# --- gettext catalogues ------------------------------------------------------------------------------


def _template_msgids() -> set[str]:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(_chat.TEMPLATES)))
    ids = set()
    for name in env.list_templates(extensions=["j2"]):
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        ids.update(msg for _, _, msg in extract_from_ast(env.parse(source), gettext_functions=("t", "mt"))
                   if isinstance(msg, str))
    return ids


@pytest.mark.parametrize("lang", _chat.APP_LANGUAGES)
def test_po_catalogue_complete(lang: str) -> None:
    path = _chat.LOCALE_DIR / lang.replace("-", "_") / "LC_MESSAGES" / "lnm.po"
    with path.open("rb") as handle:
        catalog = read_po(handle)
    wanted = _template_msgids()
    assert "Important notification" in wanted and len(wanted) >= 5
    have = {m.id: m.string for m in catalog if m.id}
    assert set(have) == wanted, "every string the templates use is in the catalogue, and nothing else"
    assert all(have.values()), "no untranslated entries"
    assert _chat.translator(lang).gettext("Important notification") == LABELS[lang]


def test_code_fingerprint_covers_assets_and_renderer_version(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    first = preview.code_fingerprint()
    assert re.fullmatch(r"[0-9a-f]{64}", first) and preview.code_fingerprint() == first
    copy = tmp_path / "templates"
    shutil.copytree(_chat.TEMPLATES, copy)
    monkeypatch.setattr(_chat, "TEMPLATES", copy)
    assert preview.code_fingerprint() == first, "same files, same fingerprint"
    (copy / "chat.css").write_text((copy / "chat.css").read_text(encoding="utf-8") + "\n/* x */\n",
                                   encoding="utf-8")
    edited = preview.code_fingerprint()
    assert edited != first
    monkeypatch.setattr("toolkit.render.browser.RENDERER_VERSION", 999)
    assert preview.code_fingerprint() not in (first, edited)
    # the contact sheet layout counts for the gallery, not for each image's renderer hash
    images_only = preview.code_fingerprint(sheets=False)
    monkeypatch.setattr("toolkit.render.contact_sheet.LAYOUT_VERSION", "999")
    assert preview.code_fingerprint(sheets=False) == images_only and preview.code_fingerprint() != edited


# --- golden HTML ----------------------------------------------------------------------------------

GOLDEN_DIR = Path(__file__).parent / "data" / "preview"


@pytest.mark.parametrize("name,doc,lang", [("template.th", spec(), "th"), ("flexible.zh-Hant", FLEXIBLE, "zh-Hant")])
def test_html_matches_golden(catalogue, name: str, doc, lang: str) -> None:  # type: ignore[no-untyped-def]
    """The whole page, so any change to the markup is seen in review. LNM_UPDATE_GOLDENS=1 rewrites."""
    import os

    html = build_html(doc, lang=lang, catalogue=catalogue)
    golden = GOLDEN_DIR / f"{name}.html"
    if os.environ.get("LNM_UPDATE_GOLDENS") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(html, encoding="utf-8")
    assert golden.is_file(), f"missing {golden}; run with LNM_UPDATE_GOLDENS=1"
    assert html == golden.read_text(encoding="utf-8"), f"{golden} differs; review, then LNM_UPDATE_GOLDENS=1"
