"""API checks (codes A001-A099): everything LINE's API would reject, found offline.

Each check reports at the property LINE's error ``details`` name, with a message that says what the
API says. Lengths count UTF-16 code units, as LINE does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..findings import utf16_length
from ..i18n import N_
from ..spec.message import Message
from ..spec.placeholders import has_placeholder
from ..spec.source import json_type_name
from ._base import Hit, RuleSet
from ._text import walk
from .api_template import length_text, template_parts

__all__ = ["RULES"]

_rules = RuleSet("api")
rule = _rules.rule

URL_MAX = 1000
TAG_MIN, TAG_MAX = 16, 100
MESSAGES_MAX = 5
TEXT_MAX = 5000
ALT_TEXT_MAX = 1500
UNIT_MAX = 30
_SHA256 = re.compile(r"[0-9a-f]{64}")
_UNIT = re.compile(r"[A-Za-z0-9_]+")
_FORBIDDEN_TYPES = ("image", "video", "audio", "imagemap")


# --- shape --------------------------------------------------------------------------------------


def _expect(value: Any, kind: type, path: tuple[str | int, ...], *, null: bool = True) -> tuple[Hit, ...]:
    """A value of the wrong JSON type; ``null`` counts as absent unless ``null`` is False. (A tuple,
    not a generator: nearly every value is of the right type, and this runs for each of them.)"""
    if (value is not None or not null) and not isinstance(value, kind):
        expected = json_type_name(kind())
        return (Hit(path, N_("The value of {property} must be {expected}, not {actual}.", property=_prop(path),
                             expected=expected, actual=json_type_name(value))),)
    return ()


@rule("A001", "invalid-request-shape", "error", "Give every required property with the right JSON type.")
def invalid_request_shape(msg: Message) -> Iterator[Hit]:
    """A required property is missing, has the wrong JSON type, or is not part of the request.

    What it does: checks the request body's structure the way LINE's API parses it: `to` and
    `templateKey` (template) or `messages` (flexible) are required; items need `itemKey` and
    `content`, buttons `buttonKey` and `url`, all strings; each message needs its `type`, a text
    message its `text`, a Flex message its `altText` and `contents`, and the container a `type` of
    bubble or carousel. A missing property is reported at its own path, as LINE's error details
    name it (`messages[0].altText`, `messages[0].contents.type`), not at the object holding it.

    Why: the API answers 400 "The request body has N error(s)" for any of these.

    Example: `{"itemKey": "date_002_ja"}` with no `content` (reported at `body.items[0].content`).
    """
    body = msg.body
    required: tuple[str, ...] = ("templateKey",) if msg.kind == "template" else ("messages",)
    if not msg.is_spec:
        required = ("to", *required)
    for key in required:  # LINE names a missing property at its own path, not at its parent
        if key not in body:
            yield Hit((key,), N_("The property {property} must be specified.", property=key))
    allowed = {"to", "customAggregationUnits"} | (
        {"templateKey", "body"} if msg.kind == "template" else {"messages", "notificationDisabled"})
    for key in body:
        if key not in allowed:
            yield Hit((key,), N_("The property {property} is not allowed in a {kind} request body.", property=key,
                                   kind=msg.kind))
    yield from _expect(body.get("to"), str, ("to",))
    if msg.kind == "template":
        yield from _expect(body.get("templateKey"), str, ("templateKey",))
        inner = body.get("body")
        yield from _expect(inner, dict, ("body",))
        if not isinstance(inner, dict):
            return
        for key in inner:
            if key not in ("emphasizedItem", "items", "buttons"):
                yield Hit(("body", key), N_("The property {property} is not allowed.", property="body." + key))
        parts: list[tuple[tuple[str | int, ...], Any, tuple[str, str]]] = []
        if "emphasizedItem" in inner:
            parts.append((("body", "emphasizedItem"), inner["emphasizedItem"], ("itemKey", "content")))
        for name, fields in (("items", ("itemKey", "content")), ("buttons", ("buttonKey", "url"))):
            value = inner.get(name)
            yield from _expect(value, list, ("body", name))
            if isinstance(value, list):
                parts.extend((("body", name, i), v, fields) for i, v in enumerate(value))
        for path, obj, fields in parts:
            if not isinstance(obj, dict):
                yield Hit(path, N_("The value of {property} must be {expected}, not {actual}.", property=_prop(path),
                                   expected=json_type_name({}), actual=json_type_name(obj)))
                continue
            for fname in fields:
                if fname not in obj:
                    yield Hit((*path, fname), N_("The property {property} must be specified.",
                                                 property=_prop((*path, fname))))
                elif not isinstance(obj[fname], str):  # (checked here first: nearly every value is a string)
                    yield from _expect(obj[fname], str, (*path, fname), null=False)
            for fname in obj:
                if fname not in fields:
                    yield Hit((*path, fname), N_("The property {property} is not allowed.", property=_prop((*path, fname))))
    else:
        messages = body.get("messages")
        yield from _expect(messages, list, ("messages",))
        yield from _expect(body.get("notificationDisabled"), bool, ("notificationDisabled",))
        if isinstance(messages, list):
            for i, message in enumerate(messages):
                path = ("messages", i)
                if not isinstance(message, dict):
                    yield Hit(path, N_("The value of {property} must be an object.", property=_prop(path)))
                    continue
                for fname in ("type", "text") if message.get("type") == "text" else ("type",):
                    if fname not in message:
                        yield Hit((*path, fname), N_("The property {property} must be specified.",
                                                     property=_prop((*path, fname))))
                    else:
                        yield from _expect(message[fname], str, (*path, fname), null=False)
                if message.get("type") == "flex":
                    yield from _flex_shape(message, path)
    units = body.get("customAggregationUnits")
    yield from _expect(units, list, ("customAggregationUnits",))


def _flex_shape(message: dict[str, Any], path: tuple[str | int, ...]) -> Iterator[Hit]:
    """A Flex message's required `altText` and `contents`, and its container's `type`, each at its own path."""
    for fname in ("altText", "contents"):
        if fname not in message:
            yield Hit((*path, fname), N_("The property {property} must be specified.", property=_prop((*path, fname))))
    contents = message.get("contents")
    if "contents" in message:
        yield from _expect(contents, dict, (*path, "contents"), null=False)
    if not isinstance(contents, dict):
        return
    where = (*path, "contents", "type")
    if "type" not in contents:
        yield Hit(where, N_("The property {property} must be specified.", property=_prop(where)))
    elif contents["type"] not in ("bubble", "carousel"):
        yield Hit(where, N_("The value of {property} must be bubble or carousel; it is {value}.", property=_prop(where),
                            value=repr(contents["type"])))


def _prop(path: tuple[str | int, ...]) -> str:
    from ..findings import line_property

    return line_property(path)


# --- recipient and headers -------------------------------------------------------------------------


@rule("A002", "invalid-recipient", "error",
      "Hash the E.164 number: `lnm hash-phone NUMBER --region JP` or `lnm build --phone`.")
def invalid_recipient(msg: Message) -> Iterator[Hit]:
    """`to` is not a lowercase hex SHA-256 digest of a phone number.

    What it does: checks that `to` is 64 lowercase hexadecimal characters.

    Why: LINE matches recipients by the SHA-256 of their E.164 phone number and answers 400 "The
    value must be a valid SHA-256 digest." otherwise. A raw phone number in `to` also leaks
    personal data into logs. Whether LINE accepts uppercase hex is undocumented, so it is flagged.

    Example: `"to": "+818000001234"`.

    Use instead: `"to": "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"`.
    """
    to = msg.body.get("to")
    if not isinstance(to, str):
        return
    if _SHA256.fullmatch(to):
        return
    if re.fullmatch(r"[0-9A-Fa-f]{64}", to):
        yield Hit(("to",), N_("The value must be a valid SHA-256 digest: use lowercase hexadecimal."),
                  N_("Lower-case the digest; LINE documents lowercase hex."))
        return
    looks_like_phone = bool(re.fullmatch(r"[+0-9()\-\s.]{6,}", to))
    yield Hit(("to",), N_("The value must be a valid SHA-256 digest. It looks like a raw phone number, which must "
                          "never be sent or stored.") if looks_like_phone else N_("The value must be a valid SHA-256 digest."))


@rule("A003", "invalid-delivery-tag", "error",
      "Use a delivery tag of 16 to 100 characters, or leave it out.")
def invalid_delivery_tag(msg: Message) -> Iterator[Hit]:
    """The `X-Line-Delivery-Tag` header (spec field `deliveryTag`) is not 16-100 characters long.

    What it does: checks the length of the delivery tag a spec sends as a header.

    Why: LINE rejects a tag shorter than 16 or longer than 100 characters; the tag comes back as
    `delivery.data` in the delivery completion webhook.

    Example: `"deliveryTag": "order-1"`.
    """
    tag = msg.delivery_tag
    if tag is None:
        return
    length = utf16_length(tag)
    if not TAG_MIN <= length <= TAG_MAX:
        yield Hit(("deliveryTag",), N_("X-Line-Delivery-Tag must be {low}-{high} characters; it is {length}.",
                                       low=TAG_MIN, high=TAG_MAX, length=length_text(tag)))


@rule("A004", "invalid-aggregation-unit", "error",
      "Give at most one unit name of 1-30 characters from A-Z, a-z, 0-9 and _.")
def invalid_aggregation_unit(msg: Message) -> Iterator[Hit]:
    """`customAggregationUnits` breaks LINE's rules for unit names.

    What it does: at most one entry; each a string of 1-30 characters from `[A-Za-z0-9_]`.

    Why: the API answers 400 ("Invalid characters are included in custom aggregation unit") at
    `customAggregationUnits[0]`.

    Example: `["order-mail 2024"]`. Use instead: `["order_mail_2024"]`.
    """
    units = msg.body.get("customAggregationUnits")
    if not isinstance(units, list):
        return
    if len(units) > 1:
        yield Hit(("customAggregationUnits",), N_("customAggregationUnits accepts at most 1 unit name; it has {count}.",
                                                  count=len(units)))
    for i, unit in enumerate(units):
        path = ("customAggregationUnits", i)
        if not isinstance(unit, str):
            yield Hit(path, N_("The unit name must be a string, not {actual}.", actual=json_type_name(unit)))
        elif not unit:
            yield Hit(path, N_("The unit name must not be empty."))
        elif len(unit) > UNIT_MAX:
            yield Hit(path, N_("The unit name must be at most {limit} characters; it is {length}.", limit=UNIT_MAX,
                               length=len(unit)))
        elif not _UNIT.fullmatch(unit):
            bad = "".join(sorted({c for c in unit if not _UNIT.fullmatch(c)}))
            yield Hit(path, N_("Invalid characters are included in custom aggregation unit: {characters}.",
                               characters=repr(bad)))


@rule("A019", "url-too-long", "error", "Shorten the URL to 1000 characters (keep state server-side).")
def url_too_long(msg: Message) -> Iterator[Hit]:
    """A button URL (or a URI action in a flexible message) is over 1000 characters.

    What it does: measures `body.buttons[].url` and, in flexible messages, every `uri` action.

    Why: the API rejects URLs over 1000 characters.
    """
    _, _, buttons = template_parts(msg)
    for i, button in enumerate(buttons):
        url = button.get("url") if isinstance(button, dict) else None
        if isinstance(url, str) and len(url) > URL_MAX:
            yield Hit(("body", "buttons", i, "url"), N_("The url must be at most {limit} characters; it is {length}.",
                                                         limit=URL_MAX, length=len(url)))
    if msg.kind == "flexible":
        for path, node in walk(msg.body.get("messages"), ("messages",)):
            if node.get("type") == "uri" and isinstance(node.get("uri"), str) and len(node["uri"]) > URL_MAX:
                yield Hit((*path, "uri"), N_("The uri must be at most {limit} characters; it is {length}.", limit=URL_MAX,
                                              length=len(node["uri"])))


#: Characters a URI may hold as they are (RFC 3986: unreserved, reserved, and % starting an escape).
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_URI_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def uri_fields(msg: Message) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every link target of the message with its path: template button URLs, and the `uri` and
    `altUri.desktop` of every URI action (Flex components, quick replies, template messages)."""
    _, _, buttons = template_parts(msg)
    for i, button in enumerate(buttons):
        url = button.get("url") if isinstance(button, dict) else None
        if isinstance(url, str):
            yield ("body", "buttons", i, "url"), url
    if msg.kind == "flexible":
        for path, node in walk(msg.body.get("messages"), ("messages",)):
            if node.get("type") == "uri" and isinstance(node.get("uri"), str):
                yield (*path, "uri"), node["uri"]
            desktop = node.get("desktop")
            if path and path[-1] == "altUri" and isinstance(desktop, str):
                yield (*path, "desktop"), desktop


