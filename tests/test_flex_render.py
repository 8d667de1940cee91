"""The Flex renderer in real Chromium: every keyword gives its documented pixels, the 70 real-world
samples render offline, the 13 LINE showcase samples match their golden screenshots.

Measurements read computed styles and boxes in the rendered DOM; the expected numbers come from
``templates/flex.json`` (the one table the renderer draws with), which the first test pins to the
values of ``shared/spec/flex-rendering.md``.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from toolkit.render.flex import render_container, table
from toolkit.render.preview import build_html
from toolkit.render.visual import DEFAULT_MAX_DIFF_RATIO, DEFAULT_TOLERANCE, compare_images

from .flex_samples import SAMPLES, SHOWCASE, load_samples, render_all
from .preview_support import ShotSession, flex_box, flex_text

GOLDEN = Path(__file__).parent / "data" / "flex"
UPDATE = "LNM_UPDATE_GOLDENS=1 .venv/bin/python -m pytest tests/test_flex_render.py"
T = table()

needs_samples = pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"no Flex samples at {SAMPLES}")


Session = ShotSession


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    s = Session()
    yield s
    s.close()


text, box = flex_text, flex_box


def bubble(body: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "bubble", "body": body, **props}


def page(*containers: dict[str, Any], theme: str = "light") -> str:
    doc = {"messages": [{"type": "flex", "altText": "m", "contents": c} for c in containers]}
    return build_html(doc, lang="en", width=414, theme=theme)


# Boxes and styles of elements found by the marker text they hold.
_MEASURE = """(markers) => {
  const out = {};
  const texts = [...document.querySelectorAll('.fx-t, .fx-label')];
  for (const m of markers) {
    const el = texts.find(e => e.textContent === m);
    if (!el) { out[m] = null; continue; }
    const cs = getComputedStyle(el), r = el.getBoundingClientRect();
    const wrapper = el.closest('.fx-text, .fx-button');
    const boxEl = wrapper.parentElement, bs = getComputedStyle(boxEl), br = boxEl.getBoundingClientRect();
    const wr = wrapper.getBoundingClientRect();
    out[m] = {fontSize: cs.fontSize, lineHeight: cs.lineHeight, weight: cs.fontWeight, color: cs.color,
      left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height,
      wLeft: wr.left, wRight: wr.right, wTop: wr.top, wBottom: wr.bottom, wWidth: wr.width,
      scrollWidth: el.scrollWidth, clientWidth: el.clientWidth, align: cs.textAlign,
      box: {top: br.top, left: br.left, right: br.right, bottom: br.bottom, width: br.width,
        padTop: bs.paddingTop, padRight: bs.paddingRight, padBottom: bs.paddingBottom, padLeft: bs.paddingLeft,
        radius: bs.borderTopLeftRadius, border: bs.borderTopWidth, image: bs.backgroundImage,
        shadow: bs.boxShadow}};
    const btn = el.closest('.fx-btn');
    if (btn) { const b = btn.getBoundingClientRect(); out[m].button = {height: b.height, bg: getComputedStyle(btn).backgroundColor}; }
  }
  return out;
}"""


def measure(session: Session, html: str, markers: list[str]) -> dict[str, Any]:
    session.load(html)
    found: dict[str, Any] = session.js(_MEASURE, markers)
    missing = [m for m, v in found.items() if v is None]
    assert not missing, f"not rendered: {missing}"
    return found


def px(value: float) -> str:
    return f"{value:g}px"


# --- the table is the spec's ------------------------------------------------------------------------


def test_table_holds_the_documented_numbers() -> None:
    assert T["spacing"] == {"none": 0, "xs": 2, "sm": 4, "md": 8, "lg": 12, "xl": 16, "xxl": 20}
    assert T["textSize"] == {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29,
                             "3xl": 35, "4xl": 48, "5xl": 74}
    assert list(T["imageSize"].values()) == [40, 60, 80, 100, 120, 140, 160, 180, 200, 220]
    assert T["bubbleWidth"] == {"nano": 120, "micro": 160, "deca": 220, "hecto": 241, "kilo": 260,
                                "mega": 300, "giga": 500}
    assert T["borderWidth"] == {"none": 0, "light": 0.5, "normal": 1, "medium": 2, "semi-bold": 3, "bold": 4}
    assert T["button"]["height"] == {"sm": 40, "md": 52} and T["lineHeight"] == 1.4


def test_stylesheet_has_no_sizes_of_its_own() -> None:
    """Flex sizes live in the table: flex.css may not name a keyword's pixel value."""
    from toolkit.render.chat import TEMPLATES

    css = (TEMPLATES / "flex.css").read_text(encoding="utf-8")
    for value in {*T["spacing"].values(), *T["textSize"].values(), *T["button"]["height"].values()} - {0}:
        assert f" {value}px" not in css and f":{value}px" not in css, f"{value}px written into flex.css"


