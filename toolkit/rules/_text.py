"""Text helpers shared by the guideline rules: what text a message shows, how wide it is, which
script it is in, and the word lists kept as data in ``toolkit/rules/wordlists``.

Everything costly (word lists, compiled patterns) is built once per process and cached; the fields
of one message are collected once and shared by every rule that reads them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path as _FsPath
from typing import TYPE_CHECKING, Any, NamedTuple

from ..i18n import N_
from ..limits import RULE_TEXT_CHARS
from ._base import per_message

if TYPE_CHECKING:
    from ..spec.message import Message

__all__ = [
    "LANGUAGES",
    "Field",
    "display_width",
    "fields",
    "flex_messages",
    "joined_text",
    "load_data",
    "message_language",
    "nfkc",
    "option",
    "script_counts",
    "walk",
    "wordlist",
]

Path = tuple[str | int, ...]

LANGUAGES = ("ja", "th", "zh-Hant", "zh-Hans", "en")
WORDLISTS = _FsPath(__file__).resolve().parent / "wordlists"

#: Roles of text a reader sees (wording rules read these); ``uri`` is a link target.
SHOWN = frozenset({"emphasized", "item", "text", "alt", "label"})

ACTION_TYPES = frozenset({"uri", "message", "postback", "datetimepicker", "camera", "cameraRoll", "location",
                          "richmenuswitch", "clipboard"})


class Field(NamedTuple):
    """One string of a message: where it is, what it says, and what part of the message it is.
    (A named tuple: a dozen are made for every message, at half the cost of a dataclass.)"""

    path: Path
    text: str
    role: str  # emphasized | item | text | alt | label | uri
    item_key: str | None = None


# --- the strings of a message -----------------------------------------------------------------------


def walk(value: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every object inside ``value`` with its path, in document order (iterative: deep trees are fine)."""
    stack: list[tuple[Path, Any]] = [(path, value)]
    while stack:
        here, node = stack.pop()
        if isinstance(node, dict):
            yield here, node
            stack.extend(((*here, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))))


