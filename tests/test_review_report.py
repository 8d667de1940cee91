"""``lnm review``: the real command writes the report; headless Chromium opens it from the disk."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_lnm


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    root = tmp_path_factory.mktemp("review")
    (root / ".git").mkdir()
    specs = root / "specs"
    specs.mkdir()
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", specs / "shipment.json")
    shutil.copy(EXAMPLES / "TH" / "login_alert_th.json", specs / "login.json")
    made = run_lnm("preview", "specs", "--lang", "ja,en", "--out", "shots", "--check", "approved", "--update",
                   cwd=root)
    assert made.code == 0, made.err
    assert run_lnm("approve", "specs/login.json", "--by", "Somchai", cwd=root).code == 0
    spec = specs / "shipment.json"
    data = json.loads(spec.read_text(encoding="utf-8"))
    data["preview"]["accountName"] = "くもや本舗 新館"  # changes the picture, not what is sent
    data["samples"]["default"]["order"]["number"] = "7654321"  # changes what is sent
    spec.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run_lnm("review", "specs", "--out", "report", "--baseline", "approved", "--require-approved",
                     cwd=root)
    assert result.code == 1, result.err
    yield root, result.err


def test_report_files_and_approvals(report) -> None:  # type: ignore[no-untyped-def]
    root, err = report
    assert "specs/shipment.json: not approved" in err and "login" not in err.split("lnm review:")[0]
    out = root / "report"
    for theme in ("light", "dark"):
        for lang in ("ja", "th", "zh-Hant", "zh-Hans", "en"):
            assert (out / "images" / theme / f"shipment.{lang}.png").is_file()
    assert (out / "images" / "diff" / "shipment.ja.png").is_file()
    assert (out / "images" / "before" / "shipment.ja.png").is_file()
    assert not (out / "images" / "diff" / "login.ja.png").exists()  # unchanged against the baseline
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "7654321" in html  # the built body
    assert "approved by Somchai" in html


def test_report_in_a_browser(report) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    from toolkit.render.preview import find_browser

    root, _ = report
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(), headless=True,
                                     args=["--no-sandbox"] if os.geteuid() == 0 else [])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.goto((root / "report" / "index.html").as_uri())
        assert page.locator("#count").inner_text() == "2 of 2 shown"
        first = page.locator("article.message").first
        images = first.locator("img")
        assert images.count() == 10
        assert images.first.get_attribute("loading") == "lazy"
        images.first.scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=images.first.element_handle())
        for image in first.locator("img").all():
            assert image.get_attribute("alt")

        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "m1"
        page.keyboard.press("j")
        assert page.evaluate("document.activeElement.id") == "m2"
        _assert_below_the_header(page, "m2")
        page.keyboard.press("k")
        assert page.evaluate("document.activeElement.id") == "m1"
        _assert_below_the_header(page, "m1")
        page.set_viewport_size({"width": 700, "height": 800})  # the filters wrap: a taller header
        page.keyboard.press("j")
        _assert_below_the_header(page, "m2")

        page.locator("#f-changed").check()
        assert page.locator("#count").inner_text() == "1 of 2 shown"
        assert page.locator("article.message:visible h2").inner_text() == "Shipment completed: frozen soup set"
        assert page.locator("article.message:visible .change img").count() == 6  # ja, en: before, after, diff
        page.locator("#f-changed").uncheck()
        page.locator("#f-country").select_option("TH")
        assert page.locator("#count").inner_text() == "1 of 2 shown"
        page.locator("#f-country").select_option("")
        page.locator("#f-errors").check()
        assert page.locator("#count").inner_text() == "0 of 2 shown"
        assert errors == []
        browser.close()


def _assert_below_the_header(page, anchor: str) -> None:  # type: ignore[no-untyped-def]
    """The message's title, path and approval line are in view, not under the sticky header."""
    header = page.locator("body > header").bounding_box()
    assert page.evaluate("window.scrollY") > 0
    for part in (f"#{anchor} h2", f"#{anchor} .meta"):
        box = page.locator(part).bounding_box()
        assert box["y"] >= header["y"] + header["height"], (part, box, header)
        assert box["y"] + box["height"] <= page.viewport_size["height"], (part, box)


@pytest.mark.parametrize(("args", "expected"), [
    (["missing", "--out", "r"], "lnm: missing: no such file or directory"),
    (["specs", "--out", "r", "--baseline", "nowhere"],
     "lnm: --baseline nowhere: no such folder (make one with lnm preview --check DIR --update)"),
    (["bad.json", "--out", "r"], "lnm: bad.json:1:2: invalid JSON: Expecting property name enclosed in double quotes"),
])
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    (tmp_path / "specs").mkdir()
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "specs" / "a.json")
    (tmp_path / "bad.json").write_text("{oops", encoding="utf-8")
    result = run_lnm("review", *args, cwd=tmp_path)
    assert (result.code, result.err.splitlines()) == (2, [expected])


def test_flexible_specs_take_their_country_from_their_language() -> None:
    from toolkit.review.specs import inspect_file
    from toolkit.spec.catalogue import load_catalogue

    for path in sorted(EXAMPLES.glob("*/flex_*.json")):
        view = inspect_file(str(path), str(path), load_catalogue())
        assert (view.kind, view.country) == ("flexible", path.parent.name), path


def test_a_carousel_shows_its_whole_row(tmp_path: Path) -> None:
    """The report shows a carousel's chat screens and, below them, its whole row in each language and theme."""
    from toolkit.review.report import LANGS, THEMES, write_report

    spec = tmp_path / "specs" / "tickets.json"
    spec.parent.mkdir()
    shutil.copy(EXAMPLES / "TW" / "flex_train_tickets_carousel_tw.json", spec)
    report = write_report([str(spec.parent)], tmp_path / "report")
    assert report.images == 2 * len(LANGS) * len(THEMES)
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert html.count("the carousel&#39;s whole row, app language") == len(LANGS) * len(THEMES)
    for theme in THEMES:
        for lang in LANGS:
            assert (tmp_path / "report" / "images" / theme / f"tickets.{lang}.row.png").is_file()
            assert f'src="images/{theme}/tickets.{lang}.row.png"' in html
