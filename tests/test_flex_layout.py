"""The Simulator's layout details (flex-rendering.md section 2 item 13), measured in real Chromium.

Each test reads computed boxes of the rendered page; the expected numbers come from the table the
renderer draws with (``templates/flex.json``), whose new entries the first test pins to the spec.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from toolkit.render.chat import TEMPLATES
from toolkit.render.flex import css_variables, render_container, table
from toolkit.render.preview import build_html

from .preview_support import ShotSession, flex_box, flex_text

T = table()


Session = ShotSession


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    s = Session()
    yield s
    s.close()


text, box = flex_text, flex_box


def page(body: dict[str, Any], **bubble: Any) -> str:
    doc = {"messages": [{"type": "flex", "altText": "m",
                         "contents": {"type": "bubble", "body": body, **bubble}}]}
    return build_html(doc, lang="en", width=414)


_BOXES = """(ids) => Object.fromEntries(ids.map((id) => {
  const el = [...document.querySelectorAll('.fx-t')].find((e) => e.textContent === id)?.closest('.fx-text')
      ?? document.querySelector(`[data-probe="${id}"]`);
  if (!el) return [id, null];
  const r = el.getBoundingClientRect(), c = getComputedStyle(el);
  return [id, {top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: r.width, height: r.height,
               border: c.borderTopWidth, borderColor: c.borderTopColor, borderStyle: c.borderTopStyle,
               shadow: c.boxShadow}];
}))"""


def boxes(session: Session, html: str, ids: list[str], *, width: int = 414) -> dict[str, Any]:
    """The boxes of texts (by their text) and of boxes marked ``data-probe`` (see :func:`probe`)."""
    session.load(html, width)
    got: dict[str, Any] = session.evaluate(_BOXES, ids)
    assert all(got.values()), f"not rendered: {[k for k, v in got.items() if not v]}"
    return got


def probe(html: str, *names: str) -> str:
    """Mark the boxes whose background is ``#0000NN`` (NN = 01, 02, ...) as ``data-probe=name``."""
    for index, name in enumerate(names, start=1):
        colour = f"background-color: #0000{index:02x}"
        assert html.count(colour) == 1, name
        at = html.index(colour)
        start = html.rindex("<div", 0, at)
        html = f'{html[:start]}<div data-probe="{name}"{html[start + 4:]}'
    return html


def tag(index: int) -> str:
    return f"#0000{index:02x}"


def test_table_holds_the_simulator_details() -> None:
    assert T["separator"]["space"] == 0 and T["icon"]["lineHeight"] == 1.4 and T["filler"]["flex"] == 1
    assert T["bubbleWidth"]["giga"] - 2 * T["bubbleSideMargin"]["giga"] == 486
    assert T["carousel"] == {"share": 0.8, "before": 7, "between": 9, "after": 7}


def test_separators_take_no_space(session: Session) -> None:
    seps = [{"type": "separator"} for _ in range(10)]
    body = box("vertical", [
        box("vertical", [text("with-a"), *seps, text("with-b")], backgroundColor=tag(1)),
        box("vertical", [text("without-a"), text("without-b")], backgroundColor=tag(2)),
        box("vertical", [text("m-a"), {"type": "separator", "margin": "xl"}, text("m-b")]),
        box("horizontal", [text("h-a", flex=0), *seps, text("h-b", flex=0)])])
    got = boxes(session, probe(page(body), "with", "without"),
                ["with", "without", "with-a", "with-b", "m-a", "m-b", "h-a", "h-b"])
    assert got["with"]["height"] == got["without"]["height"], "ten separators add no height"
    assert got["with-b"]["top"] == got["with-a"]["bottom"]
    assert got["m-b"]["top"] - got["m-a"]["bottom"] == T["spacing"]["xl"], "a separator's margin still counts"
    assert got["h-b"]["left"] == got["h-a"]["right"], "no width in a horizontal box either"
    lines = session.evaluate("""() => [...document.querySelectorAll('.fx-sep')].map((e) => {
        const c = getComputedStyle(e, '::after'), r = e.getBoundingClientRect();
        return [r.height, c.height, c.backgroundColor, r.width, c.width]; })""")
    horizontal, vertical = lines[0], lines[-1]
    hair = f"{T['separator']['width']}px"
    assert horizontal[:3] == [0, hair, "rgb(212, 214, 218)"], "a hairline is still painted"
    assert vertical[3:] == [0, hair]


