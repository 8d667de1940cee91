"""Colours as a Flex bubble draws them, for the contrast rules (G080-G084).

WCAG 2.x arithmetic (relative luminance, contrast ratio), ``#RRGGBBAA`` composited over what is
behind, and a walk of each bubble that gives every text, span and button label its effective text
colour and the effective background behind it: the bubble, then the block's
``styles.*.backgroundColor``, then each enclosing box's ``backgroundColor`` (and gradient). The
defaults (LINE's text colour, bubble background, button styles, the px of each size keyword) are
read from the renderer's table, ``toolkit/render/templates/flex.json``, as a data file (rules do not
import the renderer), so a calibration there moves the rules with the pictures.
"""

from __future__ import annotations

import colorsys
import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path as _FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ._text import load_data

if TYPE_CHECKING:
    from ..spec.message import Message

__all__ = ["Backdrop", "Drawn", "bubble_texts", "contrast", "hex_of", "luminance", "nearest_passing", "over",
           "parse_colour", "rule_data", "thresholds"]

Path = tuple[str | int, ...]
RGB = tuple[float, float, float]
#: The renderer's table of sizes and default colours (read as data, never imported).
FLEX_TABLE = _FsPath(__file__).resolve().parent.parent / "render" / "templates" / "flex.json"
_HEX = re.compile(r"#([0-9a-fA-F]{6})([0-9a-fA-F]{2})?")
_PX = re.compile(r"(\d{1,5}(?:\.\d{1,3})?)px")


@lru_cache(maxsize=1)
def flex_table() -> Mapping[str, Any]:
    data: dict[str, Any] = json.loads(FLEX_TABLE.read_text(encoding="utf-8"))
    return data


def rule_data() -> Mapping[str, Any]:
    """``toolkit/rules/wordlists/contrast.json``: WCAG levels, large-text sizes, the dark-mode assumption."""
    return load_data("contrast")


# --- WCAG 2.x arithmetic -------------------------------------------------------------------------------


def parse_colour(value: Any) -> tuple[RGB, float] | None:
    """``#RRGGBB`` or ``#RRGGBBAA`` as (sRGB 0-255, alpha 0-1); anything else is None (LINE's API
    rejects it, and the app draws its default)."""
    match = _HEX.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    digits = match.group(1)
    rgb = (float(int(digits[0:2], 16)), float(int(digits[2:4], 16)), float(int(digits[4:6], 16)))
    return rgb, (int(match.group(2), 16) / 255 if match.group(2) else 1.0)


def over(top: tuple[RGB, float], below: RGB) -> RGB:
    """``top`` with its alpha painted over an opaque ``below`` (what a browser does, in sRGB)."""
    rgb, alpha = top
    return (rgb[0] * alpha + below[0] * (1 - alpha), rgb[1] * alpha + below[1] * (1 - alpha),
            rgb[2] * alpha + below[2] * (1 - alpha))


def _linear(channel: float) -> float:
    c = channel / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(rgb: RGB) -> float:
    """WCAG 2.x relative luminance."""
    return 0.2126 * _linear(rgb[0]) + 0.7152 * _linear(rgb[1]) + 0.0722 * _linear(rgb[2])


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2.x contrast ratio, 1 to 21."""
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def hex_of(rgb: RGB) -> str:
    return "#" + "".join(f"{min(255, max(0, round(c))):02X}" for c in rgb)


def _snap(rgb: RGB) -> RGB:
    return (float(min(255, max(0, round(rgb[0])))), float(min(255, max(0, round(rgb[1])))),
            float(min(255, max(0, round(rgb[2])))))


def nearest_passing(colour: RGB, other: RGB, target: float) -> str | None:
    """The colour of the same hue and saturation (HSL) nearest in lightness to ``colour`` whose
    contrast with ``other`` reaches ``target``, as ``#RRGGBB``; None when no lightness does."""
    h, lightness, s = colorsys.rgb_to_hls(*(c / 255 for c in colour))

    def at(light: float) -> RGB:
        return _snap(tuple(c * 255 for c in colorsys.hls_to_rgb(h, light, s)))  # type: ignore[arg-type]

    best: tuple[float, RGB] | None = None
    for end in (0.0, 1.0):  # darker, then lighter: luminance moves one way along each side
        if contrast(at(end), other) < target:
            continue
        near, far = lightness, end  # the passing lightness nearest to ours lies between
        for _ in range(40):
            middle = (near + far) / 2
            if contrast(at(middle), other) >= target:
                far = middle
            else:
                near = middle
        if best is None or abs(far - lightness) < best[0]:
            best = (abs(far - lightness), at(far))
    return hex_of(best[1]) if best else None


