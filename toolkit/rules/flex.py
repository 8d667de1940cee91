"""Guideline rules on width at phone size (G050-G053) and on Flex containers (G060, G061, G064, G065).

Widths are display widths (`_text.display_width`): East Asian wide characters and emoji take two
columns, Thai vowel and tone marks none. At a phone 375 px wide one column of 16 px text is about
8 px; how LINE lays out a template's emphasized value and items is not documented [U], so the
limits are defaults a team can change with the option `max-display-width`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet
from ._text import (
    LANGUAGES,
    display_width,
    fields,
    flex_messages,
    load_data,
    nfkc,
    option,
    walk,
    wordlist,
)

__all__ = ["RULES"]

_rules = RuleSet("guideline")
rule = _rules.rule

Path = tuple[str | int, ...]

#: Default widths in columns, for option `max-display-width` (fields: emphasized, item, button-label, flex-text).
DEFAULT_WIDTH = {"emphasized": 20, "item": 120}
PHONE_WIDTH = 375
#: Widest bubble that fits on a 375 px phone, and each bubble size's width and side padding (px).
_BUBBLE = {"nano": (120, 10), "micro": (160, 10), "deca": (220, 13), "hecto": (241, 14), "kilo": (260, 13),
           "mega": (300, 20), "giga": (500, 20)}
_FIT = PHONE_WIDTH - 60
_FONT = {"xxs": 11, "xs": 13, "sm": 14, "md": 16, "lg": 19, "xl": 22, "xxl": 29, "3xl": 35, "4xl": 48, "5xl": 74}
_BUTTON_PADDING = 32


def _widths(msg: Message) -> dict[str, Any]:
    """Option `max-display-width`: a mapping of field to columns; a bare integer is the emphasized width."""
    value = option(msg, "max-display-width", int)
    if value is not None and not isinstance(value, bool):
        return {"emphasized": value}
    return option(msg, "max-display-width", dict) or {}


def _width_limit(msg: Message, name: str) -> int | None:
    value = _widths(msg).get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return DEFAULT_WIDTH.get(name)


@rule("G050", "emphasized-value-cut-off", "warning",
      "Shorten the emphasized value (a date, an amount) and move detail to the items.",
      applies_to=("template",))
def emphasized_value_cut_off(msg: Message) -> Iterator[Hit]:
    """The emphasized value is wider than its line on a phone and is likely cut off or shrunk.

    What it does: measures the emphasized item's value as display width (Japanese and Chinese
    characters count two columns, Thai marks above and below the line none) against
    `max-display-width.emphasized` (default 20 columns, about ten Japanese characters: LINE's own
    example "2024年8月10日(土)" is 17).

    Why: the API counts 15 characters, but 15 Japanese characters in large type are twice as wide
    as 15 digits; a value that does not fit one line is cut off at the phone's width.

    Example: `"ご注文の商品は発送済みです"` (26 columns). Use instead: `"8月10日(土)"`.
    """
    limit = _width_limit(msg, "emphasized") or DEFAULT_WIDTH["emphasized"]
    for field in fields(msg):
        if field.role == "emphasized":
            width = display_width(field.text)
            if width > limit:
                yield Hit(field.path, N_("the emphasized value is {width} columns wide; about {limit} fit on one line "
                                         "at {phone} px.", width=width, limit=limit, phone=PHONE_WIDTH))


@rule("G051", "item-value-too-wide", "info",
      "Keep an item to a short value; put long explanations on the linked page.", applies_to=("template",))
def item_value_too_wide(msg: Message) -> Iterator[Hit]:
    """A line of an item's value is very wide and will wrap into many lines or be cut off.

    What it does: measures each line of each item value as display width against
    `max-display-width.item` (default 120 columns, about five lines of the value column at
    375 px).

    Why: items are short label/value rows; a long value pushes the buttons off the screen and
    may be truncated.

    Example: a 120-character delivery note as the value of `name_010_ja`.
    """
    limit = _width_limit(msg, "item") or DEFAULT_WIDTH["item"]
    for field in fields(msg):
        if field.role == "item":
            width = max(display_width(line) for line in field.text.split("\n"))
            if width > limit:
                yield Hit(field.path, N_("a line of this value is {width} columns wide (about {limit} show well).",
                                         width=width, limit=limit))


def _font_px(node: dict[str, Any]) -> float:
    size = node.get("size", "md")
    if isinstance(size, str) and size in _FONT:
        return _FONT[size]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)px", size) if isinstance(size, str) else None
    return float(match.group(1)) if match else 16.0


def _share(parent: dict[str, Any], child: Any) -> float:
    """The part of a horizontal box's width one child gets (by `flex`, default 1)."""
    contents = parent.get("contents")
    if parent.get("layout") not in ("horizontal", "baseline") or not isinstance(contents, list):
        return 1.0
    weights = [c.get("flex", 1) if isinstance(c, dict) else 1 for c in contents]
    weights = [w if isinstance(w, (int, float)) and w > 0 else 0 for w in weights]
    total = sum(weights)
    mine = child.get("flex", 1) if isinstance(child, dict) else 1
    if not isinstance(mine, (int, float)) or mine <= 0 or total <= 0:
        return 1.0 / max(len(contents), 1)
    return mine / total