def flex_messages(msg: Message) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(index, message)`` of each Flex message in a flexible body."""
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            if isinstance(message, dict) and message.get("type") == "flex":
                yield i, message


def _template_fields(msg: Message) -> Iterator[Field]:
    body = msg.body.get("body")
    if not isinstance(body, dict):
        return
    item = body.get("emphasizedItem")
    if isinstance(item, dict) and isinstance(item.get("content"), str):
        key = item.get("itemKey")
        yield Field(("body", "emphasizedItem", "content"), item["content"], "emphasized",
                    key if isinstance(key, str) else None)
    items = body.get("items")
    if isinstance(items, list):
        for i, item in enumerate(items):
            if isinstance(item, dict):
                content, key = item.get("content"), item.get("itemKey")
                if isinstance(content, str):
                    yield Field(("body", "items", i, "content"), content, "item", key if isinstance(key, str) else None)
    buttons = body.get("buttons")
    if isinstance(buttons, list):
        for i, button in enumerate(buttons):
            if isinstance(button, dict) and isinstance(button.get("url"), str):
                yield Field(("body", "buttons", i, "url"), button["url"], "uri")


def _flexible_fields(msg: Message) -> Iterator[Field]:
    messages = msg.body.get("messages")
    if not isinstance(messages, list):
        return
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        base: Path = ("messages", i)
        if message.get("type") in ("text", "textV2") and isinstance(message.get("text"), str):
            yield Field((*base, "text"), message["text"], "text")
        if isinstance(message.get("altText"), str):
            yield Field((*base, "altText"), message["altText"], "alt")
        for key in ("contents", "template", "quickReply"):
            if key in message:
                yield from _tree_fields(message[key], (*base, key), labels_shown=key != "contents")


def _tree_fields(tree: Any, base: Path, labels_shown: bool = False) -> Iterator[Field]:
    """Strings of a Flex container, a template message or quick replies. Action labels are shown on
    Flex buttons, template message buttons and quick-reply buttons; elsewhere in Flex they are not."""
    for path, node in walk(tree, base):
        kind = node.get("type")
        if not isinstance(kind, str):
            kind = None
        if kind in ACTION_TYPES:
            if kind == "uri" and isinstance(node.get("uri"), str):
                yield Field((*path, "uri"), node["uri"], "uri")
            desktop = node.get("altUri", {}).get("desktop") if isinstance(node.get("altUri"), dict) else None
            if isinstance(desktop, str):
                yield Field((*path, "altUri", "desktop"), desktop, "uri")
            if labels_shown and isinstance(node.get("label"), str):
                yield Field((*path, "label"), node["label"], "label")
            continue
        for key in ("text", "title"):
            if isinstance(node.get(key), str):
                yield Field((*path, key), node[key], "text")
        action = node.get("action")
        if kind == "button" and isinstance(action, dict) and isinstance(action.get("label"), str):
            yield Field((*path, "action", "label"), action["label"], "label")


@per_message
def fields(msg: Message) -> tuple[Field, ...]:
    """Every string the message shows or links to, collected once per message.

    A value longer than :data:`~toolkit.limits.RULE_TEXT_CHARS` is read as its first and last half
    (joined by a line break, so that nothing matches across the cut): what a rule does with a text
    then costs the same for a megabyte value as for the longest one LINE accepts.
    """
    found = _template_fields(msg) if msg.kind == "template" else _flexible_fields(msg)
    paths = msg.branch_paths
    return tuple(field if len(field.text) <= RULE_TEXT_CHARS else _capped(field) for field in found
                 if paths is None or field.path in paths)


def _capped(field: Field) -> Field:
    half = RULE_TEXT_CHARS // 2
    return field._replace(text=f"{field.text[:half]}\n{field.text[-half:]}")


def joined_text(msg: Message, shown_only: bool = True) -> str:
    """The message's shown strings (or all its strings), one per line, collected once per message.

    A rule that looks for characters few texts hold (capitals, exclamation marks, emoji, invisible
    characters) first looks here, and skips the message when none of them is anywhere in it.
    """
    return _joined(msg)[0 if shown_only else 1]


@per_message
def _joined(msg: Message) -> tuple[str, str]:
    found = fields(msg)
    return "\n".join(f.text for f in found if f.role in SHOWN), "\n".join(f.text for f in found)


# --- measuring text ---------------------------------------------------------------------------------

_ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xFE0E, 0xFE0F, 0x20E3, 0x00AD})


def is_emoji(code: int) -> bool:
    return (0x1F300 <= code <= 0x1FAFF or 0x1F000 <= code <= 0x1F2FF or 0x2600 <= code <= 0x27BF
            or code in (0x2B50, 0x2B55, 0x2B1B, 0x2B1C, 0x231A, 0x231B, 0x23F0, 0x23F3, 0x3030, 0x303D))


def _char_width(char: str) -> int:
    code = ord(char)
    if code < 0x20 or 0x7F <= code < 0xA0 or code in _ZERO_WIDTH or 0x1F3FB <= code <= 0x1F3FF:
        return 0
    if 0xE0000 <= code <= 0xE007F or unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") or is_emoji(code) else 1


_WIDTHS: dict[str, int] = {}


@lru_cache(maxsize=8192)  # the same values and labels are measured again and again in a batch
def display_width(text: str) -> int:
    """Columns the text takes: East Asian wide and emoji 2, combining marks (Thai vowels, tones) 0."""
    if text.isascii():
        if text.isprintable():  # printable ASCII is exactly " " to "~", one column each
            return len(text)
        return sum(1 for char in text if " " <= char < "\x7f")
    width = 0
    widths = _WIDTHS
    for char in text:
        w = widths.get(char)
        if w is None:
            w = widths[char] = _char_width(char)
        width += w
    return width


@lru_cache(maxsize=8192)
def nfkc(text: str) -> str:
    """Full-width Latin and half-width kana folded to their usual forms, for matching."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    return nfkc(text).casefold()


