"""The components of a Flex bubble as inert HTML (boxes, texts, buttons, images, icons, separators).

Used by :mod:`toolkit.render.flex`, which documents the rendering as a whole. Every number comes
from ``templates/flex.json`` through :func:`table`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from markupsafe import escape

__all__ = ["ROW", "Context", "bubble_width", "color", "component", "num", "table", "tag"]

TABLE_FILE = Path(__file__).resolve().parent / "templates" / "flex.json"

_PX = re.compile(r"(\d{1,5}(?:\.\d{1,3})?)px")
_PCT = re.compile(r"(\d{1,3}(?:\.\d{1,3})?)%")
#: Offsets may be negative (flex-rendering.md section 2 item 13); other lengths may not.
_SIGNED_PX = re.compile(r"-?(\d{1,5}(?:\.\d{1,3})?)px")
_SIGNED_PCT = re.compile(r"-?(\d{1,3}(?:\.\d{1,3})?)%")
_COLOR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{8})")
_ANGLE = re.compile(r"(\d{1,3}(?:\.\d{1,3})?)deg")
_RATIO = re.compile(r"(\d{1,6}(?:\.\d{1,3})?):(\d{1,6}(?:\.\d{1,3})?)")
_JUSTIFY = ("flex-start", "center", "flex-end", "space-between", "space-around", "space-evenly")
_ALIGN_ITEMS = ("flex-start", "center", "flex-end")
_GRAVITY = {"top": "flex-start", "center": "center", "bottom": "flex-end"}
_ALIGN = {"start": "flex-start", "center": "center", "end": "flex-end"}
ROW = ("horizontal", "baseline")


@lru_cache(maxsize=1)
def table() -> Mapping[str, Any]:
    """The keyword-to-pixel table (read once)."""
    data: dict[str, Any] = json.loads(TABLE_FILE.read_text(encoding="utf-8"))
    return data


def bubble_width(size: str) -> float:
    """A bubble's width cap in px: the size's cap less its side margins (giga: 500 - 2 x 7 = 486)."""
    t = table()
    return float(t["bubbleWidth"][size] - 2 * t["bubbleSideMargin"].get(size, 0))


def num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"


def _length(value: Any, keywords: Mapping[str, float] | None = None, *, percent: bool = True,
            signed: bool = False) -> str | None:
    """A CSS length for a Flex size value: a keyword of ``keywords``, ``Npx`` or (if allowed) ``N%``;
    ``signed`` also takes ``-Npx`` and ``-N%`` (offsets)."""
    if not isinstance(value, str):
        return None
    if keywords is not None and value in keywords:
        return f"{num(keywords[value])}px"
    match = (_SIGNED_PX if signed else _PX).fullmatch(value)
    if match:
        return f"{num(float(value[:-2]))}px"
    if percent and (_SIGNED_PCT if signed else _PCT).fullmatch(value):
        return f"{num(float(value[:-1]))}%"
    return None


def color(value: Any) -> str | None:
    return value if isinstance(value, str) and _COLOR.fullmatch(value) else None


def _ratio(value: Any, default: tuple[float, float] = (1, 1)) -> tuple[float, float]:
    match = _RATIO.fullmatch(value) if isinstance(value, str) else None
    if match:
        w, h = float(match.group(1)), float(match.group(2))
        if w > 0 and h > 0:
            return w, h
    return default


def _flex_value(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 10_000 else None


def _style(props: Mapping[str, str | None]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in props.items() if v is not None)


@dataclass
class Context:
    """State of one container's rendering: limits, the app font scale, what was drawn."""

    font_scale: float = 1.0
    #: Mark texts, spans and buttons with ``data-path`` (their JSON pointer) for the live preview.
    mark: bool = False
    components: int = 0
    truncated: bool = False
    media: list[str] = field(default_factory=list)

    def count(self, depth: int) -> bool:
        limits = table()["limits"]
        self.components += 1
        if depth > limits["depth"] or self.components > limits["components"]:
            self.truncated = True
            return False
        return True


# --- the parent's share: flex, spacing/margin, position ----------------------------------------------