def _components(node: Any, path: Path, width: float) -> Iterator[tuple[Path, dict[str, Any], float]]:
    """Each Flex component with the width (px) it can take at most."""
    stack: list[tuple[Path, Any, float]] = [(path, node, width)]
    while stack:
        here, item, room = stack.pop()
        if not isinstance(item, dict):
            continue
        yield here, item, room
        contents = item.get("contents")
        if item.get("type") == "box" and isinstance(contents, list):
            for i, child in reversed(list(enumerate(contents))):
                stack.append(((*here, "contents", i), child, room * _share(item, child)))


def _bubbles(msg: Message) -> Iterator[tuple[Path, dict[str, Any]]]:
    for i, message in flex_messages(msg):
        contents = message.get("contents")
        if not isinstance(contents, dict):
            continue
        if contents.get("type") == "bubble":
            yield ("messages", i, "contents"), contents
        elif contents.get("type") == "carousel" and isinstance(contents.get("contents"), list):
            for j, bubble in enumerate(contents["contents"]):
                if isinstance(bubble, dict):
                    yield ("messages", i, "contents", "contents", j), bubble


def _bubble_components(bubble: dict[str, Any], path: Path) -> Iterator[tuple[Path, dict[str, Any], float]]:
    size = bubble.get("size", "mega")
    width, padding = _BUBBLE.get(size if isinstance(size, str) else "mega", _BUBBLE["mega"])
    room = min(width, _FIT) - 2 * padding
    for block in ("header", "hero", "body", "footer"):
        if isinstance(bubble.get(block), dict):
            yield from _components(bubble[block], (*path, block), room)


@rule("G052", "button-label-cut-off", "warning", "Shorten the button label to a few words.",
      applies_to=("flexible",))
def button_label_cut_off(msg: Message) -> Iterator[Hit]:
    """A Flex button's label is wider than the button on a phone and is cut off.

    What it does: estimates the width each button gets (the bubble's width at 375 px, shared with
    the buttons beside it in a horizontal box) and compares the label's display width with it, or
    with `max-display-width.button-label` columns when that option is set.

    Why: LINE accepts 40 characters, but a button shows one line; a long label ends in "..." and
    the reader cannot tell what the button does.

    Example: `"配送状況の確認とお届け日時の変更はこちら"` on a full-width button.

    Use instead: `"配送状況を確認"`.
    """
    fixed = _widths(msg).get("button-label")
    for path, bubble in _bubbles(msg):
        for here, node, room in _bubble_components(bubble, path):
            action = node.get("action")
            if node.get("type") != "button" or not isinstance(action, dict) or not isinstance(action.get("label"), str):
                continue
            columns = int((room - _BUTTON_PADDING) / 8)
            if isinstance(fixed, int) and fixed > 0:
                columns = int(fixed * room / (min(_BUBBLE["mega"][0], _FIT) - 2 * _BUBBLE["mega"][1]))
            width = display_width(action["label"])
            if width > max(columns, 1):
                yield Hit((*here, "action", "label"), N_("the label is {width} columns wide; the button shows about "
                                                         "{limit} at {phone} px.", width=width, limit=max(columns, 1),
                                                         phone=PHONE_WIDTH))


