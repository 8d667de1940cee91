"""``lnm serve``: the toggle that outlines texts with a contrast finding, in real Chromium."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from .test_review_serve import Server, _get

BODY = "/messages/0/contents/body/contents"
FOOTER = "/messages/0/contents/footer/contents"


def _spec() -> dict[str, object]:
    def text(words: str, **kw: object) -> dict[str, object]:
        return {"type": "text", "text": words, **kw}

    return {
        "kind": "flexible", "language": "en",
        "messages": [{"type": "flex", "altText": "Your order {{ order }} has shipped", "contents": {
            "type": "bubble",
            "body": {"type": "box", "layout": "vertical", "contents": [
                text("Your order has shipped", weight="bold"),                      # default colour: passes
                text("Order {{ order }}", color="#AAAAAA"),                          # 2.32:1: fails
                text("Arrives Saturday", color="#AAAAAA"),                           # the same pair: outlined too
                {"type": "text", "contents": [{"type": "span", "text": "Total "},
                                              {"type": "span", "text": "$120", "color": "#BBBBBB"}]},
                {"type": "box", "layout": "vertical", "backgroundColor": "#333333",
                 "contents": [text("Paid", color="#FFFFFF")]},                       # passes
            ]},
            "footer": {"type": "box", "layout": "vertical", "contents": [
                {"type": "button", "style": "primary",                                # LINE's default green: G081
                 "action": {"type": "uri", "label": "Track", "uri": "https://shop.example.jp/o"}},
                {"type": "button", "style": "link",
                 "action": {"type": "uri", "label": "Help", "uri": "https://shop.example.jp/h"}},
            ]},
        }}],
        "samples": {"default": {"order": "A123"}},
    }


FAILING = {f"{BODY}/1", f"{BODY}/2", f"{BODY}/3/contents/1", f"{FOOTER}/0"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("serve-contrast")
    specs = root / "specs"
    specs.mkdir()
    (specs / "faint.json").write_text(json.dumps(_spec()), encoding="utf-8")
    server = Server(root, "specs", "--port", "0")
    yield server, specs
    code, _ = server.stop()
    assert code == 0


def _outlined(frame) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    """(pointers of every marked element, pointers of those drawn with an outline)."""
    marks = frame.locator("[data-path]").evaluate_all(
        "els => els.map(e => [e.dataset.path, getComputedStyle(e).outlineStyle])")
    return {p for p, _ in marks}, {p for p, style in marks if style != "none"}


def test_toggle_outlines_exactly_the_failing_texts(site, browser) -> None:  # type: ignore[no-untyped-def]
    server, specs = site
    page = browser.new_page()
    try:
        page.goto(server.url + "#path=specs/faint.json")
        frame = page.frame_locator("#frames iframe")
        frame.locator(".fx-bubble").wait_for()
        assert frame.locator("[data-path]").count() == 0  # off: the frame is the screenshot's HTML
        assert not page.locator("#outline").is_checked()

        page.locator("#outline").check()
        frame.locator("#lnm-outline").wait_for(state="attached")
        frame.locator("[data-path]").first.wait_for(state="attached")
        marked, outlined = _outlined(frame)
        assert outlined == FAILING
        assert {f"{BODY}/0", f"{BODY}/4/contents/0", f"{FOOTER}/1"} <= marked - outlined
        assert "outline=1" in page.url

        page.reload()  # the choice lives in the address
        frame = page.frame_locator("#frames iframe")
        frame.locator("#lnm-outline").wait_for(state="attached")
        assert page.locator("#outline").is_checked()
        assert _outlined(frame)[1] == FAILING

        page.locator("#outline").uncheck()
        frame.locator(".fx-bubble").wait_for()
        page.wait_for_function("() => !document.querySelector('#frames iframe').src.includes('outline=')")
        frame.locator("[data-path]").first.wait_for(state="detached")
        assert frame.locator("#lnm-outline").count() == 0
    finally:
        page.close()


def test_suppressed_rules_outline_nothing(site) -> None:  # type: ignore[no-untyped-def]
    server, specs = site
    spec = _spec()
    spec["suppress"] = [{"rule": "low-text-contrast", "reason": "brand greys agreed with the client"},
                        {"rule": "G081", "reason": "LINE's own button, kept knowingly"}]
    (specs / "suppressed.json").write_text(json.dumps(spec), encoding="utf-8")
    status, html = _get(server.url + "frame?path=specs/suppressed.json&lang=en&outline=contrast")
    assert status == 200 and 'data-path="' in html and "lnm-outline" not in html
    status, html = _get(server.url + "frame?path=specs/faint.json&lang=en&outline=contrast")
    assert status == 200 and html.count("[data-path=") == len(FAILING)


def test_the_renderer_marks_paths_only_when_asked() -> None:
    """Carousel bubbles keep their own index (a skipped entry does not shift the next one's pointer)."""
    from toolkit.render.preview import build_html

    bubble = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "Shipped"}, {"type": "button", "action": {"type": "uri", "label": "Track",
                                                                           "uri": "https://shop.kawase.jp/o"}}]}}
    body = {"messages": [{"type": "text", "text": "hello"}, {"type": "flex", "altText": "Shipped", "contents": {
        "type": "carousel", "contents": [bubble, {"type": "nonsense"}, bubble]}}]}
    assert "data-path" not in build_html(body, lang="en")
    html = build_html(body, lang="en", mark_paths=True)
    for j in (0, 2):
        for k in (0, 1):
            assert f'data-path="/messages/1/contents/contents/{j}/body/contents/{k}"' in html
    assert "/contents/contents/1/" not in html