def _item(comp: Mapping[str, Any], layout: str, spacing: str | None, first: bool, *,
          default_flex: int | None = None) -> dict[str, str | None]:
    """What a child's place in its parent box adds to its style (flex, leading margin, offsets)."""
    spaces = table()["spacing"]
    row = layout in ROW
    props: dict[str, str | None] = {}
    kind = comp.get("type")
    flex = _flex_value(comp.get("flex"))
    if flex is None:
        flex = default_flex if default_flex is not None else (1 if row else 0)
    if kind == "icon" or (kind == "box" and row and ("width" in comp or "height" in comp)):
        flex = 0
    if row:
        props["flex"] = f"{flex} 0 0" if flex else "0 0 auto"
        props["min-width"] = "0"
    else:
        props["flex"] = f"{flex} 0 auto" if flex else "0 0 auto"
    absolute = comp.get("position") == "absolute"
    lead = "margin-inline-start" if row else "margin-top"
    margin = _length(comp.get("margin"), spaces, percent=False)
    if not absolute:
        if margin is not None:
            props[lead] = margin
        elif spacing is not None and not first and kind != "filler":
            props[lead] = spacing
    if absolute:
        props["position"] = "absolute"
    offsets = (("offsetTop", "top"), ("offsetBottom", "bottom"), ("offsetStart", "inset-inline-start"),
               ("offsetEnd", "inset-inline-end"))
    for key, prop in offsets:
        if key == "offsetBottom" and layout == "baseline":
            continue
        value = _length(comp.get(key), spaces, signed=True)
        if value is not None:
            props[prop] = value
    return props


def _mark(ctx: Context, path: str) -> str:
    return f' data-path="{escape(path)}"' if ctx.mark else ""


def tag(name: str, cls: str, props: Mapping[str, str | None], inner: str, extra: str = "") -> str:
    style = _style(props)
    attr = f' style="{escape(style)}"' if style else ""
    return f'<{name} class="{cls}"{attr}{extra}>{inner}</{name}>'


# --- components --------------------------------------------------------------------------------------


def component(comp: Any, layout: str, spacing: str | None, first: bool, ctx: Context, depth: int,
              block_padding: list[str] | None = None, path: str = "") -> str:
    if not isinstance(comp, Mapping) or not ctx.count(depth):
        return ""
    kind = comp.get("type")
    # A filler grows in vertical boxes too (flex 1 whatever its parent: flex-rendering.md 2.13).
    filler = table()["filler"]["flex"] if kind == "filler" else None
    place = _item(comp, layout, spacing, first, default_flex=filler)
    if depth == 1:  # a block's root fills its block (a body stretched in a carousel stays painted)
        place["flex"] = "1 0 auto"
    if kind == "box":
        return _box(comp, place, layout, ctx, depth, block_padding, path)
    if kind == "text":
        return _text(comp, place, layout, ctx, path)
    if kind == "button":
        return _button(comp, place, layout, ctx, path)
    if kind in ("image", "video"):
        return _image(comp, place, layout, ctx)
    if kind == "icon":
        return _icon(comp, place, ctx)
    if kind == "separator":
        return _separator(comp, place, layout)
    if kind == "filler":
        return tag("div", "fx-filler", place, "")
    return ""  # spacer (discontinued in 2020: the app draws nothing) and unknown types


def _padding(comp: Mapping[str, Any], defaults: list[str] | None) -> dict[str, str | None]:
    spaces = table()["spacing"]
    everywhere = _length(comp.get("paddingAll"), spaces)
    sides = (("paddingTop", "padding-top"), ("paddingEnd", "padding-inline-end"),
             ("paddingBottom", "padding-bottom"), ("paddingStart", "padding-inline-start"))
    props: dict[str, str | None] = {}
    for index, (key, prop) in enumerate(sides):
        value = _length(comp.get(key), spaces) or everywhere
        if value is None and defaults is not None:
            value = defaults[index]
        props[prop] = value
    return props


def _box(comp: Mapping[str, Any], place: dict[str, str | None], parent: str, ctx: Context, depth: int,
         block_padding: list[str] | None, path: str = "") -> str:
    t = table()
    layout = comp.get("layout")
    layout = layout if layout in ("horizontal", "vertical", "baseline") else "vertical"
    props = dict(place)
    if layout == "horizontal" and parent == "vertical" and place.get("position") is None \
            and _length(comp.get("width")) is None:
        props["align-self"] = "stretch"  # as wide as the parent allows, whatever its alignItems
    props["flex-direction"] = "row" if layout in ROW else "column"
    if layout == "baseline":
        props["align-items"] = "baseline"
    props.update(_padding(comp, block_padding))
    props["background-color"] = color(comp.get("backgroundColor"))
    border = _length(comp.get("borderWidth"), t["borderWidth"], percent=False)
    if border is not None:  # borderColor alone draws nothing; borderWidth alone takes space, unseen
        width, colour = border, color(comp.get("borderColor")) or "transparent"
        if 0 < float(width[:-2]) < 1:  # Chromium rounds a thinner border up to 1px: paint a hairline
            props["box-shadow"] = f"inset 0 0 0 {width} {colour}"
        else:
            props["border"] = f"{width} solid {colour}"
    radius = _length(comp.get("cornerRadius"), t["spacing"], percent=False)
    if radius is not None:
        props["border-radius"] = radius
        props["overflow"] = "hidden"
    for key, prop in (("width", "width"), ("height", "height"), ("maxWidth", "max-width"),
                      ("maxHeight", "max-height")):
        props[prop] = _length(comp.get(key))
    if comp.get("justifyContent") in _JUSTIFY:
        props["justify-content"] = str(comp["justifyContent"])
    if comp.get("alignItems") in _ALIGN_ITEMS:
        props["align-items"] = str(comp["alignItems"])
    props["background-image"] = _gradient(comp.get("background"))
    spacing = _length(comp.get("spacing"), t["spacing"], percent=False)
    children = comp.get("contents") if isinstance(comp.get("contents"), list) else []
    assert isinstance(children, list)
    inner = "".join(component(child, layout, spacing, i == 0, ctx, depth + 1, None, f"{path}/contents/{i}")
                    for i, child in enumerate(children))
    return tag("div", f"fx-box fx-{layout}", props, inner)


