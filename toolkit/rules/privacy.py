"""Guideline rules on personal data in content (G040-G045).

Findings say what kind of data was found and where, never the value itself: lint output ends up in
CI logs and SARIF files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet, per_message
from ._text import SHOWN, Field, fields, load_data, message_language, nfkc

__all__ = ["RULES", "luhn_valid", "my_number_valid", "taiwan_id_valid", "thai_id_valid"]

_rules = RuleSet("guideline")
rule = _rules.rule

_SEP = "[ \\-‐−ー]"
_NOT_AFTER = rf"(?!{_SEP}?\d)(?!\d)"
_NOT_BEFORE = rf"(?<!\d)(?<!\d{_SEP})"


_WORTH_A_LOOK = re.compile(r"[0-9０-９@＠]")
_A_DIGIT = re.compile(r"\d")


@per_message
def _shown(msg: Message) -> tuple[tuple[Field, str], ...]:
    """Shown text with a digit or an @, NFKC-folded so full-width forms match; once per message."""
    return tuple((field, nfkc(field.text)) for field in fields(msg)
                 if field.role in SHOWN and _WORTH_A_LOOK.search(field.text))


@per_message
def _counted(msg: Message) -> tuple[tuple[Field, str, int], ...]:
    return tuple((field, text, len(_A_DIGIT.findall(text))) for field, text in _shown(msg))


def _with_digits(msg: Message, least: int) -> Iterator[tuple[Field, str]]:
    """:func:`_shown` texts holding at least ``least`` digits: an ID or card number needs twelve or
    more, and most texts (dates, prices, order numbers) hold fewer, so they are passed over at once."""
    return ((field, text) for field, text, count in _counted(msg) if count >= least)


_ID_WORDS = re.compile(r"(?i)マイナンバー|個人番号|my\s*number|individual\s*number|เลขประจำตัวประชาชน|บัตรประชาชน|"
                       r"citizen\s*id|national\s*id|id\s*card|身分證")
_NUMBER_KINDS = ("number", "identifier")


def _may_be_reference(msg: Message, field: Field, text: str, language: str) -> bool:
    """True when a checksum match is more likely an order or tracking number than an ID.

    A 12- or 13-digit reference passes a mod-11 check one time in ten or eleven, so such a number
    counts as an ID only with a word naming the ID nearby, or in free text of the ID's language.
    """
    if _ID_WORDS.search(text):
        return False
    entry = msg.catalogue.items.get(field.item_key) if field.item_key else None
    if entry is not None and entry.value_kind in _NUMBER_KINDS:
        return True
    return message_language(msg) != language


_NOT_DIGIT = re.compile(r"\D")


def _digits(text: str) -> str:
    return _NOT_DIGIT.sub("", text)


# --- phone numbers and e-mail -----------------------------------------------------------------------

_S = "[ \\-‐−ー]?"
_LOOSE_BEFORE = "(?<![\\w+])(?<!\\d[\\-‐−ー])"
_LOOSE_AFTER = "(?![\\-‐−ー]?\\d)(?!\\w)"
_PHONES = (
    (N_("a Japanese mobile number"), rf"0[789]0{_S}\d{{4}}{_S}\d{{4}}"),
    (N_("a Thai or Taiwanese mobile number"), rf"0[689]\d{_S}\d{{3}}{_S}\d{{4}}|09\d\d{_S}\d{{3}}{_S}\d{{3}}"),
    (N_("a Japanese mobile number"), rf"(?:\+|00){_S}81{_S}(?:\(0\))?{_S}[789]0{_S}\d{{4}}{_S}\d{{4}}"),
    (N_("a Thai mobile number"), rf"(?:\+|00){_S}66{_S}(?:\(0\))?{_S}[689]\d{_S}\d{{3}}{_S}\d{{4}}"),
    (N_("a Taiwanese mobile number"), rf"(?:\+|00){_S}886{_S}(?:\(0\))?{_S}9\d\d{_S}\d{{3}}{_S}\d{{3}}"),
    (N_("an international phone number"), rf"\+{_S}[1-9]\d{{0,2}}(?:{_S}\(?\d{{1,5}}\)?){{2,5}}"),
)
#: Every number above starts with "0" or "+": the look-ahead lets the search skip other positions
#: without trying each alternative's look-behinds there (four times quicker on ordinary text).
_PHONE = re.compile("(?=[0+])(?:" + "|".join(f"{_LOOSE_BEFORE}(?P<p{i}>{pattern}){_LOOSE_AFTER}"
                                             for i, (_, pattern) in enumerate(_PHONES)) + ")")


def _mobile(match: re.Match[str]) -> str | None:
    """Which kind of personal phone number a match is, or None."""
    index = int(match.lastgroup[1:]) if match.lastgroup else 0
    kind = _PHONES[index][0]
    if kind.startswith("an international"):
        digits = _digits(match.group(0))
        return kind if 8 <= len(digits) <= 15 else None
    return kind


@rule("G040", "phone-number-in-content", "warning",
      "Leave the reader's phone number out; LINE already knows who receives the notice.", branches=True)
def phone_number_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows a personal (mobile) phone number.

    What it does: finds Japanese (070/080/090), Thai (06/08/09) and Taiwanese (09) mobile numbers,
    with or without separators, full-width digits included, and international numbers written with
    `+` or `00`. Landline, toll-free and navigation-dial numbers (0120, 0800, 0570, 02-...) are a
    company's contact numbers and are left alone. The finding never repeats the number.

    Why: notification messages are addressed by phone number, so the reader's own number adds
    nothing, and a message can be seen by whoever holds the phone or a screenshot of it. lnm also
    never writes a raw phone number to a file or log.

    Example: `"ご登録の電話番号 090-1234-5678 宛に送信しました"`.

    Use instead: `"ご登録の電話番号（末尾5678）"`, or leave it out.
    """
    for field, text in _shown(msg):
        for match in _PHONE.finditer(text):
            kind = _mobile(match)
            if kind:
                yield Hit(field.path, N_("this text shows {kind} (number not shown here).", kind=kind))
                break