_SCRIPTS = {
    "thai": re.compile("[\u0e01-\u0e5b]"),
    "kana": re.compile("[\u3041-\u30fa\u30fd-\u30ff\uff66-\uff9d]"),
    "han": re.compile("[\u4e00-\u9fff\u3400-\u4dbf\uf900-\ufaff]"),
    "hangul": re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3131-\u318e]"),
    "latin": re.compile("[A-Za-z\u00c0-\u024f\uff21-\uff3a\uff41-\uff5a]"),
}
_LATIN = _SCRIPTS["latin"]


def script_counts(text: str) -> dict[str, int]:
    """Letters per script: ``thai``, ``kana``, ``han``, ``hangul``, ``latin``."""
    if text.isascii():
        return {"thai": 0, "kana": 0, "han": 0, "hangul": 0, "latin": len(_LATIN.findall(text))}
    return {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}


# --- data files -------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def load_data(name: str) -> dict[str, Any]:
    """One JSON data file from ``toolkit/rules/wordlists`` (``urls``, ``app-versions``, or a language)."""
    path = WORDLISTS / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        from ..errors import CatalogueError

        raise CatalogueError(N_("word list cannot be read: {reason}", reason=str(exc)), path=str(path)) from None
    if not isinstance(data, dict):
        from ..errors import CatalogueError

        raise CatalogueError(N_("word list must hold a JSON object"), path=str(path))
    return data


def wordlist(language: str) -> dict[str, Any]:
    return load_data(language)


def option(msg: Message, name: str, kind: type) -> Any:
    """A rule option from configuration, or None when it is unset or of the wrong type."""
    options = msg.options
    if type(options) is not dict and not isinstance(options, Mapping):  # (the ABC check is slow: asked per rule)
        return None
    value = options.get(name)
    return value if isinstance(value, kind) else None


# --- language of a message --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markers() -> dict[str, re.Pattern[str]]:
    data = load_data("scripts")
    return {name: re.compile("[" + re.escape(chars) + "]") for name, chars in data["markers"].items()}


def chinese_markers(text: str) -> tuple[int, int, int]:
    """Characters written so only in Simplified Chinese, only in Traditional Chinese (or Japanese),
    and only in Chinese (not Japanese): ``(simplified, traditional, not_japanese)``."""
    marks = _markers()
    simplified = len(marks["simplified"].findall(text))
    traditional_only = len(marks["traditional"].findall(text))
    traditional = traditional_only + len(marks["traditionalAlsoJapanese"].findall(text))
    return simplified, traditional, simplified + traditional_only + len(marks["chineseOnly"].findall(text))


@per_message
def message_language(msg: Message) -> str | None:
    """The template's language; for a flexible message, the language it is given (the spec's
    ``language`` or the configuration's), else the language most of its text is in."""
    return _message_language(msg)


def _message_language(msg: Message) -> str | None:
    template = msg.template
    if template is not None:
        return template.language
    if msg.kind != "flexible":
        return None
    if msg.branch_paths is not None:
        return msg.language  # text of branches: the language its samples are in (never guessed from it)
    if msg.language_given and msg.language:
        return msg.language  # the spec's language, or the configuration's
    totals = {"thai": 0, "kana": 0, "han": 0, "hangul": 0, "latin": 0}
    sample = []
    for field in fields(msg):
        if field.role in SHOWN:
            for script, n in script_counts(field.text).items():
                totals[script] += n
            sample.append(field.text)
    if not any(totals.values()):
        return None
    # Weigh scripts by what a character carries: a CJK character says about as much as two letters.
    weights = {"th": totals["thai"], "cjk": 2 * (totals["kana"] + totals["han"]), "en": totals["latin"],
               "ko": 2 * totals["hangul"]}
    top = max(weights, key=lambda k: weights[k])
    if top == "th":
        return "th"
    if top == "en":
        return "en"
    if top == "ko":
        return None
    if totals["kana"] * 10 >= totals["han"]:
        return "ja"
    simplified, traditional, _ = chinese_markers("".join(sample))
    if simplified > traditional:
        return "zh-Hans"
    if traditional > simplified:
        return "zh-Hant"
    return "zh"