def _gradient(value: Any) -> str | None:
    if not isinstance(value, Mapping) or value.get("type") != "linearGradient":
        return None
    start, end = color(value.get("startColor")), color(value.get("endColor"))
    if start is None or end is None:
        return None
    angle = _ANGLE.fullmatch(value["angle"]) if isinstance(value.get("angle"), str) else None
    stops = [f"{start} 0%"]
    center = color(value.get("centerColor"))
    if center is not None:
        position = value.get("centerPosition")
        stops.append(f"{center} {position if isinstance(position, str) and _PCT.fullmatch(position) else '50%'}")
    stops.append(f"{end} 100%")
    return f"linear-gradient({num(float(angle.group(1))) if angle else '0'}deg, {', '.join(stops)})"


def _font(comp: Mapping[str, Any], ctx: Context, base: float | None = None) -> float:
    sizes = table()["textSize"]
    raw = comp.get("size")
    size: float = base if base is not None else sizes["md"]
    if isinstance(raw, str):
        if raw in sizes:
            size = sizes[raw]
        elif _PX.fullmatch(raw):
            size = float(raw[:-2])
    if comp.get("scaling") is True:
        size *= ctx.font_scale
    return size


def _font_size(size: float, fit: bool) -> str:
    return f"calc(var(--fx-fit, 1) * {num(size)}px)" if fit else f"{num(size)}px"


def _text_props(comp: Mapping[str, Any]) -> dict[str, str | None]:
    return {
        "color": color(comp.get("color")),
        "font-weight": {"bold": "700", "regular": "400"}.get(str(comp.get("weight"))),
        "font-style": {"italic": "italic", "normal": "normal"}.get(str(comp.get("style"))),
        "text-decoration-line": {"underline": "underline", "line-through": "line-through"}.get(
            str(comp.get("decoration"))),
    }


def _fit_attr(comp: Mapping[str, Any]) -> str:
    if comp.get("adjustMode") != "shrink-to-fit":
        return ""
    fit = table()["fit"]
    return f' data-fit="" data-fit-min="{fit["minScale"]}" data-fit-step="{fit["step"]}"'


def _gravity(comp: Mapping[str, Any], layout: str) -> str | None:
    return None if layout == "baseline" else _GRAVITY.get(str(comp.get("gravity")))


def _text(comp: Mapping[str, Any], place: dict[str, str | None], layout: str, ctx: Context, path: str) -> str:
    t = table()
    fit = comp.get("adjustMode") == "shrink-to-fit"
    size = _font(comp, ctx)
    line = t["lineHeight"]
    props: dict[str, str | None] = {"font-size": _font_size(size, fit), "color": t["textColor"]}
    props.update({k: v for k, v in _text_props(comp).items() if v is not None})
    props["text-align"] = {"start": "start", "end": "end", "center": "center"}.get(str(comp.get("align")))
    wrap = comp.get("wrap") is True
    gap = _length(comp.get("lineSpacing"), None, percent=False) if wrap else None
    if gap is not None:
        props["line-height"] = f"calc({line}em + {gap})"
        props["margin-block"] = f"calc({gap} / -2)"
    else:
        props["line-height"] = str(line)
    lines = _flex_value(comp.get("maxLines"))
    cls = "fx-t fx-wrap" if wrap else "fx-t fx-line"
    if wrap and lines:
        cls += " fx-clamp"
        props["-webkit-line-clamp"] = str(lines)
    spans = comp.get("contents") if isinstance(comp.get("contents"), list) else None
    if spans:
        parts = []
        for j, span in enumerate(spans):
            if isinstance(span, Mapping) and span.get("type") == "span" and isinstance(span.get("text"), str):
                sprops = _text_props(span)
                if "size" in span:
                    sprops["font-size"] = _font_size(_font(span, ctx), fit)
                parts.append(tag("span", "fx-span", sprops, str(escape(span["text"])),
                                 _mark(ctx, f"{path}/contents/{j}")))
        inner = "".join(parts)
    else:
        text = comp.get("text")
        inner = str(escape(text if isinstance(text, str) else "" if text is None else json.dumps(text)))
    outer = dict(place)
    outer["justify-content"] = _gravity(comp, layout)
    return tag("div", "fx-text", outer, tag("p", cls, props, inner, _fit_attr(comp) + _mark(ctx, path)))


