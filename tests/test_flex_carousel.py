"""Carousels as the app shows them: in the chat screenshot the first bubble whole and the next one cut
off at the screen's edge; in a second image the whole row, every bubble at the same scale. Bubbles
share the tallest height and their footers line up. Real Chromium, real PNGs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from toolkit.render.flex import render_container, table
from toolkit.render.preview import build_html, render_previews

from .flex_samples import flex_document
from .preview_support import ShotSession

T = table()
BETWEEN = T["carousel"]["between"]
WHITE = (255, 255, 255)


Session = ShotSession


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    s = Session()
    yield s
    s.close()


def bubble(number: int, lines: int, *, footer: bool = True, size: str | None = None) -> dict[str, Any]:
    body = {"type": "box", "layout": "vertical",
            "contents": [{"type": "text", "text": f"bubble {number} line {j}", "size": "xl"} for j in range(lines)]}
    out: dict[str, Any] = {"type": "bubble", "body": body}
    if footer:
        out["footer"] = {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary",
             "action": {"type": "uri", "label": f"footer {number}", "uri": "https://example.com"}}]}
    if size:
        out["size"] = size
    return out


THREE = {"type": "carousel", "contents": [bubble(1, 2), bubble(2, 6), bubble(3, 3)]}

_GEOMETRY = """() => {
  const phone = document.getElementById('phone').getBoundingClientRect();
  const bubbles = [...document.querySelectorAll('.fx-bubble')].map((b) => {
    const r = b.getBoundingClientRect(), f = b.querySelector('.fx-btn')?.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, height: r.height, footer: f ? f.top : null}; });
  const col = document.querySelector('.msg-line')?.getBoundingClientRect();
  return {phone: {left: phone.left, right: phone.right, width: phone.width}, bubbles, col: col ? col.left : null};
}"""


@pytest.mark.parametrize("width", [320, 375, 414])
def test_chat_view_shows_the_first_bubble_and_cuts_the_next(session: Session, width: int) -> None:
    session.load(build_html(flex_document(THREE), lang="en", width=width), width)
    got = session.evaluate(_GEOMETRY)
    phone, (first, second, third) = got["phone"], got["bubbles"]
    assert first["left"] == got["col"], "the first bubble starts where the chat's messages start"
    assert first["right"] <= phone["right"], "bubble 1 is whole"
    assert second["left"] == first["right"] + BETWEEN
    assert second["left"] < phone["right"] < second["right"], "bubble 2 is cut off at the screen's edge"
    assert third["left"] > phone["right"]
    assert first["right"] - first["left"] == min(300, T["carousel"]["share"] * width)
    assert first["height"] == second["height"] == third["height"], "as tall as the tallest"
    assert first["footer"] == second["footer"] == third["footer"], "footers line up"


def test_a_bubble_without_a_body_keeps_its_height(session: Session) -> None:
    header_only = {"type": "bubble", "size": "micro", "header": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "no body"}]}}
    carousel = {"type": "carousel", "contents": [bubble(1, 1, size="micro"), bubble(2, 6, size="micro"), header_only]}
    session.load(build_html(flex_document(carousel), lang="en", width=375), 375)
    heights = [b["height"] for b in session.evaluate(_GEOMETRY)["bubbles"]]
    assert heights[0] == heights[1] > heights[2], heights
    drawn = render_container(carousel, carousel="row")
    assert drawn is not None and drawn.bubbles == 3
    assert drawn.row_width == T["carousel"]["before"] + 3 * 160 + 2 * BETWEEN + T["carousel"]["after"]


def _runs(image: Image.Image, y: int) -> list[tuple[int, int]]:
    """The white runs (bubbles) along the pixel row ``y``: (first x, last x) each."""
    runs: list[tuple[int, int]] = []
    start = None
    for x in range(image.width):
        white = image.getpixel((x, y))[:3] == WHITE
        if white and start is None:
            start = x
        elif not white and start is not None:
            runs.append((start, x - 1))
            start = None
    if start is not None:
        runs.append((start, image.width - 1))
    return runs


def test_two_images_per_carousel_named_by_the_sidecar(tmp_path: Path) -> None:
    """A three-bubble carousel: bubble 1 whole and bubble 2 cut off at the right edge in the chat
    screenshot; all three, at the same scale, in the whole-row image; footers at one height."""
    (tmp_path / "three.json").write_text(json.dumps(flex_document(THREE)), encoding="utf-8")
    (tmp_path / "single.json").write_text(json.dumps(flex_document(bubble(1, 2))), encoding="utf-8")
    out = tmp_path / "out"
    run = render_previews([tmp_path / "three.json", tmp_path / "single.json"], langs=["en"], out_dir=out,
                          use_cache=False, html=True)
    images = {Path(m.source).stem: m.images[0] for m in run.messages}
    three, single = images["three"], images["single"]
    assert single.row is None and "carousel" not in json.loads(single.sidecar.read_text(encoding="utf-8"))
    assert three.row == out / "three.en.row.png" and three.row.is_file() and (out / "three.en.row.html").is_file()
    side = json.loads(three.sidecar.read_text(encoding="utf-8"))
    assert side["carousel"]["chat"] == "three.en.png" and side["carousel"]["row"] == "three.en.row.png"
    scale = 2
    whole = (T["carousel"]["before"] + 3 * 300 + 2 * BETWEEN + T["carousel"]["after"]) * scale
    assert (side["carousel"]["rowImage"]["width"], side["carousel"]["rowImage"]["height"]) == three.row_size
    assert three.row_size[0] == whole and three.size[0] == 375 * scale

    with Image.open(three.png) as chat, Image.open(three.row) as row:
        chat, row = chat.convert("RGB"), row.convert("RGB")
        # A pixel row in the bubbles' top padding, below their rounded corners (mega: 17 px).
        below = (T["bubbleRadius"]["mega"] + 1) * scale
        y = next(y for y in range(chat.height // 8, chat.height) if chat.getpixel((650, y)) == WHITE) + below
        runs = _runs(chat, y)
        assert len(runs) == 2 and runs[1][1] == chat.width - 1, f"bubble 1, then bubble 2 cut at the edge: {runs}"
        bubble_px = runs[0][1] - runs[0][0] + 1
        assert bubble_px == 300 * scale and runs[1][1] - runs[1][0] + 1 < bubble_px
        row_runs = _runs(row, next(y for y in range(row.height) if row.getpixel((300, y)) == WHITE) + below)
        assert [b - a + 1 for a, b in row_runs] == [bubble_px] * 3, f"every bubble at the same scale: {row_runs}"
        assert row_runs[0][0] == T["carousel"]["before"] * scale
        assert row_runs[1][0] - row_runs[0][1] - 1 == BETWEEN * scale
        # The footers (primary buttons) start at one height in every bubble.
        green = [next(y for y in range(row.height) if row.getpixel((a + bubble_px // 2, y))[1] > 150
                      and row.getpixel((a + bubble_px // 2, y))[0] < 100) for a, _ in row_runs]
        assert len(set(green)) == 1, green

    again = render_previews([tmp_path / "three.json"], langs=["en"], out_dir=out)
    assert again.cached == 1 and not again.launched and again.messages[0].images[0].row_size == three.row_size
    three.row.unlink()
    assert render_previews([tmp_path / "three.json"], langs=["en"], out_dir=out).rendered == 1, \
        "a missing row image is drawn again"


def test_the_visual_check_covers_the_whole_row(tmp_path: Path) -> None:
    """Bubble 3 is off the chat screen: a change to it shows only in the whole-row image, which
    ``lnm preview --check`` compares too."""
    from .conftest import run_lnm

    spec = tmp_path / "three.json"
    spec.write_text(json.dumps(flex_document(THREE)), encoding="utf-8")
    args = ("preview", "three.json", "--lang", "en", "--out", "shots", "--check", "approved")
    made = run_lnm(*args, "--update", cwd=tmp_path)
    assert made.code == 0, made.err
    assert (tmp_path / "approved" / "three.en.row.png").is_file() and (tmp_path / "approved" / "three.en.json").is_file()
    changed = json.loads(json.dumps(THREE))
    changed["contents"][2]["body"]["contents"][0]["text"] = "bubble 3 changed"
    spec.write_text(json.dumps(flex_document(changed)), encoding="utf-8")
    result = run_lnm(*args, cwd=tmp_path)
    assert result.code == 1, result.err
    assert "three.en.row.png: " in result.err and "pixel(s) changed" in result.err
    assert "2 image(s), 1 changed, 1 same" in result.err, "the chat screen does not show bubble 3"
