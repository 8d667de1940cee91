"""API checks of the messages of a flexible body beyond the Flex structure (codes A050-A056):
actions, quick replies, senders (and the words LINE reserves in their names), LINE emojis, colours
with alpha and message types LINE does not document for notification messages. Schema problems come sorted by area from ``_flextree``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import line_property, utf16_length
from ..i18n import N_
from ..spec.message import Message
from ._base import Hit, RuleSet
from ._flextree import area, long_colours, problems
from ._text import nfkc, option

__all__ = ["RULES"]

_rules = RuleSet("api")
rule = _rules.rule

Path = tuple[str | int, ...]

UNDOCUMENTED_MESSAGES = frozenset({"textV2", "sticker", "location", "template", "coupon"})
#: Colour properties where LINE documents #RRGGBBAA; the others say only "a hexadecimal color code".
_ALPHA_DOCUMENTED = frozenset({"startColor", "endColor", "centerColor"})
_ALPHA = re.compile(r"#[0-9a-fA-F]{8}")
#: Words LINE reserves in `sender.name`: the reference names "LINE" and says "certain words such as";
#: the whole list is not published, so the option ``reserved-sender-words`` replaces this one.
RESERVED_SENDER_WORDS = ("LINE",)


@rule("A050", "invalid-action", "error", "Fix the action: type, label, URI or data as LINE defines them.",
      applies_to=("flexible",))
def invalid_action(msg: Message) -> Iterator[Hit]:
    """An action in a Flex Message breaks LINE's rules for actions.

    What it does: checks action types (uri, message, postback, datetimepicker, clipboard, and the
    quick-reply and rich-menu types), their required properties (`uri`, `text`, `data`, `mode`,
    `clipboardText`; a button's action needs a `label`), labels of at most 40 characters, URIs of
    the schemes http, https, line and tel, `altUri.desktop`, `data`, `displayText` and `text` of
    at most 300 characters, `clipboardText` of at most 1000, datetimepicker `mode` (date, time,
    datetime) and postback `inputOption`. (A URI over 1000 characters is A019.)

    Why: the API answers 400 for each.

    Example: a button label of 41 characters, `"uri": "www.example.com"` (no scheme).
    """
    for _, problem in problems(msg):
        if area(problem) == "action" and problem.kind != "unknown-property":
            yield Hit(problem.path, problem.message)


@rule("A051", "invalid-quick-reply", "error", "Give 1-13 quick reply buttons, each an action with a label of 20 characters.",
      applies_to=("flexible",))
def invalid_quick_reply(msg: Message) -> Iterator[Hit]:
    """A message's `quickReply` breaks LINE's rules.

    What it does: checks `quickReply.items` (1 to 13, each `{"type": "action", "action": ...}`
    with an optional HTTPS `imageUrl`), each action as in A050 but with a required label of at
    most 20 characters, and no `altUri` (LINE allows it only in Flex Messages).

    Why: the API answers 400 for each.

    Example: 14 quick reply buttons, or a label "配送状況の確認とお届け日時の変更" (16 is fine, 21 is not).
    """
    for _, problem in problems(msg):
        if area(problem) == "quickReply" and problem.kind != "unknown-property":
            yield Hit(problem.path, problem.message)
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        reply = message.get("quickReply") if isinstance(message, dict) else None
        items = reply.get("items") if isinstance(reply, dict) else None
        for j, item in enumerate(items if isinstance(items, list) else []):
            action = item.get("action") if isinstance(item, dict) else None
            if isinstance(action, dict) and "altUri" in action:
                where = ("messages", i, "quickReply", "items", j, "action", "altUri")
                yield Hit(where, N_("The property {property} cannot be used in a quick reply.", property=line_property(where)))


@rule("A052", "invalid-sender", "error", "Give a sender name of 1-20 characters and an HTTPS icon URL.",
      applies_to=("flexible",))
def invalid_sender(msg: Message) -> Iterator[Hit]:
    """A message's `sender` (the name and icon shown instead of the account's) breaks LINE's rules.

    What it does: checks `sender.name` (1-20 characters) and `sender.iconUrl` (HTTPS, at most
    2000 characters), and that nothing else is in `sender`.

    Why: the API answers 400 for each.
    """
    for _, problem in problems(msg):
        if area(problem) == "sender" and problem.kind != "unknown-property":
            yield Hit(problem.path, problem.message)


@rule("A053", "invalid-emoji", "error", "Put a $ in the text at each emoji's index (UTF-16), 20 emojis at most.",
      applies_to=("flexible",))
def invalid_emoji(msg: Message) -> Iterator[Hit]:
    """The LINE emojis of a text message do not match the `$` placeholders of its text.

    What it does: checks `emojis` (at most 20, each with `index`, `productId` and `emojiId`) and
    that each `index` points at a `$` of `text`, counted in UTF-16 code units, with no index used
    twice.

    Why: LINE replaces the `$` at each index with the emoji and answers 400 when an index does
    not point at a `$`.

    Example: `{"text": "$ ご注文ありがとうございます", "emojis": [{"index": 1, ...}]}`. Use instead: `"index": 0`.
    """
    for _, problem in problems(msg):
        if area(problem) == "emojis" and problem.kind != "unknown-property":
            yield Hit(problem.path, problem.message)
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        if not isinstance(message, dict) or message.get("type") != "text":
            continue
        text, emojis = message.get("text"), message.get("emojis")
        if not isinstance(text, str) or not isinstance(emojis, list):
            continue
        units = text.encode("utf-16-le", "surrogatepass")
        seen: set[int] = set()
        for j, emoji in enumerate(emojis):
            index = emoji.get("index") if isinstance(emoji, dict) else None
            if not isinstance(index, int) or isinstance(index, bool) or index < 0:
                continue
            where = ("messages", i, "emojis", j, "index")
            if index in seen:
                yield Hit(where, N_("Two emojis use index {index}.", index=index))
            elif units[2 * index:2 * index + 2] != b"$\x00":
                yield Hit(where, N_("The index {index} of {property} does not point at a $ in the text (it has {units} "
                                    "UTF-16 code units).", index=index, property=line_property(where[:-1]),
                                    units=utf16_length(text)))
            seen.add(index)


@rule("A054", "undocumented-alpha-colour", "warning", "Use #RRGGBB here, or check the colour on a real phone.",
      applies_to=("flexible",))
def undocumented_alpha_colour(msg: Message) -> Iterator[Hit]:
    """A colour with an alpha channel (`#RRGGBBAA`) where LINE documents only `#RRGGBB`.

    What it does: reports 8-digit colours outside box `backgroundColor` and gradient colours,
    where LINE documents them.

    Why: LINE says only "a hexadecimal color code" for text, button, separator, border, image and
    block style colours; samples in the wild use alpha there, but whether the API accepts it and
    every app shows it is not documented, so this is a warning.

    Example: `"color": "#064d8888"` on a text.
    """
    for here, key, node in long_colours(msg):
        value = node[key]
        if _ALPHA.fullmatch(value) and key not in _ALPHA_DOCUMENTED \
                and not (key == "backgroundColor" and node.get("type") == "box"):
            yield Hit((*here, key), N_("{property} has an alpha channel ({value}); LINE documents #RRGGBBAA only for box "
                                       "backgrounds and gradients.", property=line_property((*here, key)), value=value))


@rule("A055", "undocumented-message-type", "warning",
      "Use text or Flex messages; LINE's review may not accept this type.", applies_to=("flexible",))
def undocumented_message_type(msg: Message) -> Iterator[Hit]:
    """A flexible notification message uses a message type LINE neither allows nor forbids for it.

    What it does: reports `textV2`, `sticker`, `location`, `template` and `coupon` messages.

    Why: LINE says flexible notification messages may use "Flex Message and other similar
    message types" but no images, video or audio (those are A031); it does not say whether these
    types are accepted, so this is a warning.
    """
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        kind = message.get("type") if isinstance(message, dict) else None
        if isinstance(kind, str) and kind in UNDOCUMENTED_MESSAGES:
            yield Hit(("messages", i, "type"), N_("LINE does not document whether a {type} message may be sent as a "
                                                  "notification message.", type=kind))


def _reserved_in(name: str, words: tuple[str, ...]) -> str | None:
    """The first reserved word in ``name``, regardless of case and width (ＬＩＮＥ, Line), as a
    word of its own among Latin letters and digits ("LINE配送", "from LINE") but not inside one
    ("Online")."""
    folded = nfkc(name).casefold()
    for word in words:
        wanted = nfkc(word).casefold()
        if not wanted:
            continue
        start = folded.find(wanted)
        while start >= 0:
            end = start + len(wanted)
            before = folded[start - 1] if start else ""
            after = folded[end] if end < len(folded) else ""
            if not (wanted[0].isascii() and before.isascii() and before.isalnum()) and not (
                    wanted[-1].isascii() and after.isascii() and after.isalnum()):
                return word
            start = folded.find(wanted, start + 1)
    return None


@rule("A056", "reserved-sender-name", "error", "Give the sender a name without \"LINE\": the shop's or the service's own.",
      applies_to=("flexible",))
def reserved_sender_name(msg: Message) -> Iterator[Hit]:
    """A message's `sender.name` holds a word LINE reserves, such as "LINE".

    What it does: looks for the reserved words in each `sender.name`, regardless of case and of
    full-width letters ("LINE", "Line", "ＬＩＮＥ"), as a word of its own among Latin letters
    ("LINE配送センター", "Kumoya LINE Desk") but not inside another word ("Online Shop" is fine).
    LINE names only "LINE" and says "certain words such as"; it publishes neither the whole list
    nor how it treats case, so lnm takes the stricter reading, and the option
    `reserved-sender-words` replaces the list.

    Why: the API rejects a sender name with a reserved word (Messaging API reference, sender
    object), so that no message looks as if it came from LINE itself; notification messages
    already arrive beside LINE's own "LINE notification message received".

    Example: `"sender": {"name": "LINE配送センター"}`. Use instead: `"sender": {"name": "くもや配送センター"}`.
    """
    configured = option(msg, "reserved-sender-words", list)
    words = tuple(str(w) for w in configured if isinstance(w, str)) if configured is not None else RESERVED_SENDER_WORDS
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    for i, message in enumerate(messages if isinstance(messages, list) else []):
        sender = message.get("sender") if isinstance(message, dict) else None
        name = sender.get("name") if isinstance(sender, dict) else None
        if isinstance(name, str):
            word = _reserved_in(name, words)
            if word is not None:
                where = ("messages", i, "sender", "name")
                yield Hit(where, N_("{property} contains {word}, a word LINE reserves: the API rejects this sender name.",
                                    property=line_property(where), word=repr(word)))


RULES = _rules.freeze()