# --- keywords to pixels in the DOM ------------------------------------------------------------------


def test_text_sizes_and_line_heights(session: Session) -> None:
    sizes = T["textSize"]
    body = box("vertical", [text(f"ts-{k}", size=k) for k in sizes] + [text("ts-px", size="23px"),
                                                                      text("ts-default")])
    got = measure(session, page(bubble(body)), [f"ts-{k}" for k in [*sizes, "px", "default"]])
    for key, size in [*sizes.items(), ("px", 23), ("default", 16)]:
        m = got[f"ts-{key}"]
        assert m["fontSize"] == px(size), key
        assert abs(m["height"] - size * T["lineHeight"]) < 0.6, (key, m["height"])
    assert got["ts-default"]["color"] == "rgb(68, 68, 68)"  # #444444


@pytest.mark.parametrize("layout", ["vertical", "horizontal"])
def test_spacing_keywords(session: Session, layout: str) -> None:
    rows = [box(layout, [text(f"{k}-a", flex=0), text(f"{k}-b", flex=0)], spacing=k) for k in T["spacing"]]
    got = measure(session, page(bubble(box("vertical", rows))), [f"{k}-{s}" for k in T["spacing"] for s in "ab"])
    for key, value in T["spacing"].items():
        a, b = got[f"{key}-a"], got[f"{key}-b"]
        gap = b["wTop"] - a["wBottom"] if layout == "vertical" else b["wLeft"] - a["wRight"]
        assert abs(gap - value) < 0.1, (key, gap)


def test_margin_replaces_spacing_and_fillers_take_none(session: Session) -> None:
    rows = [box("vertical", [text(f"m{k}-a"), text(f"m{k}-b", margin=k)], spacing="xxl") for k in T["spacing"]]
    rows.append(box("vertical", [text("first", margin="xl")]))
    rows.append(box("vertical", [text("f-a"), {"type": "filler", "flex": 0}, text("f-b")], spacing="lg"))
    markers = [f"m{k}-{s}" for k in T["spacing"] for s in "ab"] + ["first", "f-a", "f-b"]
    got = measure(session, page(bubble(box("vertical", rows))), markers)
    for key, value in T["spacing"].items():
        assert abs(got[f"m{key}-b"]["wTop"] - got[f"m{key}-a"]["wBottom"] - value) < 0.1, key
    first = got["first"]
    assert abs(first["wTop"] - first["box"]["top"] - 16) < 0.1, "a first child's margin adds space before it"
    assert abs(got["f-b"]["wTop"] - got["f-a"]["wBottom"] - 12) < 0.1, "spacing before b only, not the filler"


def test_padding_keywords_percent_and_side_overrides(session: Session) -> None:
    rows = [box("vertical", [text(f"p-{k}")], paddingAll=k) for k in T["spacing"]]
    rows.append(box("vertical", [text("p-side")], paddingAll="xl", paddingStart="5px", paddingBottom="none"))
    rows.append(box("vertical", [text("p-pct")], paddingAll="10%"))
    got = measure(session, page(bubble(box("vertical", rows))), [f"p-{k}" for k in [*T["spacing"], "side", "pct"]])
    for key, value in T["spacing"].items():
        b = got[f"p-{key}"]["box"]
        assert {b["padTop"], b["padRight"], b["padBottom"], b["padLeft"]} == {px(value)}, key
    side = got["p-side"]["box"]
    assert (side["padTop"], side["padRight"], side["padBottom"], side["padLeft"]) == ("16px", "16px", "0px", "5px")
    pct = got["p-pct"]
    assert abs(float(pct["box"]["padLeft"][:-2]) - pct["box"]["width"] / 10) < 0.6  # % of the parent's width


