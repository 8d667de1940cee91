"""Text helpers shared by the guideline rules: what text a message shows, how wide it is, which
script it is in, and the word lists kept as data in ``toolkit/wordlists``.

Everything costly (word lists, compiled patterns) is built once per process and cached; the fields
of one message are collected once and shared by every rule that reads them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path as _FsPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .message import Message

__all__ = ["Field", "LANGUAGES", "WordMatcher", "display_width", "fields", "flex_messages", "load_data",
           "matcher", "message_language", "nfkc", "option", "script_counts", "walk", "wordlist"]

Path = tuple[str | int, ...]

LANGUAGES = ("ja", "th", "zh-Hant", "zh-Hans", "en")
WORDLISTS = _FsPath(__file__).resolve().parent / "wordlists"

#: Roles of text a reader sees (wording rules read these); ``uri`` is a link target.
SHOWN = frozenset({"emphasized", "item", "text", "alt", "label"})

ACTION_TYPES = frozenset({"uri", "message", "postback", "datetimepicker", "camera", "cameraRoll", "location",
                          "richmenuswitch", "clipboard"})


@dataclass(frozen=True)
class Field:
    """One string of a message: where it is, what it says, and what part of the message it is."""

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
    entries: list[tuple[Path, Any, str]] = []
    if isinstance(body.get("emphasizedItem"), dict):
        entries.append((("body", "emphasizedItem"), body["emphasizedItem"], "emphasized"))
    if isinstance(body.get("items"), list):
        entries.extend((("body", "items", i), v, "item") for i, v in enumerate(body["items"]))
    for path, item, role in entries:
        if isinstance(item, dict) and isinstance(item.get("content"), str):
            key = item.get("itemKey")
            yield Field((*path, "content"), item["content"], role, key if isinstance(key, str) else None)
    if isinstance(body.get("buttons"), list):
        for i, button in enumerate(body["buttons"]):
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
        if message.get("type") == "text" and isinstance(message.get("text"), str):
            yield Field((*base, "text"), message["text"], "text")
        if isinstance(message.get("altText"), str):
            yield Field((*base, "altText"), message["altText"], "alt")
        for key in ("contents", "template"):
            if key in message:
                yield from _tree_fields(message[key], (*base, key))


def _tree_fields(tree: Any, base: Path) -> Iterator[Field]:
    for path, node in walk(tree, base):
        kind = node.get("type")
        if kind in ACTION_TYPES:
            if kind == "uri" and isinstance(node.get("uri"), str):
                yield Field((*path, "uri"), node["uri"], "uri")
            desktop = node.get("altUri", {}).get("desktop") if isinstance(node.get("altUri"), dict) else None
            if isinstance(desktop, str):
                yield Field((*path, "altUri", "desktop"), desktop, "uri")
            continue
        for key in ("text", "title"):
            if isinstance(node.get(key), str):
                yield Field((*path, key), node[key], "text")
        action = node.get("action")
        if kind == "button" and isinstance(action, dict) and isinstance(action.get("label"), str):
            yield Field((*path, "action", "label"), action["label"], "label")


_last: tuple[Message | None, tuple[Field, ...]] = (None, ())


def fields(msg: Message) -> tuple[Field, ...]:
    """Every string the message shows or links to, collected once per message."""
    global _last
    if _last[0] is msg:
        return _last[1]
    found = tuple(_template_fields(msg) if msg.kind == "template" else _flexible_fields(msg))
    _last = (msg, found)
    return found


# --- measuring text ---------------------------------------------------------------------------------

_ZERO_WIDTH = frozenset({0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xFE0E, 0xFE0F, 0x20E3, 0x00AD})


def is_emoji(code: int) -> bool:
    return (0x1F300 <= code <= 0x1FAFF or 0x1F000 <= code <= 0x1F2FF or 0x2600 <= code <= 0x27BF
            or code in (0x2B50, 0x2B55, 0x2B1B, 0x2B1C, 0x231A, 0x231B, 0x23F0, 0x23F3, 0x3030, 0x303D))


def display_width(text: str) -> int:
    """Columns the text takes: East Asian wide and emoji 2, combining marks (Thai vowels, tones) 0."""
    width = 0
    for char in text:
        code = ord(char)
        if code < 0x7F:
            width += 1 if code >= 0x20 else 0
            continue
        if code in _ZERO_WIDTH or 0x1F3FB <= code <= 0x1F3FF or 0xE0000 <= code <= 0xE007F:
            continue
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf", "Cc"):
            continue
        if unicodedata.east_asian_width(char) in ("W", "F") or is_emoji(code):
            width += 2
        else:
            width += 1
    return width


def nfkc(text: str) -> str:
    """Full-width Latin and half-width kana folded to their usual forms, for matching."""
    return unicodedata.normalize("NFKC", text)


def script_counts(text: str) -> dict[str, int]:
    """Letters per script: ``thai``, ``kana``, ``han``, ``hangul``, ``latin``."""
    counts = {"thai": 0, "kana": 0, "han": 0, "hangul": 0, "latin": 0}
    for char in text:
        code = ord(char)
        if code < 0x80:
            if char.isalpha():
                counts["latin"] += 1
        elif 0x0E01 <= code <= 0x0E5B:
            counts["thai"] += 1
        elif 0x3041 <= code <= 0x30FF and code not in (0x30FB, 0x30FC) or 0xFF66 <= code <= 0xFF9D:
            counts["kana"] += 1
        elif 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
            counts["han"] += 1
        elif 0xAC00 <= code <= 0xD7A3 or 0x1100 <= code <= 0x11FF or 0x3131 <= code <= 0x318E:
            counts["hangul"] += 1
        elif 0xC0 <= code <= 0x24F or 0xFF21 <= code <= 0xFF5A:
            counts["latin"] += 1
    return counts


# --- data files -------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def load_data(name: str) -> dict[str, Any]:
    """One JSON data file from ``toolkit/wordlists`` (``urls``, ``app-versions``, or a language)."""
    path = WORDLISTS / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        from .errors import CatalogueError

        raise CatalogueError(f"word list cannot be read: {exc}", path=str(path)) from None
    if not isinstance(data, dict):
        from .errors import CatalogueError

        raise CatalogueError("word list must hold a JSON object", path=str(path))
    return data


def wordlist(language: str) -> dict[str, Any]:
    return load_data(language)


def option(msg: Message, name: str, kind: type) -> Any:
    """A rule option from configuration, or None when it is unset or of the wrong type."""
    options = msg.options if isinstance(msg.options, Mapping) else {}
    value = options.get(name)
    return value if isinstance(value, kind) else None


# --- word matching ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    word: str
    language: str
    start: int


class WordMatcher:
    """Finds listed words in text: substrings for Thai and CJK (no spaces to split on), whole words
    for English, regular-expression patterns for amounts ("50% off"), minus listed exclusions
    ("お得意" is not "お得", "โปรด" is not "โปร") that contain a match."""

    def __init__(self, entries: list[tuple[str, str, list[str], list[str], list[str]]]) -> None:
        parts: list[str] = []
        excludes: list[str] = []
        self._language: dict[str, str] = {}
        for language, mode, words, patterns, exclude in entries:
            words = sorted({nfkc(w).casefold() for w in words if w.strip()}, key=len, reverse=True)
            for word in words:
                self._language.setdefault(word, language)
            if words:
                alternation = "|".join(re.escape(w) for w in words)
                if mode == "word":
                    parts.append(rf"(?<![\w])(?:{alternation})(?![\w])")
                else:
                    parts.append(f"(?:{alternation})")
            parts.extend(f"(?:{p})" for p in patterns)
            excludes.extend(nfkc(e).casefold() for e in exclude if e.strip())
        self._pattern = re.compile("|".join(parts) or r"(?!x)x", re.IGNORECASE)
        self._exclude = (re.compile("|".join(re.escape(e) for e in sorted(set(excludes), key=len, reverse=True)),
                                    re.IGNORECASE) if excludes else None)

    def find(self, text: str) -> list[Match]:
        folded = nfkc(text).casefold()
        found = []
        spans: list[tuple[int, int]] | None = None
        for m in self._pattern.finditer(folded):
            if self._exclude is not None:
                if spans is None:
                    spans = [x.span() for x in self._exclude.finditer(folded)]
                if any(s <= m.start() and m.end() <= e for s, e in spans):
                    continue
            word = m.group(0)
            found.append(Match(word, self._language.get(word, _language_of(word)), m.start()))
        return found


def _language_of(text: str) -> str:
    counts = script_counts(text)
    if counts["thai"]:
        return "th"
    if counts["kana"]:
        return "ja"
    if counts["han"]:
        return "zh"
    return "en"


@lru_cache(maxsize=32)
def _matcher(category: str, extra: tuple[tuple[str, tuple[str, ...]], ...]) -> WordMatcher:
    entries = []
    extra_map = dict(extra)
    for language in LANGUAGES:
        data = wordlist(language)
        section = data.get(category, {})
        mode = "word" if data.get("matching") == "word" else "substring"
        entries.append((language, mode, list(section.get("words", ())) + list(extra_map.get(language, ())),
                        list(section.get("patterns", ())), list(section.get("exclude", ()))))
    for language, words in extra_map.items():
        if language not in LANGUAGES:
            entries.append((language, "word" if language.startswith("en") else "substring", list(words), [], []))
    return WordMatcher(entries)


def matcher(category: str, extra: Mapping[str, Any] | list[Any] | None = None) -> WordMatcher:
    """The matcher for ``promotional`` or ``pressure`` words of every language, plus extra words."""
    frozen: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if isinstance(extra, list):  # one list for every language: Latin words whole, others anywhere
        words = [w for w in extra if isinstance(w, str)]
        frozen = (("en", tuple(w for w in words if w.isascii())), ("*", tuple(w for w in words if not w.isascii())))
    elif extra:
        frozen = tuple(sorted((str(k), tuple(str(w) for w in v if isinstance(w, str)))
                              for k, v in extra.items() if isinstance(v, list)))
    return _matcher(category, frozen)


# --- language of a message --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _markers() -> dict[str, frozenset[str]]:
    data = load_data("scripts")
    return {name: frozenset(chars) for name, chars in data["markers"].items()}


def chinese_markers(text: str) -> tuple[int, int, int]:
    """Characters written so only in Simplified Chinese, only in Traditional Chinese (or Japanese),
    and only in Chinese (not Japanese): ``(simplified, traditional, not_japanese)``."""
    marks = _markers()
    simplified = traditional = not_japanese = 0
    for char in text:
        if char in marks["simplified"]:
            simplified += 1
            not_japanese += 1
        elif char in marks["traditional"]:
            traditional += 1
            not_japanese += 1
        elif char in marks["traditionalAlsoJapanese"]:
            traditional += 1
        elif char in marks["chineseOnly"]:
            not_japanese += 1
    return simplified, traditional, not_japanese


_last_language: tuple[Message | None, str | None] = (None, None)


def message_language(msg: Message) -> str | None:
    """The template's language; for a flexible message, the language most of its text is in."""
    global _last_language
    if _last_language[0] is not msg:
        _last_language = (msg, _message_language(msg))
    return _last_language[1]


def _message_language(msg: Message) -> str | None:
    template = msg.template
    if template is not None:
        return template.language
    if msg.kind != "flexible":
        return None
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
