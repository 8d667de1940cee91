"""Guideline rules on readability (G080-G084): colour contrast in light and dark mode, and small
text that carries what the notice is for.

Colours and sizes are those a bubble is drawn with (``_contrast``: LINE's defaults from the
renderer's table, ``#RRGGBBAA`` composited over what is behind); ratios follow WCAG 2.x. The
level is the option ``contrast-level`` (``AA``, the default, or ``AAA``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet, per_message
from ._contrast import (
    RGB,
    Drawn,
    bubble_texts,
    bubbles,
    contrast,
    hex_of,
    is_large,
    nearest_passing,
    over,
    parse_colour,
    rule_data,
    thresholds,
)
from ._text import option

__all__ = ["RULES", "failing_texts"]

_rules = RuleSet("guideline")
rule = _rules.rule

Path = tuple[str | int, ...]
_WHAT = {"text": N_("text"), "span": N_("span"), "button": N_("button label")}


def _level(msg: Message) -> str:
    value = option(msg, "contrast-level", str)
    return value.upper() if isinstance(value, str) and value.upper() in rule_data()["levels"] else str(
        rule_data()["defaultLevel"])


def _dark(msg: Message) -> tuple[RGB, RGB]:
    """(bubble background, default text colour) assumed in dark mode; option ``dark-mode`` overrides."""
    chosen = dict(rule_data()["darkMode"])
    given = option(msg, "dark-mode", dict) or {}
    chosen.update({k: v for k, v in given.items() if k in chosen and parse_colour(v)})
    background, text = parse_colour(chosen["background"]), parse_colour(chosen["text"])
    assert background is not None and text is not None
    return background[0], text[0]


@per_message
def _drawn(msg: Message) -> tuple[tuple[Path, tuple[Drawn, ...]], ...]:
    """Every bubble's texts as drawn, collected once per message for the five rules."""
    dark = _dark(msg)[0]
    return tuple((path, tuple(bubble_texts(bubble, path, dark))) for path, bubble in bubbles(msg))


def _required(msg: Message, drawn: Drawn) -> float:
    normal, large = thresholds(_level(msg))
    return large if is_large(drawn.px, drawn.bold) else normal


def _ratio(value: float) -> str:
    """Two decimals, rounded down: 4.499 shows as 4.49, never as a passing 4.50."""
    return f"{int(value * 100) / 100:.2f}:1"


def _default_primary(drawn: Drawn) -> bool:
    return drawn.kind == "button" and drawn.style == "primary" and not drawn.backdrop.explicit


def _pairs(msg: Message, drawn_list: tuple[Drawn, ...], include: Any) -> dict[tuple[str, str], list[Drawn]]:
    """Failing texts of one bubble grouped by (text colour, background) as drawn."""
    groups: dict[tuple[str, str], list[Drawn]] = {}
    for drawn in drawn_list:
        behind = drawn.backdrop.colour
        if behind is None or not include(drawn):
            continue
        seen = drawn.seen(behind)
        if contrast(seen, behind) < _required(msg, drawn):
            groups.setdefault((hex_of(seen), hex_of(behind)), []).append(drawn)
    return groups


def _share(count: int) -> str:
    return N_("the only one in this bubble") if count == 1 else N_("{count} texts in this bubble share this pair",
                                                                   count=count)


def _suggest(drawn: Drawn, seen: RGB, behind: RGB, target: float) -> str | None:
    if drawn.kind == "button" and drawn.style in ("primary", "secondary"):
        colour = nearest_passing(behind, seen, target)
        return (N_("Give the button \"color\": \"{colour}\" (the nearest colour of its hue on which its {label} label "
                   "reaches {target}:1), or use a link button.", colour=colour, label=hex_of(seen),
                   target=format(target, "g")) if colour else None)
    colour = nearest_passing(seen, behind, target)
    return (N_("Use \"color\": \"{colour}\" (the nearest colour of the same hue that reaches {target}:1 on "
               "{background}), or change the background.", colour=colour, target=format(target, "g"),
               background=hex_of(behind)) if colour else None)


@rule("G080", "low-text-contrast", "warning",
      "Darken the text (or lighten the background) until it reaches WCAG AA: 4.5:1, large text 3:1.",
      applies_to=("flexible",))