def test_block_padding_per_bubble_size(session: Session) -> None:
    """The root box of each block gets the table's padding (body bottom changes with a footer)."""
    bubbles, markers = [], []
    for size in T["bubbleWidth"]:
        bubbles.append({"type": "bubble", "size": size, "header": box("vertical", [text(f"h-{size}")]),
                        "body": box("vertical", [text(f"b-{size}")]), "footer": box("vertical", [text(f"f-{size}")])})
        bubbles.append({"type": "bubble", "size": size, "body": box("vertical", [text(f"solo-{size}")])})
        markers += [f"h-{size}", f"b-{size}", f"f-{size}", f"solo-{size}"]
    got = measure(session, page(*bubbles), markers)

    def sides(marker: str) -> list[str]:
        b = got[marker]["box"]
        return [b["padTop"], b["padRight"], b["padBottom"], b["padLeft"]]

    for size, pads in T["blockPadding"].items():
        assert sides(f"h-{size}") == [px(n) for n in pads["header"]], size
        body = list(pads["body"])
        assert sides(f"solo-{size}") == [px(n) for n in body], size
        body[2] = pads["bodyBottomBeforeFooter"]
        assert sides(f"b-{size}") == [px(n) for n in body], size
        assert sides(f"f-{size}") == [px(n) for n in pads["footer"]], size


def test_bubble_widths_and_corners_per_size(session: Session) -> None:
    sizes = T["bubbleWidth"]
    session.load(page(*[{"type": "bubble", "size": s, "body": box("vertical", [text(s)])} for s in sizes]))
    got = session.js("""() => [...document.querySelectorAll('.fx-bubble')].map(b => {
        const line = b.closest('.msg-line'), time = line.querySelector('.time');
        const room = line.getBoundingClientRect().width - (time ? time.getBoundingClientRect().width
            + parseFloat(getComputedStyle(line).columnGap) : 0);
        return [b.dataset.size, b.getBoundingClientRect().width, getComputedStyle(b).borderTopLeftRadius, room]; })""")
    widths = {size: (width, radius, room) for size, width, radius, room in got}
    for size, cap in sizes.items():
        width, radius, room = widths[size]
        assert radius == px(T["bubbleRadius"][size])
        assert abs(width - min(cap, room)) < 0.6, (size, width, room)
    assert widths["mega"][0] == 300 and widths["giga"][0] < 500  # a 414 px phone has room for mega only


def test_button_heights_styles_and_colours(session: Session) -> None:
    buttons = [{"type": "button", "height": h, "style": s, "action": {"type": "uri", "label": f"{s}-{h}",
                                                                         "uri": "https://example.com"}}
               for s in T["button"]["styles"] for h in T["button"]["height"]]
    buttons.append({"type": "button", "style": "primary", "color": "#ff0000", "action": {"label": "own"}})
    buttons.append({"type": "button", "action": {"label": "default"}})
    markers = [f"{s}-{h}" for s in T["button"]["styles"] for h in T["button"]["height"]] + ["own", "default"]
    got = measure(session, page(bubble(box("vertical", buttons))), markers)
    for style in T["button"]["styles"]:
        for height, value in T["button"]["height"].items():
            assert got[f"{style}-{height}"]["button"]["height"] == value, (style, height)
    assert got["primary-md"]["button"]["bg"] == "rgb(23, 201, 80)" and got["primary-md"]["color"] == "rgb(255, 255, 255)"
    assert got["secondary-md"]["button"]["bg"] == "rgb(220, 223, 229)"
    assert got["link-md"]["color"] == "rgb(66, 101, 154)"
    assert got["own"]["button"]["bg"] == "rgb(255, 0, 0)", "color is the background of a primary button"
    assert got["default"]["button"]["height"] == 52 and got["default"]["fontSize"] == "16px"


