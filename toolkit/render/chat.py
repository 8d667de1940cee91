"""Build the self-contained HTML of a mock LINE chat screen showing one notification message.

One Jinja ``Environment`` (autoescape on, ``StrictUndefined``) renders ``templates/chat.html.j2``.
The chrome (label, date, time, placeholders) follows the recipient's *app* language; the message
keeps its own language. Chrome strings come from the gettext catalogues in ``locale/``, compiled from
the ``.po`` sources with Babel when first used, so there is no compiled file that can go stale.
"""

from __future__ import annotations

import datetime as _dt
import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..errors import UsageError
from ..i18n import N_
from .flex import css_variables, render_container

if TYPE_CHECKING:
    import gettext
from ..spec.message import Message
from ..spec.placeholders import format_date, format_time, locale_for

__all__ = ["APP_LANGUAGES", "DEFAULT_CLOCK", "THEMES", "WIDTHS", "CarouselRow", "ChatScreen", "build_carousel_row",
           "build_chat_html", "chrome_language", "parse_clock", "translator"]

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
LOCALE_DIR = HERE / "locale"

#: App languages with their own chrome strings; any other tag gets English.
APP_LANGUAGES = ("ja", "th", "zh-Hant", "zh-Hans", "en")
WIDTHS = (320, 375, 414)
THEMES = ("light", "dark")
#: Shown when neither the spec nor the command line sets a clock: previews never read the wall clock.
DEFAULT_CLOCK = "2025-06-18T10:30:00+09:00"
DEFAULT_ACCOUNT = "LINE Official Account"

_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_HANT_REGIONS = {"tw", "hk", "mo", "hant"}
_THAI = re.compile("[\u0e00-\u0e7f]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def chrome_language(tag: str) -> str:
    """The app language whose chrome strings a LINE app set to ``tag`` shows (English by default).

    LINE shows 重要通知 for Chinese in either script, so ``zh-TW``/``zh-HK`` count as Traditional and
    every other Chinese tag as Simplified.
    """
    if not _TAG.match(tag):
        raise UsageError(N_("not a language tag: {tag!r} (expected e.g. ja, th, zh-Hant, en)", tag=tag))
    parts = tag.lower().split("-")
    if parts[0] == "zh":
        return "zh-Hant" if _HANT_REGIONS & set(parts[1:]) else "zh-Hans"
    return parts[0] if parts[0] in ("ja", "th", "en") else "en"


def _canonical(tag: str) -> str:
    for known in APP_LANGUAGES:
        if tag.lower() == known.lower():
            return known
    return tag


def guess_language(text: str) -> str:
    """The language of free text without a tag: Thai, kana for Japanese, Han alone for Taiwan."""
    if _THAI.search(text):
        return "th"
    if _KANA.search(text):
        return "ja"
    if _HAN.search(text):
        return "zh-Hant"
    return "en"


@lru_cache(maxsize=16)
def translator(language: str) -> gettext.NullTranslations:
    """Chrome strings for an app language, compiled from its ``.po`` file with Babel."""
    import gettext

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = LOCALE_DIR / language.replace("-", "_") / "LC_MESSAGES" / "lnm.po"
    if not po.is_file():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=language.replace("-", "_"))
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def parse_clock(value: str | None) -> _dt.datetime:
    """The shown send time: an ISO 8601 date-time, kept in the offset it is written in."""
    text = value or DEFAULT_CLOCK
    try:
        return _dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(N_("not an ISO 8601 date-time: {text!r} (e.g. 2025-06-18T10:30:00+09:00)", text=text)) from None


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """The one Jinja environment of the previews (built on first use)."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                              undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=False)



@dataclass(frozen=True)
class ChatScreen:
    """What the chat screen shows around the message."""

    app_language: str
    width: int = 375
    theme: str = "light"
    clock: _dt.datetime = _dt.datetime.fromisoformat(DEFAULT_CLOCK)
    account_name: str = DEFAULT_ACCOUNT
    #: Mark each Flex text, span and button with its JSON pointer (``data-path``), for ``lnm serve``.
    mark_paths: bool = False

    def __post_init__(self) -> None:
        if self.width not in WIDTHS:
            raise UsageError(N_("width must be one of {widths}, not {width}", widths=", ".join(map(str, WIDTHS)),
                                width=self.width))
        if self.theme not in THEMES:
            raise UsageError(N_("theme must be light or dark, not {theme!r}", theme=self.theme))


def _message_language(msg: Message) -> str:
    """A template's catalogue language, else its key's suffix; free text by its script."""
    template = msg.template
    if template is not None and _TAG.match(template.language):
        return _canonical(template.language)
    key = msg.body.get("templateKey")
    if isinstance(key, str):
        suffix = key.rsplit("_", 1)[-1]
        known = {"ja": "ja", "th": "th", "tw": "zh-Hant", "zh": "zh-Hant"}
        if suffix in known:
            return known[suffix]
    return guess_language(_all_text(msg.body))


def _all_text(value: Any, limit: int = 100_000) -> str:
    """The display text in a JSON value, walked without recursion (hostile nesting cannot overflow)."""
    out: list[str] = []
    stack = [value]
    while stack and len(out) < limit:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            stack.extend(reversed([v for k, v in item.items() if k not in ("url", "uri", "type")]))
    return " ".join(out)


def _text(value: Any) -> str:
    """Any JSON value as display text (non-strings are shown as JSON would write them)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return str(value)