def low_text_contrast(msg: Message) -> Iterator[Hit]:
    """A Flex text, span or button label has too little contrast with what is behind it.

    What it does: works out the colour each text is drawn in (its `color`, a span's own or its
    text's, or LINE's default `#444444`; a button label white on `primary`, `#111111` on
    `secondary`, `#42659a` or its `color` on `link`) and the colour behind it (the bubble's
    white, then the block's `styles.*.backgroundColor`, then each enclosing box's
    `backgroundColor`, a `#RRGGBBAA` colour composited over what is behind it; a `primary` or
    `secondary` button's own colour), and computes the WCAG 2.x contrast ratio. It reports a pair
    below 4.5:1 for normal text or 3:1 for large text (at least 24 px, or 18.67 px bold: `xxl` and
    up, `xl` or `lg` bold, at the sizes of LINE's Flex Message Simulator), or 7:1 and 4.5:1 with
    the option `contrast-level = "AAA"`. One finding per bubble and colour pair, at the first
    text that has it, with how many texts share it and the nearest colour of the same hue that
    passes. Only pairs in which the author chose a colour: LINE's own default primary button is
    G081. Text on an image or a gradient is G083.

    Why: a notification is read on a phone, often outdoors and by older readers; a pale grey
    date or amount is the fact the notice exists for. WCAG 2.x success criterion 1.4.3 (contrast
    minimum, AA) and 1.4.6 (enhanced, AAA): https://www.w3.org/TR/WCAG21/#contrast-minimum.

    Example: `{"type": "text", "text": "合計 12,000円", "color": "#AAAAAA"}` on the white bubble
    (2.32:1). Use instead: `"color": "#767676"` (4.54:1) or darker.
    """
    for _bubble, drawn_list in _drawn(msg):
        for (_fg, _bg), group in _pairs(msg, drawn_list, lambda d: d.backdrop.explicit or d.explicit).items():
            first = group[0]
            behind = first.backdrop.colour
            assert behind is not None
            seen = first.seen(behind)
            target = max(_required(msg, d) for d in group)
            shown = hex_of(seen) if first.colour[1] >= 1 else N_(
                "{colour} ({declared} at {opacity} opacity)", colour=hex_of(seen), declared=hex_of(first.colour[0]),
                opacity=format(first.colour[1], ".0%"))
            words = N_("normal text") if any(not is_large(d.px, d.bold) for d in group) else N_("large text")
            yield Hit(first.path, N_("{what} colour {colour} on {background}: contrast {ratio}, below the {target}:1 WCAG "
                                     "{level} asks for {size} ({share}).", what=_WHAT[first.kind], colour=shown,
                                     background=hex_of(behind), ratio=_ratio(contrast(seen, behind)),
                                     target=format(target, "g"), level=_level(msg), size=words, share=_share(len(group))),
                      _suggest(first, seen, behind, target))


@rule("G081", "default-button-contrast", "info",
      "Keep LINE's default knowingly, or give the primary button a darker \"color\" (its label stays white).",
      applies_to=("flexible",), once_per_run=True)
def default_button_contrast(msg: Message) -> Iterator[Hit]:
    """A primary button keeps LINE's default colours: a white label on LINE's green, below WCAG AA.

    What it does: reports a `"style": "primary"` button without `color` once per lint run (with a
    count of the others). LINE draws it white on `#17c950` (the Flex Message Simulator's colour),
    a contrast of about 2.2:1, where WCAG AA asks 4.5:1 for its 16 px label.

    Why: it is LINE's own default, and a designer may keep it knowingly, as every LINE user knows
    the button; but the label is hard to read. WCAG 2.x success criterion 1.4.3:
    https://www.w3.org/TR/WCAG21/#contrast-minimum.

    Example: `{"type": "button", "style": "primary", "action": {...}}`. Use instead: add
    `"color": "#0B7A34"` (white on it reaches 5.4:1).
    """
    for _bubble, drawn_list in _drawn(msg):
        for drawn in drawn_list:
            behind = drawn.backdrop.colour
            if not _default_primary(drawn) or behind is None:
                continue
            seen = drawn.seen(behind)
            target = _required(msg, drawn)
            if contrast(seen, behind) < target:
                yield Hit(drawn.path, N_("LINE's default primary button draws {colour} on {background}: contrast "
                                         "{ratio}, below the {target}:1 WCAG {level} asks for its label.",
                                         colour=hex_of(seen), background=hex_of(behind),
                                         ratio=_ratio(contrast(seen, behind)), target=format(target, "g"), level=_level(msg)),
                          _suggest(drawn, seen, behind, target))


@rule("G083", "contrast-not-verifiable", "info",
      "Put the text on a box with an opaque backgroundColor that passes, or check it by eye in the preview.",
      applies_to=("flexible",))
