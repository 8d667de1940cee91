"""Flex Message containers (bubble, carousel) as inert HTML for the chat preview.

Every size and default colour comes from one data table, ``templates/flex.json`` (keyword to CSS px,
values of ``shared/spec/flex-rendering.md``); ``templates/flex.css`` holds only structure. Values from
the message reach a ``style`` attribute only after they match a strict pattern (px, %, keyword, hex
colour, angle), and every text is escaped, so hostile JSON cannot add markup, script or a request.
Images, icons and videos are never fetched: each is a neutral box of its size and aspect ratio with a
``data-media`` attribute. ``adjustMode: shrink-to-fit`` marks the text with ``data-fit``; the page
pool shrinks it in the page before the screenshot (``FIT_JS``), as no CSS can.

Choices where LINE documents nothing (flex-rendering.md section 4): the dark theme changes nothing
inside a bubble (explicit and default colours stay; the chat around it is dark); a block separator
without ``separatorColor`` uses the separator colour of the table; ``scaling`` follows
``font_scale`` (the app's font-size setting, 1.0 = standard, which is what previews show); the
discontinued ``spacer`` draws nothing, as current apps do.

Where LINE's Simulator and its docs differ, the renderer follows the Simulator (flex-rendering.md
section 2 item 13): it is what reviewers compare previews with, and the numbers of the spec are its
numbers. So a giga bubble is 486 px wide (the docs' 500 px cap less the Simulator's 7 px side
margins); a separator takes no space (its hairline is painted over the flow); an icon stands in a
line box 1.4 x its size tall; a filler grows in vertical boxes too (the SDK docs: "fixed to 1"); a
horizontal box in a vertical box is as wide as its parent whatever ``alignItems`` says (unless it
has a width or is absolute); ``borderColor`` without ``borderWidth`` draws no border and
``borderWidth`` without ``borderColor`` a transparent one; offsets may be negative; an absolute image
of a percentage size (``full``) is sized against its parent's width. Every number of these is in the
table (``bubbleSideMargin``, ``separator.space``, ``icon.lineHeight``, ``filler.flex``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ._flexparts import Context, bubble_width, color, component, num, table, tag

__all__ = ["CAROUSEL_VIEWS", "FIT_JS", "Rendered", "carousel_bubble_width", "css_variables", "render_container",
           "table"]


#: Shrinks ``[data-fit]`` texts until they fit their box (run by the page pool before a screenshot).
FIT_JS = """(() => {
  for (const el of document.querySelectorAll('[data-fit]')) {
    const min = parseFloat(el.dataset.fitMin), step = parseFloat(el.dataset.fitStep);
    for (let k = 1; k > min && (el.scrollWidth > el.clientWidth + 0.5 || el.scrollHeight > el.clientHeight + 0.5);) {
      k = Math.max(min, k - step);
      el.style.setProperty('--fx-fit', String(k));
    }
  }
})();"""


def css_variables() -> str:
    """The table's colours for ``flex.css`` as custom properties (no size lives in the stylesheet)."""
    t = table()
    media = t["media"]
    return (f"--fx-media-bg: {media['background']}; --fx-media-stripe: {media['stripe']}; "
            f"--fx-media-mark: {media['mark']}; --fx-bubble-bg: {t['bubbleBackground']}; "
            f"--fx-emoji: {t['emoji']['size']}em; --fx-stripe: {media['stripeEvery']}px; "
            f"--fx-play: {media['playMark']}px; --fx-hair: {num(t['separator']['width'])}px;")


# --- containers --------------------------------------------------------------------------------------

BLOCKS = ("header", "hero", "body", "footer")