def _template_card(msg: Message) -> dict[str, Any]:
    cat = msg.catalogue
    body = msg.body.get("body") if isinstance(msg.body.get("body"), dict) else {}
    assert isinstance(body, dict)
    key = _text(msg.body.get("templateKey"))
    template = cat.templates.get(key)

    def item_view(raw: Any) -> dict[str, Any]:
        raw = raw if isinstance(raw, dict) else {}
        item_key = _text(raw.get("itemKey"))
        item = cat.items.get(item_key)
        return {"label": item.label if item else item_key, "known": item is not None,
                "value": _text(raw.get("content"))}

    emphasized = body.get("emphasizedItem")
    items = body.get("items") if isinstance(body.get("items"), list) else []
    buttons = body.get("buttons") if isinstance(body.get("buttons"), list) else []
    assert isinstance(items, list) and isinstance(buttons, list)
    button_views = []
    for raw in buttons[:2]:
        raw = raw if isinstance(raw, dict) else {}
        button_key = _text(raw.get("buttonKey"))
        button = cat.buttons.get(button_key)
        button_views.append({"label": button.label if button else button_key, "known": button is not None})
    return {
        "kind": "template",
        "known": template is not None,
        "title": template.title if template else key,
        "description": template.description if template else "",
        "emphasized": item_view(emphasized) if isinstance(emphasized, dict) else None,
        "rows": [item_view(raw) for raw in items],
        "buttons": button_views,
    }


def _emoji_segments(text: str, emojis: Any) -> list[dict[str, Any]]:
    """Text split around LINE emoji: each ``$`` named by an ``emojis[].index`` becomes a placeholder.

    LINE counts the index in characters; a UTF-16 index (astral characters counting twice) is
    accepted too, so both readings find the ``$``. The emoji image is never fetched.
    """
    wanted: set[int] = set()
    for emoji in emojis if isinstance(emojis, list) else []:
        index = emoji.get("index") if isinstance(emoji, dict) else None
        if isinstance(index, int) and not isinstance(index, bool):
            wanted.add(index)
    segments: list[dict[str, Any]] = []
    utf16 = 0
    buffer: list[str] = []
    for position, char in enumerate(text):
        if char == "$" and (position in wanted or utf16 in wanted):
            if buffer:
                segments.append({"emoji": False, "text": "".join(buffer)})
                buffer = []
            segments.append({"emoji": True, "text": "$"})
        else:
            buffer.append(char)
        utf16 += 2 if ord(char) > 0xFFFF else 1
    if buffer:
        segments.append({"emoji": False, "text": "".join(buffer)})
    return segments