def test_icon_row_is_its_line_box_tall(session: Session) -> None:
    icon = {"type": "icon", "url": "https://example.com/i.png", "size": "3xl"}
    body = box("vertical", [
        box("baseline", [icon, text("icon-text", size="sm")], backgroundColor=tag(1)),
        box("baseline", [text("plain", size="sm")], backgroundColor=tag(2)),
        box("baseline", [{**icon, "size": "md"}, text("small-icon", size="xl")], backgroundColor=tag(3))])
    got = boxes(session, probe(page(body), "icon-row", "text-row", "small-row"),
                ["icon-row", "text-row", "small-row", "icon-text"])
    icon_px = T["textSize"]["3xl"]
    assert abs(got["icon-row"]["height"] - icon_px * T["icon"]["lineHeight"]) < 1, got["icon-row"]  # ~49, not 41
    assert abs(got["text-row"]["height"] - T["textSize"]["sm"] * T["lineHeight"]) < 0.6
    assert abs(got["small-row"]["height"] - T["textSize"]["xl"] * T["lineHeight"]) < 1, "the text is taller here"
    shapes = session.evaluate("""() => [...document.querySelectorAll('[data-media=icon]')].map((e) => {
        const r = e.getBoundingClientRect(); return [r.width, r.height, r.bottom]; })""")
    assert shapes[0][:2] == [icon_px, icon_px]
    baseline = session.evaluate("""() => { const t = [...document.querySelectorAll('.fx-t')]
        .find((e) => e.textContent === 'icon-text'); const probe = document.createElement('span');
        probe.style.cssText = 'display:inline-block;width:0;height:0;vertical-align:baseline';
        t.append(probe); return probe.getBoundingClientRect().bottom; }""")
    assert abs(shapes[0][2] - baseline) < 0.6, "the icon stands on the text's baseline"


def test_fillers_grow_in_vertical_boxes(session: Session) -> None:
    filler = {"type": "filler"}
    row = box("baseline", [filler, {"type": "icon", "url": "https://example.com/i.png"},
                           text("Add to cart", flex=0), filler], spacing="sm")
    body = box("vertical", [
        box("vertical", [filler, text("centred"), filler], height="100px", backgroundColor=tag(1)),
        box("vertical", [filler, row, filler], height="40px", borderWidth="1px", borderColor="#ffffff",
            spacing="sm", backgroundColor=tag(2)),
        box("vertical", [text("pushed"), filler, text("down")], height="80px", backgroundColor=tag(3))])
    got = boxes(session, probe(page(body), "hundred", "apparel", "eighty"),
                ["hundred", "apparel", "eighty", "centred", "Add to cart", "pushed", "down"])
    above = got["centred"]["top"] - got["hundred"]["top"]
    below = got["hundred"]["bottom"] - got["centred"]["bottom"]
    assert above > 30 and abs(above - below) < 0.6, (above, below)
    cart, frame = got["Add to cart"], got["apparel"]
    icon_line = 16 * T["icon"]["lineHeight"]
    gap = T["spacing"]["sm"]  # before the row, not before the fillers
    row_top = frame["top"] + 1 + gap + (40 - 2 - gap - icon_line) / 2  # LINE's Apparel showcase
    assert abs(session.evaluate("""() => document.querySelector('.fx-iconline').closest('.fx-box')
        .getBoundingClientRect().top""") - row_top) < 0.6
    assert cart["top"] > frame["top"] + 9, "no longer 4 px too high"
    assert abs(got["down"]["bottom"] - got["eighty"]["bottom"]) < 0.6, "the filler takes the free space"


def test_horizontal_boxes_take_the_full_width(session: Session) -> None:
    body = box("vertical", [
        box("horizontal", [text("h-left", flex=0)], backgroundColor=tag(1)),
        box("vertical", [text("v-shrinks")], backgroundColor=tag(2)),
        box("horizontal", [text("h-fixed", flex=0)], width="100px", backgroundColor=tag(3)),
    ], alignItems="center", backgroundColor=tag(4))
    got = boxes(session, probe(page(body), "horizontal", "vertical", "fixed", "parent"),
                ["horizontal", "vertical", "fixed", "parent", "h-left"])
    parent = got["parent"]
    inner = parent["width"] - 2 * T["blockPadding"]["mega"]["body"][1]
    assert got["horizontal"]["width"] == inner and got["h-left"]["left"] == got["horizontal"]["left"]
    assert got["vertical"]["width"] < inner, "a vertical box still follows alignItems"
    fixed = got["fixed"]
    assert fixed["width"] == 100 and abs((fixed["left"] + fixed["right"]) / 2 - (parent["left"] + parent["right"]) / 2) < 0.6