def _bubble(bubble: Mapping[str, Any], ctx: Context, *, in_carousel: bool, path: str = "") -> str:
    t = table()
    size = bubble.get("size") if bubble.get("size") in t["bubbleWidth"] else "mega"
    assert isinstance(size, str)
    direction = "rtl" if bubble.get("direction") == "rtl" else "ltr"
    styles = bubble.get("styles") if isinstance(bubble.get("styles"), Mapping) else {}
    assert isinstance(styles, Mapping)
    pads = t["blockPadding"][size]
    present = [name for name in BLOCKS if isinstance(bubble.get(name), Mapping)]
    blocks = []
    for index, name in enumerate(present):
        root = bubble[name]
        style = styles.get(name) if isinstance(styles.get(name), Mapping) else {}
        assert isinstance(style, Mapping)
        props: dict[str, str | None] = {"background-color": color(style.get("backgroundColor"))}
        if style.get("separator") is True and index > 0:
            sep = t["blockSeparator"]
            props["box-shadow"] = f"inset 0 {num(sep['width'])}px {color(style.get('separatorColor')) or sep['color']}"
        defaults = None
        if name != "hero" and root.get("type") == "box":
            numbers = list(pads[name])
            if name == "body" and "footer" in present:
                numbers[2] = pads["bodyBottomBeforeFooter"]
            defaults = [f"{num(n)}px" for n in numbers]
        inner = component(root, "vertical", None, True, ctx, 1, defaults, f"{path}/{name}")
        blocks.append(tag("div", f"fx-block fx-{name}", props, inner))
    props = {"width": None if in_carousel else f"{num(bubble_width(size))}px",
             "border-radius": f"{t['bubbleRadius'][size]}px"}
    if in_carousel and "body" not in present:
        props["align-self"] = "start"
    extra = f' dir="{direction}" data-size="{size}"'
    return tag("div", "fx-bubble", props, "".join(blocks), extra)


@dataclass
class Rendered:
    """One container as HTML, with what it drew (for the sidecar and the tests)."""

    html: Markup
    kind: str
    bubbles: int
    media: list[str]
    truncated: bool
    #: A carousel's whole row in CSS px (margins before and after included); 0 for a bubble.
    row_width: float = 0.0


CAROUSEL_VIEWS = ("chat", "row")


def carousel_bubble_width(size: str, screen_width: float) -> float:
    """A carousel bubble's width: a share of the screen (the row's width in the chat), up to its cap."""
    return float(min(bubble_width(size), round(table()["carousel"]["share"] * screen_width, 3)))


def render_container(contents: Any, *, carousel: str = "chat", screen_width: float = 375,
                     font_scale: float = 1.0, path: str | None = None) -> Rendered | None:
    """A bubble or carousel as HTML, or None when ``contents`` is neither (the caller shows altText).

    A carousel is one row of bubbles, each ``share`` of ``screen_width`` wide up to its size's cap,
    all as tall as the tallest (bodies stretch, so footers line up; a bubble without a body keeps its
    height). ``carousel`` is ``chat`` (the row as the app first shows it: the first bubble where the
    chat's messages start, the rest running on past the screen's edge, which the chat screen cuts
    off) or ``row`` (the whole row with its margins before and after, for a second image in which
    every bubble is seen at the same scale). With ``path`` (the container's JSON pointer), each text,
    span and button carries its own pointer in ``data-path``.
    """
    if not isinstance(contents, Mapping):
        return None
    ctx = Context(font_scale=font_scale, mark=path is not None)
    if contents.get("type") == "bubble":
        html = _bubble(contents, ctx, in_carousel=False, path=path or "")
        return Rendered(Markup(html), "bubble", 1, ctx.media, ctx.truncated)
    if contents.get("type") == "carousel" and isinstance(contents.get("contents"), list):
        t = table()
        items = [(j, b) for j, b in enumerate(contents["contents"]) if isinstance(b, Mapping) and b.get("type") == "bubble"]
        shown = items[: t["limits"]["bubbles"]]
        size = shown[0][1].get("size") if shown and shown[0][1].get("size") in t["bubbleWidth"] else "mega"
        assert isinstance(size, str)  # LINE wants one size for all bubbles (rule A049): the first's is used
        geometry = t["carousel"]
        width = carousel_bubble_width(size, screen_width)
        whole = carousel == "row"
        props = {"--fx-bubble": f"{num(width)}px", "--fx-gap": f"{num(geometry['between'])}px",
                 "padding-inline": f"{num(geometry['before'])}px {num(geometry['after'])}px" if whole else None}
        inner = "".join(_bubble(b, ctx, in_carousel=True, path=f"{path}/contents/{j}") for j, b in shown)
        row_width = (geometry["before"] + len(shown) * width + max(len(shown) - 1, 0) * geometry["between"]
                     + geometry["after"])
        html = tag("div", f"fx-carousel fx-{'whole' if whole else 'chat'}-row", props, inner,
                   f' data-bubbles="{len(shown)}"')
        return Rendered(Markup(html), "carousel", len(shown), ctx.media,
                        ctx.truncated or len(shown) < len(items), row_width)
    return None