def test_flex_ratios_in_horizontal_boxes(session: Session) -> None:
    rows = [box("horizontal", [text("r1", flex=1), text("r2", flex=2), text("r3", flex=3)]),
            box("horizontal", [text("d1"), text("d2")]),  # default flex 1 each
            box("horizontal", [text("z0", flex=0), text("z1")]),
            box("horizontal", [box("vertical", [text("w-fixed")], width="50px", flex=3), text("w-rest")])]
    got = measure(session, page(bubble(box("vertical", rows))), ["r1", "r2", "r3", "d1", "d2", "z0", "z1",
                                                                  "w-fixed", "w-rest"])
    unit = got["r1"]["wWidth"]
    assert abs(got["r2"]["wWidth"] - 2 * unit) < 1 and abs(got["r3"]["wWidth"] - 3 * unit) < 1
    assert abs(got["d1"]["wWidth"] - got["d2"]["wWidth"]) < 1
    assert got["z0"]["wWidth"] < got["z1"]["wWidth"], "flex 0 takes its content's width only"
    assert got["w-fixed"]["box"]["width"] == 50, "a width forces flex 0"


def test_max_lines_line_spacing_and_wrap(session: Session) -> None:
    long = "Flex text that is long enough to need several lines in a mega bubble, again and again. " * 4
    texts = [text(f"{long}#2", wrap=True, maxLines=2), text(f"{long}#3", wrap=True, maxLines=3, lineSpacing="10px"),
             text(f"{long}#xl", wrap=True, maxLines=2, size="xl"), text(f"{long}#one"),
             text("a\nb", wrap=True), text("c\nd")]
    markers = [f"{long}#2", f"{long}#3", f"{long}#xl", f"{long}#one", "a\nb", "c\nd"]
    got = measure(session, page(bubble(box("vertical", texts))), markers)
    line = T["lineHeight"]
    assert abs(got[f"{long}#2"]["height"] - 2 * 16 * line) < 0.6
    spaced = got[f"{long}#3"]
    assert abs(spaced["wBottom"] - spaced["wTop"] - (3 * (16 * line + 10) - 10)) < 0.6, "spacing between lines only"
    assert abs(got[f"{long}#xl"]["height"] - 2 * 22 * line) < 0.6
    one = got[f"{long}#one"]
    assert abs(one["height"] - 16 * line) < 0.6 and one["scrollWidth"] > one["clientWidth"], "one line, cut"
    assert abs(got["a\nb"]["height"] - 2 * 16 * line) < 0.6, "\\n breaks a wrapping text"
    assert abs(got["c\nd"]["height"] - 16 * line) < 0.6, "\\n does not break a text that does not wrap"


def test_border_widths_corner_radii_and_gradient(session: Session) -> None:
    rows = [box("vertical", [text(f"bw-{k}")], borderWidth=k, borderColor="#000000") for k in T["borderWidth"]]
    rows += [box("vertical", [text(f"cr-{k}")], cornerRadius=k) for k in T["spacing"]]
    rows.append(box("vertical", [text("grad")], background={"type": "linearGradient", "angle": "90deg",
                                                            "startColor": "#ff0000", "endColor": "#0000ff",
                                                            "centerColor": "#00ff00", "centerPosition": "30%"}))
    markers = [f"bw-{k}" for k in T["borderWidth"]] + [f"cr-{k}" for k in T["spacing"]] + ["grad"]
    got = measure(session, page(bubble(box("vertical", rows))), markers)
    for key, value in T["borderWidth"].items():
        drawn = got[f"bw-{key}"]["box"]
        if 0 < value < 1:  # Chromium rounds thinner borders up to 1px: a hairline is painted instead
            assert drawn["border"] == "0px" and drawn["shadow"] == f"rgb(0, 0, 0) 0px 0px 0px {value}px inset"
        else:
            assert float(drawn["border"][:-2]) == value, key
    for key, value in T["spacing"].items():
        assert got[f"cr-{key}"]["box"]["radius"] == px(value), key
    assert got["grad"]["box"]["image"] == ("linear-gradient(90deg, rgb(255, 0, 0) 0%, rgb(0, 255, 0) 30%, "
                                           "rgb(0, 0, 255) 100%)")