@rule("G053", "flex-text-cut-off", "info", "Set \"wrap\": true on the text, or shorten it.",
      applies_to=("flexible",))
def flex_text_cut_off(msg: Message) -> Iterator[Hit]:
    """A Flex text that does not wrap is wider than the space it has and ends in "...".

    What it does: for each text component without `"wrap": true` (and without
    `"adjustMode": "shrink-to-fit"`), estimates the width it gets in its bubble at 375 px (shared
    in horizontal boxes by `flex`) and the width of its text at its size (a wide character is one
    em, others half), and reports text that cannot fit. `max-display-width.flex-text` sets the
    columns of md-size text in a mega bubble instead of the estimate.

    Why: Flex text is a single line unless it wraps; the rest is cut off with "...", often the
    very fact the notice is about (a date, an amount).

    Example: `{"type": "text", "text": "お届け予定日は2024年8月10日(土)午前中です"}` without `wrap`.
    """
    fixed = _widths(msg).get("flex-text")
    for path, bubble in _bubbles(msg):
        for here, node, room in _bubble_components(bubble, path):
            text = node.get("text")
            if node.get("type") != "text" or not isinstance(text, str) or node.get("wrap") is True:
                continue
            if node.get("adjustMode") == "shrink-to-fit" or "contents" in node:
                continue
            font = _font_px(node)
            columns = room / (font / 2)
            if isinstance(fixed, int) and fixed > 0:
                columns = fixed * (16 / font) * room / (min(_BUBBLE["mega"][0], _FIT) - 2 * _BUBBLE["mega"][1])
            width = max(display_width(line) for line in text.split("\n"))
            if width > columns:
                yield Hit((*here, "text"), N_("this text is {width} columns wide and does not wrap; about {limit} fit "
                                              "at {phone} px.", width=width, limit=int(columns), phone=PHONE_WIDTH))


# --- Flex containers --------------------------------------------------------------------------------

_MEDIA_KEY = re.compile(r"(?i)(?:background)?(?:image|icon|thumbnail(?:image)?|preview)(?:url)?")


@rule("G060", "media-in-flex", "warning", "Say it in words: notification messages carry no images or video.",
      applies_to=("flexible",))
def media_in_flex(msg: Message) -> Iterator[Hit]:
    """A Flex message shows an image, video or icon (hero images and background images included).

    What it does: reports `image`, `video` and `icon` components anywhere in a Flex container (a
    hero image is one), and properties that point at an image (`backgroundImage`, `iconUrl`,
    `thumbnailImageUrl`, `previewUrl`...) in Flex and template messages.

    Why: LINE does not permit messages containing images, video or audio in notification messages
    [C]; whether images inside a Flex message pass review is not documented [U], so this is a
    warning. Images also do not reach readers who only see the notification.

    Example: a bubble with `"hero": {"type": "image", "url": "https://..."}`.
    """
    messages = msg.body.get("messages")
    if not isinstance(messages, list):
        return
    for i, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("type") not in ("flex", "template"):
            continue
        for path, node in walk(message, ("messages", i)):
            if "sender" in path:
                continue  # the sender's icon is the account's, not content
            kind = node.get("type")
            if kind in ("image", "video", "icon") and len(path) > 2:
                if path[-1] == "hero":
                    yield Hit(path, N_("a hero {type} component: notification messages may not carry images or video.",
                                       type=kind))
                elif kind[0] in "aeiou":
                    yield Hit(path, N_("an {type} component: notification messages may not carry images or video.",
                                       type=kind))
                else:
                    yield Hit(path, N_("a {type} component: notification messages may not carry images or video.",
                                       type=kind))
                continue
            for key, value in node.items():
                if (isinstance(value, str) and _MEDIA_KEY.fullmatch(key) and value.startswith(("http://", "https://"))
                        and kind not in ("image", "video", "icon")):
                    yield Hit((*path, key), N_("{property} shows an image: notification messages may not carry images.",
                                               property=key))