def thresholds(level: str) -> tuple[float, float]:
    """(normal, large) text ratios for ``AA`` or ``AAA``."""
    chosen = rule_data()["levels"].get(level) or rule_data()["levels"]["AA"]
    return float(chosen["normal"]), float(chosen["large"])


def is_large(px: float, bold: bool) -> bool:
    """WCAG large text: at least 24 px (18 pt), or 18.67 px (14 pt) bold."""
    large = rule_data()["largeText"]
    return px >= large["px"] or (bold and px >= large["boldPx"])


# --- what is behind a text ------------------------------------------------------------------------------


class Backdrop(NamedTuple):
    """What is behind a component: a known colour, a gradient (sampled colours) or an image.

    ``explicit``: an author's colour shows in it (not only LINE's defaults). ``dark``: the same
    layers under the dark-mode assumption (LINE's default bubble darkened, explicit colours kept);
    None when unknown.
    """

    colour: RGB | None
    explicit: bool = False
    dark: RGB | None = None
    gradient: tuple[RGB, ...] = ()
    image: bool = False

    def paint(self, layer: tuple[RGB, float]) -> Backdrop:
        """An author's colour layer painted over this backdrop."""
        if layer[1] >= 1:
            return Backdrop(layer[0], True, layer[0])
        if self.gradient:
            return Backdrop(None, True, None, gradient=tuple(over(layer, c) for c in self.gradient))
        if self.colour is None:
            return self
        return Backdrop(over(layer, self.colour), True, over(layer, self.dark) if self.dark else None)

    def shade(self, stops: tuple[tuple[tuple[RGB, float], float], ...]) -> Backdrop:
        """A linear gradient over this backdrop: its colours sampled every 5% (sRGB, as CSS mixes)."""
        if self.image:
            return self
        if self.colour is None:  # a gradient over a gradient: every pair of their colours
            return Backdrop(None, True, None, gradient=tuple(
                c for below in self.gradient for c in Backdrop(below).shade(stops).gradient))
        below = self.colour
        solid = [(over(c, below), at) for c, at in stops]
        samples = []
        for step in range(21):
            t = step / 20
            for (a, ta), (b, tb) in zip(solid, solid[1:], strict=False):
                if ta <= t <= tb:
                    k = 0.0 if tb == ta else (t - ta) / (tb - ta)
                    samples.append((a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k))
                    break
        samples.extend(c for c, _ in solid)
        return Backdrop(None, True, None, gradient=tuple(samples))


IMAGE = Backdrop(None, True, None, image=True)


class Drawn(NamedTuple):
    """One text, span or button label as drawn: where, its colours, its size."""

    path: Path
    kind: str  # text | span | button
    style: str | None  # a button's style
    colour: tuple[RGB, float]  # the text colour as declared or defaulted (alpha not yet applied)
    explicit: bool  # the text colour is the author's
    backdrop: Backdrop
    px: float
    bold: bool
    text: str

    def seen(self, behind: RGB) -> RGB:
        return over(self.colour, behind)


def _px(value: Any, base: float) -> float:
    sizes = flex_table()["textSize"]
    if isinstance(value, str):
        if value in sizes:
            return float(sizes[value])
        match = _PX.fullmatch(value)
        if match:
            return float(match.group(1))
    return base


def _has_media(node: Any, depth: int = 0) -> bool:
    if not isinstance(node, Mapping) or depth > 60:
        return False
    if node.get("type") in ("image", "video"):
        return True
    contents = node.get("contents")
    return node.get("type") == "box" and isinstance(contents, list) and any(_has_media(c, depth + 1) for c in contents)


def _gradient(value: Any) -> tuple[tuple[tuple[RGB, float], float], ...] | None:
    if not isinstance(value, Mapping) or value.get("type") != "linearGradient":
        return None
    start, end, center = (parse_colour(value.get(k)) for k in ("startColor", "endColor", "centerColor"))
    if start is None or end is None:
        return None
    stops = [(start, 0.0)]
    if center is not None:
        position = value.get("centerPosition")
        match = re.fullmatch(r"(\d{1,3}(?:\.\d+)?)%", position) if isinstance(position, str) else None
        stops.append((center, min(1.0, float(match.group(1)) / 100) if match else 0.5))
    stops.append((end, 1.0))
    return tuple(stops)