def _unencoded(uri: str) -> str | None:
    """What in ``uri`` must be percent-encoded, said in words; None when it is fully encoded."""
    bad = _URI_BAD_ESCAPE.search(uri)
    ok = _URI_CHARS.match(uri)
    end = ok.end() if ok else 0
    if end == len(uri) and bad is None:
        return None
    if bad is not None and bad.start() < end:
        return N_("a % at character {position} that does not start a percent-encoded byte (write a literal % as %25)",
                  position=bad.start() + 1)
    char = uri[end]
    encoded = "".join(f"%{b:02X}" for b in char.encode("utf-8", "surrogatepass"))
    what = {" ": N_("a space"), "\t": N_("a tab"), "\n": N_("a line break")}.get(char) or (
        f"U+{ord(char):04X}" if not char.isprintable() else repr(char))
    return N_("{what} at character {position}, which must be percent-encoded in UTF-8 ({encoded})", what=what,
              position=end + 1, encoded=encoded)


@rule("A020", "unencoded-uri", "error",
      "Percent-encode the URI in UTF-8 (a space is %20); in a spec, fill placeholders with `| urlencode`.")
def unencoded_uri(msg: Message) -> Iterator[Hit]:
    """A link holds characters that must be percent-encoded: a space, non-ASCII text, quotes...

    What it does: checks every link of the message as it is sent (a spec's placeholders filled
    with each sample): template button URLs, and the `uri` and `altUri.desktop` of URI actions
    in Flex components, quick replies and template messages. Anything but the characters RFC 3986
    allows in a URI (letters, digits, `-._~:/?#[]@!$&'()*+,;=` and `%`) must be percent-encoded
    in UTF-8, and every `%` must start an escape `%XX`. An already encoded URI
    (`%E6%B3%A8%E6%96%87`) is fine. Image, icon and video URLs are not checked: LINE documents
    percent-encoding for URI actions only, and real Flex messages fetch images from unencoded
    Thai URLs.

    Why: LINE requires URIs to be percent-encoded in UTF-8 and answers 400 for one that is not;
    a value filled from a customer's data (a name, a product with a space) is the usual cause.
    LINE does not say which characters template button URLs accept; lnm holds them to the rule of
    URI actions.

    Example: `https://shop.example.jp/contact us` or `https://shop.example.jp/注文/1`.

    Use instead: `https://shop.example.jp/contact%20us`, `https://shop.example.jp/%E6%B3%A8%E6%96%87/1`;
    in a spec, `?item={{ item | urlencode }}`.
    """
    for path, uri in uri_fields(msg):
        if msg.is_spec and has_placeholder(uri):
            continue  # not filled: A090 says why
        problem = _unencoded(uri)
        if problem:
            if msg.is_spec and msg.sample:
                yield Hit(path, N_("The value of {property} must be percent-encoded: it contains {problem} (as filled "
                                   "from sample {sample}).", property=_prop(path), problem=problem, sample=repr(msg.sample)))
            else:
                yield Hit(path, N_("The value of {property} must be percent-encoded: it contains {problem}.",
                                   property=_prop(path), problem=problem))


