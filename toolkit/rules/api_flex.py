"""API checks of Flex Messages in a flexible body (codes A040-A049): structure, values, placement, sizes.

The structure (types, required properties, enums, value formats, what each place may hold) is data:
``schemas/flex-message.schema.json``, the file editors use, read by ``_flexschema``. Each schema
problem goes to one rule by what failed and where (``_flextree``). This module adds what a schema
cannot say: JSON byte sizes, equal bubble sizes in a carousel, video and absolute placement, aspect
ratio ranges. Actions, quick replies, senders, LINE emojis and message types are ``api_messages``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from ..findings import line_property
from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet
from ._flextree import (
    DISCONTINUED,
    bubbles,
    containers,
    flex_nodes,
    problems,
    size_bound,
    type_problems,
)

__all__ = ["RULES"]

_rules = RuleSet("api")
rule = _rules.rule

Path = tuple[str | int, ...]

BUBBLE_MAX = 30_000
CAROUSEL_MAX = 50_000
ANIMATED_MAX = 10
VIDEO_SIZES = ("kilo", "mega", "giga")
_RATIO = re.compile(r"([0-9]+(?:\.[0-9]+)?):([0-9]+(?:\.[0-9]+)?)")


def _hits(msg: Message, area: str, *kinds: str) -> Iterator[Hit]:
    for where, problem in problems(msg):
        if where == area and problem.kind in kinds:
            yield Hit(problem.path, problem.message)


_sizes: tuple[object, int] = (None, 0)


def _size(value: Any) -> int:
    """Bytes of compact UTF-8 JSON (the last answer is remembered: A047 and A048 ask about the same
    carousel). The value itself is kept with its size, so no later object can take its place."""
    global _sizes
    last, size = _sizes
    if last is value:
        return size
    size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    _sizes = (value, size)
    return size


# --- rules ---------------------------------------------------------------------------------------------


@rule("A040", "unknown-type", "error", "Use a type LINE defines: see docs/rules.md or schemas/flex-message.schema.json.",
      applies_to=("flexible",))
def unknown_type(msg: Message) -> Iterator[Hit]:
    """A message, Flex container or component has a `type` LINE does not define.

    What it does: checks each message's `type` (text, flex and the other Messaging API types),
    each container's (bubble, carousel) and each component's (box, button, image, video, icon,
    text, span, separator, filler) against `schemas/flex-message.schema.json`, whose enums follow
    line/line-openapi. A known type in the wrong place is A046; an action's type is A050.

    Why: the API answers 400 for a message or component of an unknown type.

    Example: `{"type": "flexx", ...}` or `{"type": "txt", "text": "..."}` in a box.
    """
    for problem, what in type_problems(msg):
        if what == "unknown":
            yield Hit(problem.path, problem.message)


@rule("A041", "discontinued-component", "error", "Replace the spacer with a margin on the next component.",
      applies_to=("flexible",))
def discontinued_component(msg: Message) -> Iterator[Hit]:
    """A Flex Message uses a component type LINE has removed, such as `spacer`.

    What it does: reports each `spacer` and says what replaced it.

    Why: `spacer` was removed from Flex Messages in 2020; old payloads and old tools still write
    it, and the API no longer accepts it. A `margin` on the next component (or `spacing` on the
    box, or padding) gives the same gap.

    Example: `{"type": "spacer", "size": "md"}`. Use instead: `"margin": "md"` on the component after it.
    """
    for problem, what in type_problems(msg):
        if what == "discontinued":
            yield Hit(problem.path, N_("{reason} ({property}).", reason=DISCONTINUED[problem.value],
                                         property=line_property(problem.path)))


@rule("A042", "missing-property", "error", "Add the property; see the component's definition in docs/rules.md.",
      applies_to=("flexible",))
def missing_property(msg: Message) -> Iterator[Hit]:
    """A Flex container or component lacks a property LINE requires.

    What it does: reports, at the missing property's LINE path, a box without `layout` or
    `contents`, a text without `text` or `contents`, a button without `action`, an image or
    icon without `url`, a video without `url`, `previewUrl` or `altContent`, a span without
    `text`, a gradient without its angle or colours. (Missing `altText`, `contents` and `text`
    of a message are A001.)

    Why: the API answers 400 "must be specified" for each.

    Example: `{"type": "box", "contents": []}`. Use instead: `{"type": "box", "layout": "vertical", "contents": []}`.
    """
    yield from _hits(msg, "flex", "required")


@rule("A043", "wrong-json-type", "error", "Write the value with the JSON type LINE expects.",
      applies_to=("flexible",))
def wrong_json_type(msg: Message) -> Iterator[Hit]:
    """A Flex property has the wrong JSON type: a string for a boolean, a number for a string...

    What it does: checks every property's JSON type against the schema: booleans (`wrap`,
    `scaling`, `animated`, `separator`), whole numbers (`flex`, `maxLines`), strings (sizes,
    colours, text), arrays (`contents`) and objects (blocks, `styles`, `background`).

    Why: the API does not convert types; `"wrap": "true"` or `"flex": "1"` is rejected.

    Example: `"wrap": "true"`. Use instead: `"wrap": true`.
    """
    yield from _hits(msg, "flex", "json-type")


@rule("A044", "invalid-value", "error", "Use one of the values LINE lists for the property.",
      applies_to=("flexible",))
def invalid_value(msg: Message) -> Iterator[Hit]:
    """A Flex property's value is not one LINE accepts: a wrong keyword, unit, colour or ratio.

    What it does: checks enums (`size`, `layout`, `align`, `gravity`, `weight`, `style`,
    `decoration`, `position`, `justifyContent`, `alignItems`, button `style` and `height`,
    `adjustMode`, `aspectMode`, `direction`) and value formats: pixels `"12px"`, percentages
    `"50%"` and keywords only where each is allowed (no `%` for `margin` and `spacing`), colours
    `#RRGGBB` or `#RRGGBBAA`, aspect ratios `W:H` with both from 1 to 100000 and the height at
    most three times the width, gradient angles from `0deg` to below `360deg`, centre positions
    0%-100%, `flex` and `maxLines` of 0 or more, empty strings, and at most 10 animated images
    in a message.

    Why: the API answers 400 for a value outside these sets; LINE does not guess what `"left"`,
    `"red"` or `"10"` meant.

    Example: `"align": "left"`, `"color": "red"`, `"margin": "10"`. Use instead: `"align": "start"`,
    `"color": "#ff0000"`, `"margin": "10px"`.
    """
    yield from _hits(msg, "flex", "value")
    animated: dict[object, list[Path]] = {}
    for here, node in flex_nodes(msg):
        ratio = node.get("aspectRatio")
        match = _RATIO.fullmatch(ratio) if isinstance(ratio, str) else None
        if match is not None:
            width, height = float(match.group(1)), float(match.group(2))
            if not (1 <= width <= 100_000 and 1 <= height <= 100_000):
                yield Hit((*here, "aspectRatio"), N_("The value of {property} must have a width and a height from 1 "
                                                     "to 100000; it is {value}.",
                                                     property=line_property((*here, "aspectRatio")), value=repr(ratio)))
            elif height > 3 * width:
                yield Hit((*here, "aspectRatio"), N_("The height in {property} must be at most 3 times the width; "
                                                     "it is {value}.", property=line_property((*here, "aspectRatio")),
                                                     value=repr(ratio)))
        if node.get("animated") is True and node.get("type") == "image":
            animated.setdefault(here[1], []).append((*here, "animated"))
    for paths in animated.values():
        for number, extra in enumerate(paths[ANIMATED_MAX:], start=ANIMATED_MAX + 1):
            yield Hit(extra, N_("A message may hold at most {limit} animated images; this is number {number}.",
                                limit=ANIMATED_MAX, number=number))


@rule("A045", "undefined-property", "warning",
      "Remove the property, or check its spelling against LINE's definition.", applies_to=("flexible",))
def undefined_property(msg: Message) -> Iterator[Hit]:
    """A Flex object has a property LINE does not define for it, or one its place cannot use.

    What it does: reports properties that are not part of the object's definition in
    `schemas/flex-message.schema.json` (a misspelt `colour`, a `size` on a separator, `flex` on
    an icon), and `gravity` or `offsetBottom` on a child of a baseline box, which LINE says
    those children cannot use.

    Why: LINE does not document whether the API rejects such properties or ignores them, so this
    is a warning, not an error; either way the property does nothing the designer meant.

    Example: `{"type": "text", "text": "...", "colour": "#111111"}`. Use instead: `"color"`.
    """
    for _, problem in problems(msg):
        if problem.kind == "unknown-property":
            yield Hit(problem.path, problem.message)
    for here, node in flex_nodes(msg):
        contents = node.get("contents")
        if node.get("layout") != "baseline" or node.get("type") != "box" or not isinstance(contents, list):
            continue
        for i, child in enumerate(contents):
            for key in ("gravity", "offsetBottom"):
                if isinstance(child, dict) and key in child:
                    where = (*here, "contents", i, key)
                    yield Hit(where, N_("The property {property} cannot be used in a child of a baseline box.",
                                        property=line_property(where)))


@rule("A046", "misplaced-component", "error",
      "Move the component where LINE allows it (icons in baseline boxes, spans in text.contents...).",
      applies_to=("flexible",))
def misplaced_component(msg: Message) -> Iterator[Hit]:
    """A Flex container or component is somewhere LINE does not allow it.

    What it does: checks what each place may hold: horizontal and vertical boxes hold box,
    button, image, text, separator and filler; baseline boxes icon, text and filler; a text's
    `contents` only spans; header, body and footer a box; the hero a box, image or video; a
    carousel only bubbles (no carousel in a carousel). A video must be the hero of a kilo, mega
    or giga bubble outside a carousel, and the first component of a block (its box, image or video)
    may not be `"position": "absolute"` (its children may: LINE's own gradient sample does so).

    Why: the API answers 400 for each; LINE's Flex layout guide lists what each box may hold.

    Example: an icon in a vertical box. Use instead: a baseline box holding the icon and its text.
    """
    for problem, what in type_problems(msg):
        if what == "misplaced":
            place = line_property(problem.path[:-1])
            if str(problem.value)[:1] in "aeiou":
                yield Hit(problem.path, N_("An {type} cannot be placed at {property}: the type there must be {expected}.",
                                           type=problem.value, property=place, expected=problem.expected))
            else:
                yield Hit(problem.path, N_("A {type} cannot be placed at {property}: the type there must be {expected}.",
                                           type=problem.value, property=place, expected=problem.expected))
    for path, bubble, in_carousel in bubbles(msg):
        hero = bubble.get("hero")
        if isinstance(hero, dict) and hero.get("type") == "video":
            size = bubble.get("size", "mega")
            if in_carousel:
                yield Hit((*path, "hero"), N_("A video cannot be used in a bubble of a carousel."))
            elif size not in VIDEO_SIZES:
                yield Hit((*path, "hero"), N_("A video needs a kilo, mega or giga bubble; this bubble is {size}.", size=size))
        for block in ("header", "hero", "body", "footer"):
            root = bubble.get(block)
            if isinstance(root, dict) and root.get("position") == "absolute":
                where = (*path, block, "position")
                yield Hit(where, N_("The first component of a block cannot be absolute ({property}).",
                                    property=line_property(where)))


@rule("A047", "oversized-bubble", "error", "Split the content over several bubbles or messages, or trim it.",
      applies_to=("flexible",))
def oversized_bubble(msg: Message) -> Iterator[Hit]:
    """A bubble's JSON is over 30 KB.

    What it does: measures each bubble as compact UTF-8 JSON and reports one over 30,000 bytes
    (LINE says 30 KB without saying whether a KB is 1,000 or 1,024 bytes, so lnm takes the lower).

    Why: LINE rejects a bubble over 30 KB. (This was the guideline rule G062; it is
    an API limit, so a spec cannot suppress it.)

    Example: a receipt bubble listing 400 line items. Use instead: the total and the count of items,
    with a button to the full receipt.
    """
    for path, bubble, _ in bubbles(msg):
        if size_bound(msg, path[1]) <= BUBBLE_MAX:
            continue  # surely under 30 KB, without measuring
        if len(path) > 3 and _size(msg.body["messages"][path[1]]["contents"]) <= BUBBLE_MAX:
            continue  # the whole carousel is under 30 KB, so each of its bubbles is
        size = _size(bubble)
        if size > BUBBLE_MAX:
            yield Hit(path, N_("This bubble is {size} bytes of JSON; the limit is 30 KB ({limit} bytes).",
                               size=format(size, ","), limit=format(BUBBLE_MAX, ",")))


@rule("A048", "oversized-carousel", "error", "Keep a carousel to 12 bubbles and 50 KB; send fewer, smaller ones.",
      applies_to=("flexible",))
def oversized_carousel(msg: Message) -> Iterator[Hit]:
    """A carousel has more than 12 bubbles, none, or its JSON is over 50 KB.

    What it does: counts each carousel's bubbles (1 to 12) and measures it as compact UTF-8 JSON
    (limit 50,000 bytes).

    Why: LINE rejects a carousel of more than 12 bubbles or over 50 KB. (This was the guideline
    rule G063; it is an API limit, so a spec cannot suppress it.)

    Example: one bubble per parcel for an order of 13 parcels. Use instead: one bubble with the
    count of parcels and a button to the tracking page.
    """
    yield from _hits(msg, "flex", "count")
    for path, container in containers(msg):
        if container.get("type") == "carousel" and size_bound(msg, path[1]) > CAROUSEL_MAX:
            size = _size(container)
            if size > CAROUSEL_MAX:
                yield Hit(path, N_("This carousel is {size} bytes of JSON; the limit is 50 KB ({limit} bytes).",
                                   size=format(size, ","), limit=format(CAROUSEL_MAX, ",")))


@rule("A049", "mixed-bubble-sizes", "error", "Give every bubble of the carousel the same size.",
      applies_to=("flexible",))
def mixed_bubble_sizes(msg: Message) -> Iterator[Hit]:
    """The bubbles of a carousel have different sizes.

    What it does: compares each bubble's `size` (mega when not given) with the first bubble's.

    Why: LINE requires all bubbles of a carousel to have the same size.

    Example: a kilo bubble after a mega bubble.
    """
    for path, container in containers(msg):
        bubbles = container.get("contents") if container.get("type") == "carousel" else None
        if not isinstance(bubbles, list):
            continue
        sizes = [(j, b.get("size", "mega")) for j, b in enumerate(bubbles) if isinstance(b, dict)]
        if not sizes:
            continue
        first = sizes[0][1]
        for j, size in sizes[1:]:
            if size != first:
                where = (*path, "contents", j, "size") if "size" in bubbles[j] else (*path, "contents", j)
                yield Hit(where, N_("All bubbles of a carousel must have the same size: this one is {size}, the first "
                                    "is {first}.", size=size, first=first))


RULES = _rules.freeze()