def contrast_not_verifiable(msg: Message) -> Iterator[Hit]:
    """A Flex text sits on an image or a gradient, so its contrast cannot be verified.

    What it does: finds texts, spans and button labels drawn over an image (a component drawn
    after an image with `"position": "absolute"`, or after an absolute image, with no opaque
    `backgroundColor` between) and over a box's `linearGradient` background. Over an image it
    always says so; over a gradient it reports only when the worst colour of the gradient
    (sampled every 5%, with the stops) is below the WCAG ratio of G080, naming that colour. One
    finding per bubble and colour pair.

    Why: lnm never fetches images, and a photo can be light in one place and dark in another; a
    gradient crosses colours on which the text may vanish. WCAG 2.x success criterion 1.4.3:
    https://www.w3.org/TR/WCAG21/#contrast-minimum.

    Example: white text in an absolute box over a hero photo, with `"backgroundColor":
    "#00000066"`. Use instead: `"#000000CC"` or an opaque colour, which lnm can check.
    """
    for _bubble, drawn_list in _drawn(msg):
        groups: dict[tuple[str, str], list[tuple[Drawn, RGB | None]]] = {}
        for drawn in drawn_list:
            backdrop = drawn.backdrop
            if backdrop.image:
                groups.setdefault((hex_of(drawn.colour[0]), "image"), []).append((drawn, None))
            elif backdrop.gradient:
                darkest = min(backdrop.gradient, key=lambda c, d=drawn: contrast(d.seen(c), c))  # type: ignore[misc]
                if contrast(drawn.seen(darkest), darkest) < _required(msg, drawn):
                    groups.setdefault((hex_of(drawn.colour[0]), hex_of(darkest)), []).append((drawn, darkest))
        for (fg, _), group in groups.items():
            first, worst = group[0]
            if worst is None:
                yield Hit(first.path, N_("{what} colour {colour} is drawn over an image: its contrast cannot be "
                                         "verified ({share}).", what=_WHAT[first.kind], colour=fg,
                                         share=_share(len(group))))
            else:
                seen = first.seen(worst)
                yield Hit(first.path, N_("{what} colour {colour} is drawn over a gradient; on its worst colour, "
                                         "{worst}, the contrast is {ratio}, below the {target}:1 WCAG {level} asks for "
                                         "({share}).", what=_WHAT[first.kind], colour=fg, worst=hex_of(worst),
                                         ratio=_ratio(contrast(seen, worst)), target=format(_required(msg, first), "g"),
                                         level=_level(msg), share=_share(len(group))))


# --- small text that matters ---------------------------------------------------------------------------

_AMOUNT = re.compile(r"[$¥￥฿€£₩]|\d\s*(?:円|元|บาท|yen|baht|THB|JPY|TWD|NTD|USD)", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}\s*:\s*\d{2}|\d{1,2}\s*時|\d{1,2}[.:]\d{2}\s*น\.|\d{1,2}\s*點|[AP]M\b", re.IGNORECASE)
_DATE = re.compile(r"\d{1,4}\s*[/\-.]\s*\d{1,2}(?:\s*[/\-.]\s*\d{1,4})?|\d{1,4}\s*[年月日]|"
                   r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*\d|"
                   r"\d\s*(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)", re.IGNORECASE)
_CODE = re.compile(r"(?<![\w])(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9][A-Za-z0-9-]{3,}(?![\w])|\d{5,}")


def essential(text: str) -> str | None:
    """What kind of fact a text holds (an amount, a time, a date, a code, digits), or None."""
    folded = unicodedata.normalize("NFKC", text)
    if not any(c.isdigit() for c in folded):
        return None
    for pattern, words in ((_AMOUNT, N_("an amount")), (_TIME, N_("a time")), (_DATE, N_("a date")),
                           (_CODE, N_("a code"))):
        if pattern.search(folded):
            return words
    return N_("digits")


@rule("G082", "small-essential-text", "info",
      "Show dates, times, amounts and codes at sm (14 px) or larger; keep xs and xxs for secondary labels.",
      applies_to=("flexible",))
def small_essential_text(msg: Message) -> Iterator[Hit]:
    """A Flex text of 13 px or less holds a fact the reader needs: digits, a date, a time, an amount, a code.

    What it does: reports texts and spans of size `xs` (13 px), `xxs` (11 px) or 13 px and less
    whose text holds digits (any script's: Thai and full-width digits too), naming what it looks
    like: an amount (a currency sign or unit), a time, a date, a code (letters and digits), or
    digits. It never quotes the value.

    Why: the delivery time, the amount due or the one-time code is why the notice was sent, and 11
    to 13 px text is hard to read for many people, on a small phone or in the sun. WCAG 2.x has no
    minimum size; success criterion 1.4.4 (resize text) and LINE's own scaling setting help only
    readers who set them: https://www.w3.org/TR/WCAG21/#resize-text.

    Example: `{"type": "text", "text": "お届け予定 8月10日 14:00-16:00", "size": "xs"}`. Use instead:
    `"size": "sm"` or larger.
    """
    limit = float(rule_data()["smallTextPx"])
    for _bubble, drawn_list in _drawn(msg):
        for drawn in drawn_list:
            if drawn.kind == "button" or drawn.px > limit:
                continue
            what = essential(drawn.text)
            if what:
                yield Hit(drawn.path, N_("this {size} px {what} holds {fact}; at {limit} px or less it is hard to read.",
                                         size=format(drawn.px, "g"), what=_WHAT[drawn.kind], fact=what, limit=format(limit, "g")))


