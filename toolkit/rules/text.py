"""Guideline rules on wording (G010-G014) and text hygiene and language (G030-G033)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet
from ._text import (
    SHOWN,
    chinese_markers,
    fields,
    joined_text,
    message_language,
    nfkc,
    option,
    script_counts,
    wordlist,
)
from ._wordmatch import matcher

__all__ = ["RULES"]

_rules = RuleSet("guideline")
rule = _rules.rule

_LANGUAGE_NAMES = {"ja": N_("Japanese"), "th": N_("Thai"), "zh-Hant": N_("Traditional Chinese"),
                   "zh-Hans": N_("Simplified Chinese"), "zh": N_("Chinese"), "en": N_("English")}


def _words(found: list[str]) -> str:
    unique = list(dict.fromkeys(found))
    return ", ".join(f'"{w}"' for w in unique[:5]) + (" ..." if len(unique) > 5 else "")


# --- wording ----------------------------------------------------------------------------------------


@rule("G010", "promotional-wording", "warning",
      "State the fact the notice is about; leave offers, coupons and sales out of notification messages.", branches=True)
def promotional_wording(msg: Message) -> Iterator[Hit]:
    """The text advertises: sales, discounts, coupons, campaigns, points, free gifts, special offers.

    What it does: looks for promotional words in every value, text, altText and button label, using
    the word lists in `toolkit/rules/wordlists/<language>.json` for Japanese, Thai, Traditional and
    Simplified Chinese and English, plus the option `extra-promotional-words` (a mapping of
    language to words). Thai and Chinese and Japanese have no spaces between words, so their words
    match anywhere in the text, minus listed exclusions that merely contain a word ("お得意様" is
    not "お得", "โปรด" is not "โปร", "免費客服" is not an offer). English words match whole words
    only ("wholesale" is not "sale"; "夏のSALE" is, since Japanese, Chinese and Thai letters end a Latin
    word). Amounts such as "50% OFF", "8折", "ลด 20%", "5%還元", "回饋5%", "ลดสูงสุด 70%" match
    patterns; "回饋" alone does not (意見回饋 is feedback).

    Why: LINE notification messages may carry no commercial or advertising purpose [C]; an offer
    turns a notice users agreed to receive into an advert, and partners name it as a reason messages
    are refused in review.

    Example: `"ご注文ありがとうございます。次回使える10%OFFクーポンをプレゼント！"`.

    Use instead: `"ご注文を承りました。"` and keep offers for ordinary messages to friends.
    """
    extra = option(msg, "extra-promotional-words", dict) or option(msg, "extra-promotional-words", list)
    found = matcher("promotional", extra)
    for field in fields(msg):
        if field.role in SHOWN:
            matches = found.find(field.text)
            if matches:
                yield Hit(field.path, N_("promotional wording {words}: notification messages may not advertise.",
                                         words=_words([m.word for m in matches])))


@rule("G011", "pressure-wording", "warning",
      "Give the date or deadline plainly, without urging the reader.", branches=True)
def pressure_wording(msg: Message) -> Iterator[Hit]:
    """The text pushes the reader to act at once: "act now", "残りわずか", "รีบเลย", "限時搶購".

    What it does: looks for pressure and urgency words (word lists per language, as for
    promotional wording, with exclusions such as "限時掛號", which is a kind of registered mail).

    Why: a notification states a fact the reader needs; urgency wording belongs to sales, makes the
    notice look like an advert and is questioned in review. A real deadline is a fact: write it as a
    date.

    Example: `"Hurry, only 3 left!"`. Use instead: `"Please pay by 31 August."`.
    """
    found = matcher("pressure")
    for field in fields(msg):
        if field.role in SHOWN:
            matches = found.find(field.text)
            if matches:
                yield Hit(field.path, N_("pressure wording {words}: a notice states facts and dates without urging.",
                                         words=_words([m.word for m in matches])))


_CAPS_WORD = re.compile(r"[A-Z]{2,}")
_CAPS_RUN = re.compile(r"(?<![A-Za-z])[A-Z]{2,}(?:[ \t\-.,&/!?'’]+[A-Z]{2,})+(?![A-Za-z])")


@rule("G012", "all-caps-shouting", "warning", "Write words in normal case; use the emphasized item for emphasis.", branches=True)
def all_caps_shouting(msg: Message) -> Iterator[Hit]:
    """Latin text is written in capitals, which reads as shouting.

    What it does: finds runs of words in capitals (full-width letters such as "ＳＡＬＥ" are folded
    first) of three or more words, or two words of ten letters or more. Shorter runs such as
    "VISA", "JCB" or "PDF" are acronyms and left alone.

    Why: shouting is an advertising habit; notices are calm and factual, and capitals are harder
    to read.

    Example: `"ORDER SHIPPED TODAY"`. Use instead: `"Your order was shipped today."`.
    """
    for field in fields(msg):
        if field.role not in SHOWN:
            continue
        text = nfkc(field.text)
        if not _CAPS_WORD.search(text):
            continue  # no two capitals in a row: a quick look before the slower run pattern
        for match in _CAPS_RUN.finditer(text):
            words = _CAPS_WORD.findall(match.group(0))
            if len(words) >= 3 or sum(map(len, words)) >= 10:
                yield Hit(field.path, N_("\"{word}\" is written in capitals, which reads as shouting.", word=match.group(0)))
                break


_BANGS = re.compile(r"[‼⁉]|(?<![!！?？❗❕])(?=[!！?？❗❕]*[!！❗❕])[!！?？❗❕]{2,}")
_BANG_CHARS = re.compile(r"[‼⁉!！❗❕]")


@rule("G013", "exclamation-run", "warning", "End a sentence with one mark, or none.", branches=True)
def exclamation_run(msg: Message) -> Iterator[Hit]:
    """Exclamation marks in a row ("!!", "！！", "‼", "!?!").

    What it does: finds two or more exclamation or question marks in a row, at least one of them
    an exclamation mark, in half-width or full-width forms and their emoji.

    Why: runs of exclamation marks are an advertising habit; LINE's review expects the calm tone of
    a notice.

    Example: `"発送しました！！"`. Use instead: `"発送しました。"`.
    """
    if not _BANG_CHARS.search(joined_text(msg)):
        return
    for field in fields(msg):
        if field.role in SHOWN:
            match = _BANGS.search(field.text)
            if match:
                yield Hit(field.path, N_("\"{marks}\": a run of exclamation marks reads as advertising.", marks=match.group(0)))


_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\u2B1B\u2B1C\u231A\u231B\u23F0\u23F3\u3030\u303D]"
                    "[\U0001F3FB-\U0001F3FF\uFE0F]*(?:\u200D[\U0001F000-\U0001FAFF\u2600-\u27BF][\uFE0F]*)*")
EMOJI_MAX = 3
EMOJI_RUN = 3


@rule("G014", "emoji-flood", "warning", f"Use at most {EMOJI_MAX} emoji in a text, and none in a row.", branches=True)
def emoji_flood(msg: Message) -> Iterator[Hit]:
    """A text carries many emoji, or several in a row.

    What it does: counts emoji (a sequence joined with ZWJ or a skin tone counts once) in each
    value, text, altText and label: more than three in one text, or three in a row, is a flood.

    Why: strings of emoji are an advertising habit, crowd out the information and are read out one
    by one by screen readers.

    Example: `"🎉🎉🎉 Your parcel is here 🚚📦✨"`. Use instead: `"Your parcel has arrived."`.
    """
    if not _EMOJI.search(joined_text(msg)):
        return
    for field in fields(msg):
        if field.role not in SHOWN:
            continue
        matches = list(_EMOJI.finditer(field.text))
        if len(matches) > EMOJI_MAX:
            yield Hit(field.path, N_("{count} emoji in one text (at most {limit}).", count=len(matches), limit=EMOJI_MAX))
            continue
        run = 1
        for before, after in itertools.pairwise(matches):
            run = run + 1 if field.text[before.end():after.start()].strip() == "" else 1
            if run >= EMOJI_RUN:
                yield Hit(field.path, N_("{count} emoji in a row.", count=run))
                break


# --- text hygiene and language ----------------------------------------------------------------------


def _english_sentence(text: str) -> bool:
    words = re.findall(r"[A-Za-z']+", text)
    if len(words) < 3:
        return False
    function = set(wordlist("en").get("functionWords", ()))
    return sum(1 for w in words if w.lower() in function) >= 2


@lru_cache(maxsize=8192)  # a batch shows the same texts again and again
def _foreign(language: str, text: str) -> str | None:
    """The language or script ``text`` is in when it is not ``language``, else None."""
    counts = script_counts(text)
    if language != "th" and counts["thai"] >= 2:
        return _LANGUAGE_NAMES["th"]
    if counts["hangul"] >= 2:
        return N_("Korean")
    if language == "th" and counts["kana"] + counts["han"] >= 2:
        return _LANGUAGE_NAMES["ja"] if counts["kana"] else _LANGUAGE_NAMES["zh"]
    if language in ("zh-Hant", "zh-Hans", "zh", "en") and counts["kana"] >= 2:
        return _LANGUAGE_NAMES["ja"]
    if language == "en" and counts["han"] >= 2:
        return N_("Chinese or Japanese")
    if counts["han"] >= 2 and (language in ("zh-Hant", "zh-Hans") or language == "ja" and counts["kana"] == 0):
        simplified, traditional, not_japanese = chinese_markers(text)
        if language == "ja" and counts["kana"] == 0 and not_japanese:
            return _LANGUAGE_NAMES["zh"]
        if language == "zh-Hant" and simplified >= 2 and simplified > traditional:
            return _LANGUAGE_NAMES["zh-Hans"]
        if language == "zh-Hans" and traditional >= 2 and traditional > simplified:
            return _LANGUAGE_NAMES["zh-Hant"]
    if language != "en" and counts["latin"] >= 6 and _english_sentence(text):
        return _LANGUAGE_NAMES["en"]
    return None


@rule("G030", "foreign-language-content", "warning",
      "Write the content in the template's language (or pick the template of the reader's country).", branches=True)
def foreign_language_content(msg: Message) -> Iterator[Hit]:
    """A value or text is in another language or script than the message.

    What it does: the language is the template's (ja, th, zh-Hant); for a flexible message, its
    `language` (or the configuration's `language` or `country`), else the language most of its
    text is written in. Each text is then checked for another script (Thai in
    a Japanese template, kana in a Thai or Chinese one, Hangul anywhere), for Chinese in a Japanese
    template and the other Chinese variant in a Chinese one (characters each writes its own way,
    listed in `toolkit/rules/wordlists/scripts.json`), and for whole English sentences in a non-English
    message. Names and codes in Latin letters are fine.

    Why: a template's labels, title and fixed texts are in its language; a value in another
    language makes a mixed message the reader may not understand, and usually means a value meant
    for another country's template.

    Example: a Thai template (`_th`) with the value `"2024年8月10日"`.

    Use instead: `"10 ส.ค. 2567"`.
    """
    language = message_language(msg)
    if language is None:
        return
    for field in fields(msg):
        if field.role in SHOWN:
            other = _foreign(language, field.text)
            if other:
                name = _LANGUAGE_NAMES.get(language, language)
                if name[0] in "AEIOU":
                    yield Hit(field.path, N_("this text looks {other}, in an {language} message.", other=other,
                                             language=name))
                else:
                    yield Hit(field.path, N_("this text looks {other}, in a {language} message.", other=other,
                                             language=name))


_BLANK = re.compile(r"[\s\u200B\u3000\u00A0\uFEFF]*")


@rule("G031", "empty-content", "warning", "Give the item a value, or leave the item out.")
def empty_content(msg: Message) -> Iterator[Hit]:
    """A value, text, altText or button label is empty or only white space.

    What it does: checks every shown string for being empty or white space (including full-width
    and no-break spaces and zero-width spaces).

    Why: an item with no value shows a label with nothing beside it; an empty text shows an empty
    bubble. Usually a placeholder was filled with an empty value. (An empty altText is already an
    API error, A033.)

    Example: `{"itemKey": "number_001_ja", "content": "　"}`.
    """
    for field in fields(msg):
        if field.role in SHOWN and _BLANK.fullmatch(field.text):
            if field.role == "alt" and field.text == "":
                continue
            yield Hit(field.path, N_("empty value") if not field.text else N_("this value is only white space."))


_EDGE = " \t\n\r\u3000\u00A0"


@rule("G032", "untrimmed-content", "info", "Remove the spaces at the start and end of the value.")
def untrimmed_content(msg: Message) -> Iterator[Hit]:
    """A value starts or ends with spaces or line breaks.

    What it does: checks every shown string and link for leading or trailing white space
    (including full-width and no-break spaces).

    Why: the space is shown, pushes the value out of line with the others, counts towards the
    length limits, and in a URL breaks the link.

    Example: `" 1234567 "`. Use instead: `"1234567"`.
    """
    for field in fields(msg):
        text = field.text
        if text and text.strip(_EDGE) and (text[0] in _EDGE or text[-1] in _EDGE):
            if text[0] in _EDGE and text[-1] in _EDGE:
                yield Hit(field.path, N_("this value starts and ends with white space."))
            elif text[0] in _EDGE:
                yield Hit(field.path, N_("this value starts with white space."))
            else:
                yield Hit(field.path, N_("this value ends with white space."))


_INVISIBLE = re.compile("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B\u200C\u200E\u200F"
                        "\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]|(?<![\U0001F000-\U0001FAFF"
                        "\u2600-\u27BF\uFE0F\U0001F3FB-\U0001F3FF])\u200D|\u200D(?![\U0001F000-\U0001FAFF\u2600-\u27BF])")


#: Every character _INVISIBLE can match (the joiner only in some places): a quick first look.
_MAYBE_INVISIBLE = re.compile("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u00AD\u200B-\u200F"
                              "\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\uFFF9-\uFFFB]")


@rule("G033", "invisible-characters", "warning", "Delete the invisible character (retype the value if unsure).", branches=True)
def invisible_characters(msg: Message) -> Iterator[Hit]:
    """A value holds control characters or invisible ones (zero-width space, bidirectional marks).

    What it does: finds C0/C1 control characters other than line breaks and tabs, zero-width
    spaces and joiners (a joiner inside an emoji sequence is fine), soft hyphens, word joiners, byte
    order marks and bidirectional embedding and isolate controls, in shown text and links.

    Why: they are invisible when reviewing but change what the reader sees (text direction, broken
    line wrapping), break links and searches, and often arrive by pasting from a spreadsheet or web
    page.

    Example: `"1234\\u200B567"`.
    """
    if not _MAYBE_INVISIBLE.search(joined_text(msg, shown_only=False)):
        return
    for field in fields(msg):
        match = _INVISIBLE.search(field.text)
        if match:
            char = match.group(0)
            yield Hit(field.path, N_("invisible character {code} at position {position}.", code="U+" + format(ord(char), "04X"),
                                     position=match.start() + 1))


RULES = _rules.freeze()