_EMAIL = re.compile(r"(?<![\w.%+-])([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")


@lru_cache(maxsize=1)
def _role_mailboxes() -> frozenset[str]:
    return frozenset(load_data("urls")["roleMailboxes"])


@rule("G041", "email-in-content", "warning", "Leave personal e-mail addresses out of the message.", branches=True)
def email_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows a personal e-mail address.

    What it does: finds e-mail addresses (full-width `＠` included). Role mailboxes of the sender,
    such as `support@`, `info@`, `noreply@` or `orders@` (listed in `toolkit/rules/wordlists/urls.json`),
    are contact details and are left alone. The finding never repeats the address.

    Why: a notice is read on a lock screen and in screenshots; the reader's own address adds
    nothing and exposes them.

    Example: `"taro.yamada@example.jp 宛に領収書を送りました"`.

    Use instead: `"ご登録のメールアドレス宛に領収書を送りました"`.
    """
    roles = _role_mailboxes()
    for field, text in _shown(msg):
        if "@" not in text:
            continue
        for match in _EMAIL.finditer(text):
            local = match.group(1).lower().split("+", 1)[0]
            if local not in roles:
                yield Hit(field.path, N_("this text shows a personal e-mail address (address not shown here)."))
                break


# --- numbers with checksums -------------------------------------------------------------------------


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by payment card numbers."""
    total = 0
    for i, char in enumerate(reversed(digits)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _card_brand(digits: str) -> str | None:
    length = len(digits)
    two, four = int(digits[:2]), int(digits[:4])
    if digits[0] == "4" and length in (13, 16, 19):
        return "Visa"
    if (51 <= two <= 55 or 2221 <= four <= 2720) and length == 16:
        return "Mastercard"
    if two in (34, 37) and length == 15:
        return "American Express"
    if 3528 <= four <= 3589 and 16 <= length <= 19:
        return "JCB"
    if (digits.startswith("6011") or two == 65 or 644 <= int(digits[:3]) <= 649) and 16 <= length <= 19:
        return "Discover"
    if two == 62 and 16 <= length <= 19:
        return "UnionPay"
    if (two in (36, 38) or 300 <= int(digits[:3]) <= 305) and length == 14:
        return "Diners Club"
    return None


#: Overlapping candidates (a lookahead), so a card number right after another number is still seen.
_CARD = re.compile(rf"{_LOOSE_BEFORE}(?=(\d(?:[ \-]?\d){{12,18}}){_LOOSE_AFTER})")


@rule("G042", "card-number-in-content", "error",
      "Show at most the last four digits (\"**** 1234\"), never the card number.", branches=True)
def card_number_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows a payment card number.

    What it does: finds runs of 13-19 digits (spaces or hyphens between groups allowed) that start
    like a card brand (Visa, Mastercard, American Express, JCB, Discover, UnionPay, Diners Club)
    and pass the Luhn check. Masked numbers such as `**** **** **** 1234` are fine. The finding
    never repeats the number.

    Why: a full card number must never be shown or sent in a message (PCI DSS); a notice is read on
    lock screens, forwarded and kept in chat history and LINE's systems.

    Example: `"4111 1111 1111 1111 でお支払い"`. Use instead: `"VISA **** 1111 でお支払い"`.
    """
    for field, text in _with_digits(msg, 13):
        for match in _CARD.finditer(text):
            digits = _digits(match.group(1))
            if len(set(digits)) < 2:
                continue
            brand = _card_brand(digits)
            if brand and luhn_valid(digits):
                yield Hit(field.path, N_("this text shows an {brand} card number ({digits} digits, passes the Luhn "
                                         "check; not shown here).", brand=brand, digits=len(digits))
                          if brand[0] in "AEIOU" else
                          N_("this text shows a {brand} card number ({digits} digits, passes the Luhn check; not shown "
                             "here).", brand=brand, digits=len(digits)))
                break


def thai_id_valid(digits: str) -> bool:
    """Thai national ID: 13 digits, the last = (11 - sum(d[i] * (13 - i)) mod 11) mod 10."""
    if len(digits) != 13 or digits[0] not in "12345678":
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


_THAI_ID = re.compile(rf"{_NOT_BEFORE}\d(?:{_SEP}?\d){{12}}{_NOT_AFTER}")


@rule("G043", "thai-national-id-in-content", "error", "Never show a national ID number in a message.", branches=True)
def thai_national_id_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows a Thai national ID number (เลขประจำตัวประชาชน).

    What it does: finds 13-digit numbers, grouped or not (`1-2345-67890-12-1`), whose first digit
    is 1-8 and whose last digit is the mod-11 check digit, in Thai text or next to a word naming
    the ID ("บัตรประชาชน", "national ID"). A number item of the catalogue (a tracking number) counts
    only with such a word. The finding never repeats the number.

    Why: the national ID identifies a person for banking, government and health services;
    Thailand's PDPA treats it as personal data that must not be exposed without need.

    Example: `"เลขบัตรประชาชน 1-1017-00230-70-8"`. Use instead: `"เลขบัตรประชาชนลงท้าย 708"`, or leave it out.
    """
    for field, text in _with_digits(msg, 13):
        for match in _THAI_ID.finditer(text):
            if thai_id_valid(_digits(match.group(0))) and not _may_be_reference(msg, field, text, "th"):
                yield Hit(field.path, N_("this text shows a Thai national ID number (check digit valid; not shown here)."))
                break


_TW_LETTERS = {letter: value for value, letter in enumerate("ABCDEFGHJKLMNPQRSTUVXYWZIO", start=10)}
_TW_ID = re.compile(r"(?<![A-Za-z0-9])[A-Z][1289]\d{8}(?![A-Za-z0-9])")


def taiwan_id_valid(text: str) -> bool:
    """Taiwan national ID (and resident certificate) number: letter, 9 digits, weighted mod 10."""
    if len(text) != 10 or text[0] not in _TW_LETTERS or not text[1:].isdigit():
        return False
    code = _TW_LETTERS[text[0]]
    numbers = [code // 10, code % 10, *map(int, text[1:])]
    weights = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)
    return sum(n * w for n, w in zip(numbers, weights, strict=True)) % 10 == 0


@rule("G044", "taiwan-national-id-in-content", "error", "Never show a national ID number in a message.", branches=True)
def taiwan_national_id_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows a Taiwanese national ID number (身分證字號) or resident certificate number.

    What it does: finds a capital letter followed by nine digits (the first 1, 2, 8 or 9) whose
    weighted checksum is valid. The finding never repeats the number.

    Why: the ID number identifies a person for banks, telecoms and government; Taiwan's Personal
    Data Protection Act protects it.

    Example: `"身分證字號 A123456789"`. Use instead: `"身分證字號末四碼 6789"`, or leave it out.
    """
    for field, text in _with_digits(msg, 9):
        for match in _TW_ID.finditer(text.upper()):
            if taiwan_id_valid(match.group(0)):
                yield Hit(field.path, N_("this text shows a Taiwanese ID number (checksum valid; not shown here)."))
                break


def my_number_valid(digits: str) -> bool:
    """Japanese My Number: 12 digits, the last a check digit over the first 11 (weights 2-7, 2-6)."""
    if len(digits) != 12:
        return False
    body = digits[:11]
    total = sum(int(body[10 - n + 1]) * (n + 1 if n <= 6 else n - 5) for n in range(1, 12))
    remainder = total % 11
    return (0 if remainder <= 1 else 11 - remainder) == int(digits[11])


_MY_NUMBER = re.compile(rf"{_NOT_BEFORE}\d{{4}}{_SEP}?\d{{4}}{_SEP}?\d{{4}}{_NOT_AFTER}")


@rule("G045", "my-number-in-content", "warning", "Never show an Individual Number (My Number) in a message.", branches=True)
def my_number_in_content(msg: Message) -> Iterator[Hit]:
    """The content shows what looks like a Japanese Individual Number (マイナンバー).

    What it does: finds 12-digit numbers (`1234 5678 9012` grouping allowed) whose last digit is
    the My Number check digit, in Japanese text or next to a word naming it ("マイナンバー",
    "個人番号"). One 12-digit number in eleven passes the check by chance, so number items of the
    catalogue (tracking numbers) count only with such a word; it is a warning, and a spec may
    suppress it with a reason. The finding never repeats the number.

    Why: Japan's My Number Act strictly limits who may collect and show Individual Numbers; they
    must never appear in a notice.

    Example: `"マイナンバー 1234 5678 9018"`. Use instead: leave it out.
    """
    for field, text in _with_digits(msg, 12):
        for match in _MY_NUMBER.finditer(text):
            digits = _digits(match.group(0))
            if len(set(digits)) > 1 and my_number_valid(digits) and not _may_be_reference(msg, field, text, "ja"):
                yield Hit(field.path, N_("this text shows what looks like a My Number (check digit valid; not shown "
                                         "here)."))
                break


RULES = _rules.freeze()