def test_border_colour_alone_and_border_width_alone(session: Session) -> None:
    body = box("vertical", [
        box("vertical", [text("colour-only")], borderColor="#ff0000", backgroundColor=tag(1)),
        box("vertical", [text("width-only")], borderWidth="medium", backgroundColor=tag(2)),
        box("vertical", [text("both")], borderWidth="semi-bold", borderColor="#00ff00", backgroundColor=tag(3)),
        box("vertical", [text("light-only")], borderWidth="light", backgroundColor=tag(4))])
    got = boxes(session, probe(page(body), "c", "w", "b", "l"), ["c", "w", "b", "l", "colour-only", "width-only"])
    assert got["c"]["border"] == "0px" and got["c"]["shadow"] == "none", "borderColor alone draws no border"
    assert got["colour-only"]["top"] == got["c"]["top"]
    width_only = got["w"]
    assert width_only["border"] == "2px" and width_only["borderColor"] == "rgba(0, 0, 0, 0)", "transparent"
    assert got["width-only"]["top"] - width_only["top"] == 2, "it still takes its width"
    assert got["b"]["border"] == "3px" and got["b"]["borderColor"] == "rgb(0, 255, 0)"
    assert "rgba(0, 0, 0, 0)" in got["l"]["shadow"] or got["l"]["shadow"] == "none"


def test_negative_offsets(session: Session) -> None:
    body = box("vertical", [
        box("vertical", [text("up", offsetTop="-2px"), text("left", offsetStart="-10px")], backgroundColor=tag(1)),
        box("vertical", [text("anchor"), box("vertical", [text("abs")], position="absolute", offsetTop="-5px",
                                                          offsetStart="-10%", backgroundColor=tag(2))],
            backgroundColor=tag(3))])
    got = boxes(session, probe(page(body), "first", "absolute", "holder"),
                ["first", "absolute", "holder", "up", "left"])
    assert got["up"]["top"] - got["first"]["top"] == -2
    assert got["left"]["left"] - got["first"]["left"] == -10
    holder = got["holder"]
    assert got["absolute"]["top"] - holder["top"] == -5
    assert abs(got["absolute"]["left"] - holder["left"] + holder["width"] / 10) < 0.6, "% of the parent's width"


def test_absolute_full_image_fills_its_parent(session: Session) -> None:
    image = {"type": "image", "url": "https://example.com/bg.png", "size": "full", "aspectRatio": "2:1",
             "aspectMode": "cover", "position": "absolute"}
    body = box("vertical", [box("vertical", [text("over it")], paddingAll="40px"), image],
               paddingAll="0px", backgroundColor=tag(1))
    got = boxes(session, probe(page(body), "body"), ["body"])
    media = session.evaluate("""() => { const r = document.querySelector('[data-media=image]')
        .getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; }""")
    assert media == [got["body"]["left"], got["body"]["top"], got["body"]["width"], got["body"]["width"] / 2]


def test_giga_bubbles_are_486_px_wide(session: Session) -> None:
    """On a screen with room for it (the Simulator's), a giga bubble is 500 - 2 x 7 px wide."""
    drawn = render_container({"type": "bubble", "size": "giga", "body": box("vertical", [text("giga")])})
    assert drawn is not None
    styles = "".join((TEMPLATES / name).read_text(encoding="utf-8") for name in ("chat.css", "flex.css"))
    html = (f"<!DOCTYPE html><html lang='en'><head><style>{styles} :root {{ {css_variables()} }}</style></head>"
            f"<body><div id='phone' style='width: 700px'>{drawn.html}</div></body></html>")
    session.load(html, 700)
    width = session.evaluate("() => document.querySelector('.fx-bubble').getBoundingClientRect().width")
    assert width == 486