# --- flexible --------------------------------------------------------------------------------------


def _messages(msg: Message) -> list[tuple[int, dict[str, Any]]]:
    messages = msg.body.get("messages")
    if not isinstance(messages, list):
        return []
    return [(i, m) for i, m in enumerate(messages) if isinstance(m, dict)]


@rule("A030", "message-count", "error", "Send 1 to 5 messages in one request.", applies_to=("flexible",))
def message_count(msg: Message) -> Iterator[Hit]:
    """A flexible body has no messages or more than 5.

    What it does: counts `messages`.

    Why: the API accepts 1-5 message objects per request.
    """
    messages = msg.body.get("messages")
    if isinstance(messages, list) and not 1 <= len(messages) <= MESSAGES_MAX:
        yield Hit(("messages",), N_("The size of messages must be between 1 and {limit}; it is {count}.",
                                     limit=MESSAGES_MAX, count=len(messages)))


@rule("A031", "unsupported-message-type", "error",
      "Use text or Flex messages; describe the picture in words instead.", applies_to=("flexible",))
def unsupported_message_type(msg: Message) -> Iterator[Hit]:
    """A flexible body carries an image, video, audio or imagemap message.

    What it does: checks each message's `type`.

    Why: LINE notification messages (flexible) do not permit messages containing images, videos
    or audio (technical specs, "Message types that can be sent").
    """
    for i, message in _messages(msg):
        kind = message.get("type")
        if kind in _FORBIDDEN_TYPES:
            yield Hit(("messages", i, "type"), N_("Message type {type} is not permitted in LINE notification messages: "
                                                  "images, videos and audio cannot be sent.", type=repr(kind)))