def test_media_placeholders_sizes_and_aspect_ratios(session: Session) -> None:
    images = [{"type": "image", "url": f"https://example.com/{k}.png", "size": k} for k in T["imageSize"]]
    images += [{"type": "image", "url": "https://example.com/w.png", "size": "full", "aspectRatio": "20:13"},
               {"type": "image", "url": "https://example.com/r.png", "size": "lg", "aspectRatio": "2:1"}]
    icons = box("baseline", [{"type": "icon", "url": "https://example.com/i.png", "size": "xl"},
                             {"type": "icon", "url": "https://example.com/j.png", "aspectRatio": "2:1"},
                             text("icons")])
    html = page({"type": "bubble", "hero": {"type": "video", "url": "https://example.com/v.mp4",
                                            "previewUrl": "https://example.com/p.jpg", "aspectRatio": "16:9",
                                            "altContent": {"type": "image", "url": "https://example.com/a.png"}},
                 "body": box("vertical", [*images, icons])})
    assert "example.com" not in html, "no media address reaches the page"
    session.load(html)
    got = session.js("""() => [...document.querySelectorAll('[data-media]')].map(e => {
        const r = e.getBoundingClientRect(); return [e.dataset.media, r.width, r.height]; })""")
    video, *rest = got
    assert video[0] == "video" and video[1] == 300 and abs(video[2] - 300 * 9 / 16) < 0.6
    sized = rest[:len(T["imageSize"])]
    for (kind, width, height), value in zip(sized, T["imageSize"].values(), strict=True):
        assert (kind, width, height) == ("image", value, value)
    full, ratio, star, wide = rest[len(T["imageSize"]):]
    assert full[1] == 260 and abs(full[2] - 260 * 13 / 20) < 0.6, "full width of the body's content"
    assert ratio[1:] == [120, 60]
    assert star == ["icon", 22, 22] and wide == ["icon", 32, 16]
    assert not session.pool.blocked


def test_offsets_rtl_and_alignment(session: Session) -> None:
    inner = box("vertical", [text("abs")], position="absolute", offsetTop="md", offsetStart="lg")
    ltr = box("vertical", [box("vertical", [text("parent"), inner], height="80px"),
                           box("horizontal", [text("L1"), text("L2")]),
                           box("vertical", [text("rel", offsetTop="10px", position="relative")]),
                           text("centered", align="center")])
    rtl = box("vertical", [box("horizontal", [text("R1"), text("R2")]),
                           box("vertical", [text("parent-r"), box("vertical", [text("abs-r")], position="absolute",
                                                                  offsetStart="lg")], height="40px")])
    got = measure(session, page(bubble(ltr), bubble(rtl, direction="rtl")),
                  ["abs", "parent", "L1", "L2", "rel", "centered", "R1", "R2", "abs-r", "parent-r"])
    parent = got["parent"]["box"]
    assert got["abs"]["box"]["top"] - parent["top"] == 8 and got["abs"]["box"]["left"] - parent["left"] == 12
    assert got["L1"]["wLeft"] < got["L2"]["wLeft"] and got["R1"]["wLeft"] > got["R2"]["wLeft"]
    assert parent["right"] - got["abs-r"]["box"]["right"] != 0 and \
        got["parent-r"]["box"]["right"] - got["abs-r"]["box"]["right"] == 12, "start is the right in rtl"
    assert got["R1"]["align"] == "start"
    assert got["rel"]["wTop"] - got["rel"]["box"]["top"] == 10, "relative moves it from where it was"
    assert got["centered"]["align"] == "center"


def test_shrink_to_fit_spans_and_decoration(session: Session) -> None:
    long = "Shrink me until this sentence fits on its single line"
    body = box("vertical", [
        text(long, adjustMode="shrink-to-fit"),
        {"type": "button", "style": "primary", "adjustMode": "shrink-to-fit",
         "action": {"type": "uri", "label": "A very long button label to shrink", "uri": "https://example.com"}},
        {"type": "text", "text": "ignored", "decoration": "underline", "contents": [
            {"type": "span", "text": "span-big", "size": "xl", "weight": "bold", "color": "#ff0000"},
            {"type": "span", "text": "span-plain", "decoration": "none"}]},
        text("styled", weight="bold", style="italic", decoration="line-through", color="#123456")])
    session.load(page(bubble(body, size="micro")))
    fit = session.js("""(t) => [...document.querySelectorAll('[data-fit]')].map(e =>
        [parseFloat(getComputedStyle(e).fontSize), e.scrollWidth <= e.clientWidth + 0.5])""", long)
    assert all(size < 16 and fits for size, fits in fit) and len(fit) == 2, fit
    spans = session.js("""() => [...document.querySelectorAll('.fx-span')].map(s => { const c = getComputedStyle(s);
        return [s.textContent, c.fontSize, c.fontWeight, c.color, getComputedStyle(s.parentElement).textDecorationLine]; })""")
    assert spans[0] == ["span-big", "22px", "700", "rgb(255, 0, 0)", "underline"]
    assert spans[1][0] == "span-plain" and spans[1][4] == "underline", "a span cannot undo the text's decoration"
    styled = session.js("""() => { const e = [...document.querySelectorAll('.fx-t')].find(e => e.textContent === 'styled');
        const c = getComputedStyle(e); return [c.fontWeight, c.fontStyle, c.textDecorationLine, c.color]; }""")
    assert styled == ["700", "italic", "line-through", "rgb(18, 52, 86)"]
    assert "ignored" not in session.js("() => document.body.innerText"), "contents replace text"