def _walk(node: Any, path: Path, behind: Backdrop, depth: int = 0) -> Iterator[Drawn]:
    if not isinstance(node, Mapping) or depth > 60:
        return
    kind = node.get("type")
    if kind == "box":
        own = parse_colour(node.get("backgroundColor"))
        here = behind.paint(own) if own else behind
        stops = _gradient(node.get("background"))
        if stops:
            here = here.shade(stops)
        contents = node.get("contents")
        if not isinstance(contents, list):
            return
        media = absolute_media = False  # seen among the earlier children
        for i, child in enumerate(contents):
            absolute = isinstance(child, Mapping) and child.get("position") == "absolute"
            # Later components are drawn over earlier ones: an absolute one after an image sibling,
            # and anything after an absolute image, sits on a picture.
            over_image = absolute_media or (absolute and media)
            yield from _walk(child, (*path, "contents", i), IMAGE if over_image else here, depth + 1)
            if _has_media(child, depth + 1):
                media = True
                absolute_media = absolute_media or absolute
    elif kind == "text":
        yield from _text(node, path, behind)
    elif kind == "button":
        yield from _button(node, path, behind)


def _text(node: Mapping[str, Any], path: Path, behind: Backdrop) -> Iterator[Drawn]:
    table = flex_table()
    default = parse_colour(table["textColor"])
    assert default is not None
    own = parse_colour(node.get("color"))
    px = _px(node.get("size"), float(table["textSize"]["md"]))
    bold = node.get("weight") == "bold"
    spans = node.get("contents")
    if isinstance(spans, list) and spans:
        for j, span in enumerate(spans):
            if not isinstance(span, Mapping) or span.get("type") != "span":
                continue
            words = span.get("text")
            if not isinstance(words, str) or not words.strip():
                continue
            colour = parse_colour(span.get("color")) or own
            weight = span.get("weight")
            yield Drawn((*path, "contents", j), "span", None, colour or default, colour is not None, behind,
                        _px(span.get("size"), px), weight == "bold" if weight in ("bold", "regular") else bold,
                        words)
        return
    words = node.get("text")
    if isinstance(words, str) and words.strip():
        yield Drawn(path, "text", None, own or default, own is not None, behind, px, bold, words)


def _button(node: Mapping[str, Any], path: Path, behind: Backdrop) -> Iterator[Drawn]:
    spec = flex_table()["button"]
    action = node.get("action")
    label = action.get("label") if isinstance(action, Mapping) else None
    if not isinstance(label, str) or not label.strip():
        return
    style = node.get("style") if node.get("style") in spec["styles"] else "link"
    colours = spec["styles"][style]
    own = parse_colour(node.get("color"))
    px = float(spec["fontSize"])
    if style == "link":
        colour = own or parse_colour(colours["color"])
        assert colour is not None
        yield Drawn(path, "button", style, colour, own is not None, behind, px, False, label)
        return
    text = parse_colour(colours["color"])
    fill = own or parse_colour(colours["background"])
    assert text is not None and fill is not None
    if own is None:
        backdrop = Backdrop(fill[0], False, fill[0])  # LINE's own button colours, kept in dark mode (assumed)
    else:
        backdrop = behind.paint(own)
    yield Drawn(path, "button", style, text, False, backdrop, px, False, label)


def bubble_texts(bubble: Mapping[str, Any], path: Path, dark_background: RGB) -> Iterator[Drawn]:
    """Every text, span and button label of one bubble, in document order, with what is behind it."""
    table = flex_table()
    white = parse_colour(table["bubbleBackground"])
    assert white is not None
    base = Backdrop(white[0], False, dark_background)
    styles = bubble.get("styles") if isinstance(bubble.get("styles"), Mapping) else {}
    assert isinstance(styles, Mapping)
    for block in ("header", "hero", "body", "footer"):
        root = bubble.get(block)
        if not isinstance(root, Mapping):
            continue
        style = styles.get(block) if isinstance(styles.get(block), Mapping) else {}
        assert isinstance(style, Mapping)
        own = parse_colour(style.get("backgroundColor"))
        yield from _walk(root, (*path, block), base.paint(own) if own else base)


def bubbles(msg: Message) -> Iterator[tuple[Path, Mapping[str, Any]]]:
    """``(path, bubble)`` of every bubble in the message's Flex containers."""
    from ._flextree import bubbles as all_bubbles

    for path, bubble, _ in all_bubbles(msg):
        yield path, bubble