# --- dark mode -------------------------------------------------------------------------------------------


def _dark_pair(msg: Message, drawn: Drawn) -> tuple[RGB, RGB] | None:
    """(text as drawn, background) under the dark-mode assumption; None when unknown or unchanged."""
    backdrop = drawn.backdrop
    if backdrop.colour is None or backdrop.dark is None:
        return None
    if drawn.explicit:
        colour = drawn.colour
    elif drawn.kind in ("text", "span"):
        colour = (_dark(msg)[1], 1.0)
    else:
        return None  # LINE's button colours: whatever the app does with them, the author chose nothing
    seen = over(colour, backdrop.dark)
    if (hex_of(seen), hex_of(backdrop.dark)) == (hex_of(drawn.seen(backdrop.colour)), hex_of(backdrop.colour)):
        return None
    return seen, backdrop.dark


@rule("G084", "dark-mode-contrast", "info",
      "Avoid fixing one of the two colours: set both the text colour and its background, or neither.",
      applies_to=("flexible",))
def dark_mode_contrast(msg: Message) -> Iterator[Hit]:
    """A text would be unreadable if LINE darkens the bubble in dark mode and keeps explicit colours.

    What it does: assumes that in dark mode the app darkens the default bubble background (to
    `#1E1E1E`) and draws default-coloured text light (`#FFFFFF`), keeping every colour the message
    sets. It then reports an explicit text colour on the default background (a dark `#111111`
    falls to 1.13:1) and default-coloured text on an explicit light background, when the pair
    falls below the WCAG ratio of G080. One finding per bubble and colour pair.

    This follows an assumption: LINE documents nothing about Flex Messages in dark mode
    (shared/spec/flex-rendering.md section 4). Set the option `dark-mode = {background = "#...",
    text = "#..."}` to the colours your team measured, or ignore the rule.

    Why: many readers use dark mode; no single grey passes WCAG AA both on white and on a dark
    bubble, so a colour fixed on one side only fails on the other. WCAG 2.x success criterion
    1.4.3: https://www.w3.org/TR/WCAG21/#contrast-minimum.

    Example: `{"type": "text", "text": "...", "color": "#111111"}` in a bubble without
    `backgroundColor`. Use instead: no `color` (LINE's default adapts) or a box `backgroundColor`.
    """
    for _bubble, drawn_list in _drawn(msg):
        groups: dict[tuple[str, str], list[tuple[Drawn, RGB, RGB]]] = {}
        for drawn in drawn_list:
            pair = _dark_pair(msg, drawn)
            if pair and contrast(*pair) < _required(msg, drawn):
                groups.setdefault((hex_of(pair[0]), hex_of(pair[1])), []).append((drawn, *pair))
        for (fg, bg), group in groups.items():
            first, seen, behind = group[0]
            which = N_("its explicit colour") if first.explicit else N_("the default text colour (assumed light)")
            yield Hit(first.path, N_("in dark mode (assumed: the bubble darkened to {dark}, explicit colours kept), this "
                                     "{what} in {which} would be {colour} on {background}: contrast {ratio}, below "
                                     "{target}:1 ({share}).", dark=hex_of(_dark(msg)[0]), what=_WHAT[first.kind],
                                     which=which, colour=fg, background=bg, ratio=_ratio(contrast(seen, behind)),
                                     target=format(_required(msg, first), "g"), share=_share(len(group))))


def failing_texts(msg: Message, *, chosen: bool = True, default_button: bool = True) -> list[Path]:
    """Paths of every text, span and button label that fails G080 (``chosen``) or G081
    (``default_button``): all of a pair, not only the first, for the live preview's outline."""

    def include(drawn: Drawn) -> bool:
        if _default_primary(drawn):
            return default_button
        return chosen and (drawn.backdrop.explicit or drawn.explicit)

    return [d.path for _bubble, drawn_list in _drawn(msg) for group in _pairs(msg, drawn_list, include).values()
            for d in group]


RULES = _rules.freeze()