def test_separators_and_block_styles(session: Session) -> None:
    body = box("vertical", [text("s-top"), {"type": "separator", "margin": "xl"}, text("s-bottom"),
                            box("horizontal", [text("s-left"), {"type": "separator", "color": "#ff0000"},
                                               text("s-right")], height="30px")])
    container = {"type": "bubble", "header": box("vertical", [text("head")]), "body": body,
                 "styles": {"header": {"backgroundColor": "#00ff00", "separator": True},
                            "body": {"backgroundColor": "#0000ff", "separator": True, "separatorColor": "#ff00ff"}}}
    session.load(page(container))
    got = session.js("""() => [...document.querySelectorAll('.fx-sep, .fx-block')].map(e => {
        const c = getComputedStyle(e), line = e.classList.contains('fx-sep') ? getComputedStyle(e, '::after') : c;
        return [e.className, parseFloat(line.width), parseFloat(line.height), c.boxShadow,
                e.classList.contains('fx-sep') ? line.backgroundColor : c.backgroundColor]; })""")
    header, body_block, horizontal_sep, vertical_sep = got
    assert header[4] == "rgb(0, 255, 0)" and header[3] == "none", "no separator above the first block"
    assert body_block[4] == "rgb(0, 0, 255)" and body_block[3] == "rgb(255, 0, 255) 0px 0.5px 0px 0px inset"
    assert horizontal_sep[1:3] == [260, 0.5] and horizontal_sep[4] == "rgb(212, 214, 218)", "hairline"
    assert vertical_sep[1:3] == [0.5, 30] and vertical_sep[4] == "rgb(255, 0, 0)", "full height in a horizontal box"


def test_text_messages_with_line_emoji_and_several_messages(session: Session) -> None:
    doc = {"messages": [
        {"type": "text", "text": "$ Hello $ and $", "emojis": [
            {"index": 0, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "001"},
            {"index": 14, "productId": "5ac1bfd5040ab15980c9b435", "emojiId": "002"}]},
        {"type": "flex", "altText": "one", "contents": bubble(box("vertical", [text("first bubble")]))},
        {"type": "flex", "altText": "two", "contents": {"type": "carousel", "contents": [
            bubble(box("vertical", [text("second")]))]}},
        {"type": "flex", "altText": "alt shown instead", "contents": {"type": "nonsense"}}]}
    for theme in ("light", "dark"):
        session.load(build_html(doc, lang="ja", width=375, theme=theme))
        got = session.js("""() => ({lines: document.querySelectorAll('.msg-line').length,
            emoji: document.querySelectorAll('.line-emoji').length,
            text: document.querySelector('.bubble').textContent,
            label: document.querySelector('#important-label').innerText.trim(),
            times: document.querySelectorAll('.time').length,
            bg: getComputedStyle(document.querySelector('.fx-bubble')).backgroundColor,
            alt: document.querySelector('.ph-alt').textContent})""")
        assert got == {"lines": 4, "emoji": 2, "text": " Hello $ and ", "label": "重要なお知らせ", "times": 1,
                       "bg": "rgb(255, 255, 255)", "alt": "alt shown instead"}, theme
    assert not session.pool.blocked