@rule("A032", "text-too-long", "error", "Keep a text message to 5000 characters.", applies_to=("flexible",))
def text_too_long(msg: Message) -> Iterator[Hit]:
    """A text message's `text` is over 5000 UTF-16 code units.

    What it does: counts UTF-16 code units of each text message.

    Why: the Messaging API rejects longer text (emoji outside the BMP count 2).
    """
    for i, message in _messages(msg):
        text = message.get("text")
        if message.get("type") == "text" and isinstance(text, str) and utf16_length(text) > TEXT_MAX:
            yield Hit(("messages", i, "text"), N_("The text must be at most {limit} characters; it is {length}.",
                                                  limit=TEXT_MAX, length=length_text(text)))


@rule("A033", "alt-text-too-long", "error", "Keep altText to 1500 characters; it is a notification line.",
      applies_to=("flexible",))
def alt_text_too_long(msg: Message) -> Iterator[Hit]:
    """A Flex message's `altText` is over 1500 UTF-16 code units (or empty).

    What it does: measures `altText` of each Flex message.

    Why: the Messaging API requires `altText` of 1-1500 characters.
    """
    for i, message in _messages(msg):
        alt = message.get("altText")
        if message.get("type") != "flex" or not isinstance(alt, str):
            continue
        if not alt:
            yield Hit(("messages", i, "altText"), N_("The altText must not be empty."))
        elif utf16_length(alt) > ALT_TEXT_MAX:
            yield Hit(("messages", i, "altText"), N_("The altText must be at most {limit} characters; it is {length}.",
                                                     limit=ALT_TEXT_MAX, length=length_text(alt)))