def _bubbles(msg: Message, screen_width: int, carousel: str = "chat",
             mark: bool = False) -> list[dict[str, Any]]:
    messages = msg.body.get("messages") if isinstance(msg.body.get("messages"), list) else []
    assert isinstance(messages, list)
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(messages):
        raw = raw if isinstance(raw, dict) else {}
        kind = _text(raw.get("type")) or "?"
        if kind == "text":
            text = _text(raw.get("text"))
            out.append({"kind": "text", "segments": _emoji_segments(text, raw.get("emojis")),
                        "lang": guess_language(text)})
        elif kind == "flex":
            alt = _text(raw.get("altText"))
            drawn = render_container(raw.get("contents"), carousel=carousel, screen_width=screen_width,
                                     path=f"/messages/{index}/contents" if mark else None)
            lang = guess_language(_all_text(raw.get("contents")) or alt)
            out.append({"kind": "flex", "alt": alt, "lang": lang, "html": drawn.html if drawn else None,
                        "container": drawn.kind if drawn else None, "row_width": drawn.row_width if drawn else 0})
        else:
            out.append({"kind": "other", "type": kind})
    return out


def build_chat_html(msg: Message, screen: ChatScreen) -> str:
    """The HTML page of one message on the chat screen (self-contained, no script, strict CSP).

    A carousel shows as the app first shows it: its first bubble where the chat's messages start, the
    next one cut off at the screen's edge (:func:`build_carousel_row` draws the whole row)."""
    bubbles = _bubbles(msg, screen.width, "chat", screen.mark_paths) if msg.kind != "template" else []
    return _page(msg, screen, bubbles, "chat", screen.width)


@dataclass(frozen=True)
class CarouselRow:
    """The page of a message's carousels, each row whole (every bubble), and its width in CSS px."""

    html: str
    width: int


def build_carousel_row(msg: Message, screen: ChatScreen) -> CarouselRow | None:
    """The whole row of every carousel of ``msg``, one under the other, at the chat screenshot's scale
    (bubbles as wide as there); None when the message has no carousel."""
    if msg.kind == "template":
        return None
    bubbles = [b for b in _bubbles(msg, screen.width, "row") if b["kind"] == "flex" and b["container"] == "carousel"]
    if not bubbles:
        return None
    import math

    width = math.ceil(max(b["row_width"] for b in bubbles))
    return CarouselRow(_page(msg, screen, bubbles, "row", width), width)


def _page(msg: Message, screen: ChatScreen, bubbles: list[dict[str, Any]], view: str, width: int) -> str:
    chrome = chrome_language(screen.app_language)
    language = _message_language(msg)
    locale = locale_for(chrome)
    t: Callable[[str], str] = translator(chrome).gettext
    mt: Callable[[str], str] = translator(language).gettext
    clock = screen.clock
    has_flex = any(b["kind"] == "flex" for b in bubbles)
    context: Mapping[str, Any] = {
        "app_lang": _canonical(screen.app_language),
        "chrome_lang": chrome,
        "msg_lang": language,
        "width": width,
        "view": view,
        "height": round(screen.width * 667 / 375),
        "theme": screen.theme,
        "account_name": screen.account_name,
        "status_time": f"{clock.hour:02d}:{clock.minute:02d}",
        "date_label": format_date(clock.date(), "yMMMEd", locale=locale),
        "time_label": format_time(clock.time(), "short", locale=locale),
        "card": _template_card(msg) if msg.kind == "template" else None,
        "bubbles": bubbles,
        "flex_css": has_flex or any(b["kind"] == "text" and any(s["emoji"] for s in b["segments"]) for b in bubbles),
        "flex_vars": css_variables(),
        "t": t,
        "mt": mt,
    }
    return environment().get_template("chat.html.j2").render(context)