def test_hostile_flex_stays_inert(session: Session) -> None:
    evil = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>"
    body = box("vertical", [text(evil, color="red;background:url(https://example.com/x)"),
                            {"type": "button", "action": {"label": evil}, "color": "#fff\" onclick=\"x"},
                            box("vertical", [], backgroundColor="url(https://example.com/y)", width="1px;x:y",
                                background={"type": "linearGradient", "angle": "1deg);background:url(//e.com)",
                                            "startColor": "#000000", "endColor": "#ffffff"})])
    deep: dict[str, Any] = text("bottom")
    for _ in range(300):
        deep = box("vertical", [deep])
    html = page(bubble(body), bubble(deep))
    assert "example.com" not in html and "e.com" not in html and "<script" not in html.split("<body", 1)[1]
    session.load(html)
    assert session.js("() => window.__pwned === undefined") and not session.pool.blocked
    assert session.js("() => document.querySelectorAll('.fx-box').length") < 100, "nesting is capped"


# --- the 70 real-world samples and the 13 showcase goldens ------------------------------------------


@pytest.fixture(scope="module")
def samples(session: Session) -> tuple[list[Any], dict[str, bytes], list[str], str]:
    """All 70 samples screenshot on the session's page pool (4 pages), 375 px phone, light."""
    if not SAMPLES.is_dir():
        pytest.skip(f"no Flex samples at {SAMPLES}")
    found = load_samples()
    blocked_before = len(session.pool.blocked)
    shots, version = session.run(render_all(found, pool=session.pool))
    return found, shots, session.pool.blocked[blocked_before:], version


@needs_samples
def test_all_samples_render_offline(samples: tuple[list[Any], dict[str, bytes], list[str], str]) -> None:
    found, shots, blocked, _ = samples
    assert len(found) == 70 and set(shots) == {s.name for s in found}
    assert blocked == [], "a sample made the page ask for something"
    for sample in found:
        rendered = render_container(sample.contents)
        assert rendered is not None and not rendered.truncated, sample.name
        assert "https://" not in sample.html.split("<body", 1)[1], sample.name
        with Image.open(io.BytesIO(shots[sample.name])) as image:
            assert image.width == 750 and image.height >= 1334, sample.name
    media = [s for s in found if render_container(s.contents).media]  # type: ignore[union-attr]
    assert media, "media placeholders are drawn (and marked) for samples with images"


@needs_samples
def test_showcase_matches_golden_screenshots(samples: tuple[list[Any], dict[str, bytes], list[str], str],
                                             tmp_path: Path) -> None:
    """The 13 showcase screenshots of the batch above. Pixels are compared only with the Chromium
    that drew the goldens (another build draws other pixels; see environment.md)."""
    found, shots, _, installed = samples
    showcase = [s.name for s in found if s.name.startswith(SHOWCASE + "/")]
    assert len(showcase) == 13
    record_file = GOLDEN / "golden.json"
    record = json.loads(record_file.read_text(encoding="utf-8")) if record_file.is_file() else {}
    if os.environ.get("LNM_UPDATE_GOLDENS") == "1":
        GOLDEN.mkdir(parents=True, exist_ok=True)
        for name in showcase:
            (GOLDEN / f"{Path(name).name}.png").write_bytes(shots[name])
        record_file.write_text(json.dumps({"browserVersion": installed, "width": 375, "theme": "light",
                                           "appLanguage": "en", "generatedBy": UPDATE}, indent=1) + "\n",
                               encoding="utf-8")
        return
    if record.get("browserVersion") != installed:
        pytest.skip(f"goldens drawn by Chromium {record.get('browserVersion')}, this machine has {installed}: "
                    f"pixels not compared; refresh with {UPDATE}")
    failures = []
    for name in showcase:
        golden = GOLDEN / f"{Path(name).name}.png"
        with Image.open(io.BytesIO(shots[name])) as new, Image.open(golden) as old:
            diff, _ = compare_images(new, old, tolerance=DEFAULT_TOLERANCE)
        if diff.size_changed or diff.ratio > DEFAULT_MAX_DIFF_RATIO:
            (tmp_path / golden.name).write_bytes(shots[name])
            failures.append(f"{name}: {diff.size} vs {diff.baseline_size}, {diff.ratio:.4%} of pixels changed")
    assert not failures, (f"showcase differs from its goldens (new images in {tmp_path}; if intended: "
                          f"{UPDATE}):\n" + "\n".join(failures))