def _fold(text: str) -> str:
    return re.sub(r"[\W_]+", "", nfkc(text).casefold())


_GENERIC: frozenset[str] | None = None


def _generic() -> frozenset[str]:
    global _GENERIC
    if _GENERIC is None:
        _GENERIC = frozenset(_fold(t) for lang in LANGUAGES for t in wordlist(lang).get("genericAltText", ()))
    return _GENERIC


@rule("G061", "generic-alt-text", "warning",
      "Write the notice's key fact as altText: \"ご注文の商品を発送しました（8/10お届け予定）\".",
      applies_to=("flexible",))
def generic_alt_text(msg: Message) -> Iterator[Hit]:
    """A Flex message's altText says nothing: "Flex Message", "通知", "ข้อความ", or only symbols.

    What it does: compares each Flex message's altText, ignoring case, spaces and punctuation,
    with the generic phrases listed per language in `toolkit/rules/wordlists/<language>.json` (tool
    defaults such as "This is a Flex Message" included), and reports altText with no letters at
    all. (A missing or empty altText is an API error: A001, A033.)

    Why: altText is what the reader sees in the notification, the chat list and on a smartwatch,
    and what screen readers speak; a generic text hides what the notice is about and makes it look
    like spam.

    Example: `"altText": "Flex Message"`. Use instead: `"altText": "Your order #1234 has shipped"`.
    """
    generic = _generic()
    for i, message in flex_messages(msg):
        alt = message.get("altText")
        if not isinstance(alt, str) or not alt.strip():
            continue
        folded = _fold(alt)
        if folded in generic:
            yield Hit(("messages", i, "altText"), N_("altText {value} is generic; it should say what the notice is "
                                                     "about.", value=repr(alt.strip())))
        elif not any(c.isalnum() for c in folded):
            yield Hit(("messages", i, "altText"), N_("altText has no words, only symbols or emoji."))


def _version(text: str) -> tuple[int, ...] | None:
    if not re.fullmatch(r"\d+(?:\.\d+){0,3}", text.strip()):
        return None
    parts = tuple(int(p) for p in text.strip().split("."))
    return parts + (0,) * (4 - len(parts))


@rule("G064", "feature-needs-newer-app", "warning",
      "Use a feature every supported LINE version has, or raise the option min-app-version.",
      applies_to=("flexible",))
def feature_needs_newer_app(msg: Message) -> Iterator[Hit]:
    """A Flex feature needs a newer LINE app than the oldest version the team supports.

    What it does: compares the features a message uses (in Flex containers and quick replies) with
    the table in `toolkit/rules/wordlists/app-versions.json` (bubble sizes `deca` and `hecto` need LINE
    13.6.0, the clipboard action 14.0.0) and the option `min-app-version`. The default is 15.9.0, the
    version that shows the "Important notification" label every notification message has, so by
    default nothing older is assumed; set a lower version to support older apps.

    Why: an older app shows a different layout (a deca bubble as kilo) or drops the feature, so
    some readers see a broken notice.

    Example: with `min-app-version = "13.0.0"`, a bubble with `"size": "deca"`.
    """
    data = load_data("app-versions")
    minimum_text = (option(msg, "min-app-version", str) or data["defaultMinVersion"]).strip()
    minimum = _version(minimum_text)
    if minimum is None:
        return
    features = [(f, _version(f["minVersion"])) for f in data["features"]]
    features = [(f, v) for f, v in features if v is not None and v > minimum]
    if not features:
        return
    messages = msg.body.get("messages")
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        for path, node in walk(message, ("messages", i)):
            for feature, _ in features:
                match = feature["match"]
                if "action" in match:
                    hit = node.get("type") == match["action"] and path[-1] == "action"
                else:
                    hit = node.get("type") == match["container"] and node.get(match["property"]) == match["value"]
                if hit:
                    where = path if "action" in match else (*path, match["property"])
                    # Translators: {feature} and {fallback} are English words from the app-version table.
                    yield Hit(where, N_("{feature} needs LINE {version} or later ({fallback} on older apps); the minimum "
                                        "supported version is {minimum}.", feature=feature["description"],
                                        version=feature["minVersion"], fallback=feature["fallback"],
                                        minimum=minimum_text))