# --- spec ------------------------------------------------------------------------------------------


@rule("A090", "unfillable-placeholder", "error",
      "Define the name in every sample, or fix the placeholder's syntax.")
def unfillable_placeholder(msg: Message) -> Iterator[Hit]:
    """A Jinja2 placeholder in a spec value cannot be filled from the sample.

    What it does: fills every placeholder with each named sample, in Jinja's sandbox with undefined
    names as errors, and reports each failure at the value's path. A sample value a filter cannot
    read is reported at the sample value itself (`/samples/default/delivery/date`): the filters
    `date`, `date_range` and `datetime` read an ISO date (`2024-08-10`) or an ISO date-time
    (`2024-08-10T14:30`, optionally with seconds and an offset) and nothing else, so
    `"2024-08-10（変更）"` or `"2024/08/10"` is an error, never a guess at the first ten characters.

    Why: the body cannot be built, so nothing could be sent.

    Example: `"{{ order.idd }}"` when the sample has `order.id`; `"date": "2024-08-10（変更）"` in a
    sample read by `{{ date | date('MMMEd') }}`.
    """
    for path, message in msg.placeholder_errors:
        fix = N_("Write the sample value as the filter reads it: an ISO date (2024-08-10) or date-time "
                 "(2024-08-10T14:30), a time (14:30), or a plain number.") if path[:1] == ("samples",) else None
        if msg.sample:
            # Translators: {problem} is a sentence about a placeholder; {sample} is the name of a spec's sample.
            yield Hit(path, N_("{problem} (sample {sample})", problem=message, sample=repr(msg.sample)), fix)
        else:
            yield Hit(path, message, fix)


@rule("A091", "invalid-spec", "error", "Follow schemas/message-spec.schema.json.")
def invalid_spec(msg: Message) -> Iterator[Hit]:
    """A spec's own fields (`kind`, `samples`, `suppress`) are not in the expected shape.

    What it does: checks the fields that lnm reads but does not send.

    Why: a spec that is not understood cannot be built reliably.
    """
    for path, message in msg.spec_errors:
        yield Hit(path, message)


RULES = _rules.freeze()