def _button(comp: Mapping[str, Any], place: dict[str, str | None], layout: str, ctx: Context, path: str) -> str:
    spec = table()["button"]
    style = comp.get("style") if comp.get("style") in spec["styles"] else "link"
    colours = spec["styles"][style]
    height = spec["height"].get(str(comp.get("height")), spec["height"]["md"])
    own = color(comp.get("color"))
    fit = comp.get("adjustMode") == "shrink-to-fit"
    props = {"height": f"{height}px", "border-radius": f"{spec['radius']}px",
             "padding-inline": f"{spec['paddingX']}px",
             "background-color": own if own and style != "link" else colours["background"],
             "color": own if own and style == "link" else colours["color"]}
    action = comp.get("action") if isinstance(comp.get("action"), Mapping) else {}
    assert isinstance(action, Mapping)
    label = action.get("label")
    inner = tag("span", "fx-label", {"font-size": _font_size(_font(comp, ctx, spec["fontSize"]), fit)},
                 str(escape(label if isinstance(label, str) else "")), _fit_attr(comp))
    outer = dict(place)
    outer["justify-content"] = _gravity(comp, layout)
    button = tag("div", f"fx-btn fx-btn-{style}", props, inner, ' role="button"' + _mark(ctx, path))
    return tag("div", "fx-button", outer, button)


def _image(comp: Mapping[str, Any], place: dict[str, str | None], layout: str, ctx: Context) -> str:
    kind = "video" if comp.get("type") == "video" else "image"
    sizes = table()["imageSize"]
    raw = comp.get("size", "md") if kind == "image" else "full"
    width = "100%" if raw == "full" else (_length(raw, sizes) or f"{sizes['md']}px")
    w, h = _ratio(comp.get("aspectRatio"))
    props = {"width": width, "aspect-ratio": f"{num(w)} / {num(h)}",
             "background-color": color(comp.get("backgroundColor"))}
    ctx.media.append(kind)
    media = tag("div", f"fx-media fx-{kind}", props, "", f' data-media="{kind}" role="img"')
    outer = dict(place)
    if place.get("position") == "absolute" and width.endswith("%"):
        outer["width"] = "100%"  # an absolute full-size image fills its parent's width (a background)
    outer["justify-content"] = _ALIGN.get(str(comp.get("align")), "center")
    outer["align-items"] = _gravity(comp, layout) or "flex-start"
    return tag("div", "fx-image", outer, media)


def _icon(comp: Mapping[str, Any], place: dict[str, str | None], ctx: Context) -> str:
    """The icon stands on the baseline of a line box of its own size (1.4 x its size tall)."""
    size = _font(comp, ctx)
    w, h = _ratio(comp.get("aspectRatio"))
    line = dict(place)
    line.update({"font-size": f"{num(size)}px", "line-height": num(table()["icon"]["lineHeight"])})
    props = {"width": f"{num(size * w / h)}px", "height": f"{num(size)}px"}
    ctx.media.append("icon")
    icon = tag("span", "fx-media fx-icon", props, "", ' data-media="icon" role="img"')
    return tag("span", "fx-iconline", line, icon)


def _separator(comp: Mapping[str, Any], place: dict[str, str | None], layout: str) -> str:
    spec = table()["separator"]
    colour = color(comp.get("color")) or spec["color"]
    props = dict(place)
    props["flex"] = "0 0 auto"
    # The separator takes no space (its ``space`` is 0); its hairline is painted over the flow by
    # flex.css (``::after``, ``--fx-hair`` wide), as the Simulator draws it.
    props["width" if layout in ROW else "height"] = f"{num(spec['space'])}px"
    props["color"] = colour
    return tag("div", f"fx-sep fx-sep-{'v' if layout in ROW else 'h'}", props, "")