#: The largest phone screen LINE runs on, in CSS pixels (430 x 932, the largest iPhones); a
#: component larger than the screen in the direction a property measures cannot be seen whole.
SCREEN_WIDTH, SCREEN_HEIGHT = 430, 932
#: Pixel properties of Flex components by the screen side they are measured against.
_ACROSS = ("width", "maxWidth", "offsetStart", "offsetEnd", "paddingStart", "paddingEnd", "size")
_DOWN = ("height", "maxHeight", "offsetTop", "offsetBottom", "paddingTop", "paddingBottom", "paddingAll",
         "margin", "spacing", "lineSpacing", "cornerRadius", "borderWidth")
_COMPONENTS = frozenset({"box", "text", "span", "image", "icon", "button", "separator", "filler", "video"})


def _pixels(value: Any) -> float | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*px\s*", value) if isinstance(value, str) else None
    return float(match.group(1)) if match and len(match.group(1)) < 20 else None


@rule("G065", "oversized-flex-component", "warning",
      "Use the size keywords (xs-5xl) or lengths that fit a phone screen.", applies_to=("flexible",))
def oversized_flex_component(msg: Message) -> Iterator[Hit]:
    """A Flex component is given a size in pixels larger than any phone screen.

    What it does: reads every pixel length of every Flex component, spans included: a box's
    `width`, `height`, `maxWidth`, `maxHeight`, offsets, paddings, `margin`, `spacing`, corner
    radius and border; a text's or span's `size` and `lineSpacing`; an icon's or image's `size`.
    Lengths across the screen are compared with 430 px, lengths down it with 932 px (the largest
    phone screens LINE runs on); percentages and keywords are not read. (An image's `aspectRatio`
    is an API check: LINE refuses a height over three times the width, A044.)

    Why: LINE accepts any pixel length, but a component larger than the screen is never seen
    whole: a reader scrolls through an empty box or a single giant letter, and the message says
    nothing. Such a layout is almost always a typo (`99999px` for `99px`). The preview cuts a
    page taller than 12,000 px there and says so in its sidecar.

    Example: `{"type": "box", "layout": "vertical", "height": "99999px", "contents": []}`,
    `{"type": "text", "text": "SALE", "size": "99999px"}`.

    Use instead: `"height": "120px"`, `"size": "xl"`.
    """
    for i, message in flex_messages(msg):
        for path, node in walk(message.get("contents"), ("messages", i, "contents")):
            kind = node.get("type")
            if not isinstance(kind, str) or kind not in _COMPONENTS:
                continue
            for names, limit, side in ((_ACROSS, SCREEN_WIDTH, "wide"), (_DOWN, SCREEN_HEIGHT, "tall")):
                for name in names:
                    pixels = _pixels(node.get(name))
                    if pixels is not None and pixels > limit:
                        said = N_("{property} {value} is larger than any phone screen ({limit} px wide); the "
                                     "component cannot be seen whole.", property=name, value=node[name].strip(),
                                     limit=limit) if side == "wide" else N_(
                            "{property} {value} is larger than any phone screen ({limit} px tall); the component "
                            "cannot be seen whole.", property=name, value=node[name].strip(), limit=limit)
                        yield Hit((*path, name), said)


RULES = _rules.freeze()
