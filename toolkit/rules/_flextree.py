"""The messages of a flexible body as the Flex API checks see them: the schema problems of each
message (computed once per message and sorted into areas) and the Flex tree (containers, bubbles,
components) for what a schema cannot say. Shared by ``api_flex`` and ``api_messages``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from ..i18n import N_
from ._base import per_message

if TYPE_CHECKING:  # the schema reader is imported on the first flexible message, not at start-up
    from ..spec.message import Message
    from ._flexschema import Problem

__all__ = ["DISCONTINUED", "FORBIDDEN_MESSAGES", "KNOWN_TYPES", "area", "bubbles", "components", "containers",
           "flex_nodes", "long_colours", "problems", "size_bound", "type_problems"]

Path = tuple[str | int, ...]

#: Types LINE knows somewhere (a known type in the wrong place is misplaced, not unknown).
KNOWN_TYPES = frozenset({
    "text", "textV2", "sticker", "image", "video", "audio", "location", "imagemap", "template", "flex", "coupon",
    "bubble", "carousel", "box", "button", "icon", "span", "separator", "filler",
    "uri", "message", "postback", "datetimepicker", "camera", "cameraRoll", "richmenuswitch",
    "clipboard", "linearGradient", "action"})
#: Discontinued component types and what replaced them.
DISCONTINUED = {"spacer": N_("spacer was removed from Flex Messages in 2020: give the next component a margin, "
                             "or the box padding, instead")}
FORBIDDEN_MESSAGES = frozenset({"image", "video", "audio", "imagemap"})


# --- the schema problems of a message, once -------------------------------------------------------------


#: The properties of a message that A001 requires, by message type (each reported at its own path).
_SHAPE_REQUIRED = {"text": ("text",), "flex": ("altText", "contents")}


def _covered_elsewhere(problem: Problem, message_type: Any) -> bool:
    """Problems that older API checks already report (A001, A019, A031-A033)."""
    path, kind = problem.path, problem.kind
    if len(path) == 2:
        return kind == "json-type"  # A001: a message must be an object
    if len(path) == 3:
        key = path[2]
        if key == "type":
            return kind == "json-type" or problem.value in FORBIDDEN_MESSAGES or kind == "required"  # A001, A031
        if kind == "required" and key in _SHAPE_REQUIRED.get(message_type, ()):
            return True  # A001
        if key == "text" and kind == "json-type" and message_type == "text":
            return True  # A001
        if key == "text" and problem.keyword == "maxLength":
            return True  # A032
        if key == "altText" and problem.keyword in ("minLength", "maxLength"):
            return True  # A033
        if key == "contents" and kind == "json-type" and message_type == "flex":
            return True  # A001: the container must be an object
    if len(path) == 4 and path[2:] == ("contents", "type") and kind in ("type-name", "json-type", "required") \
            and message_type == "flex":
        return True  # A001
    return path[-1] == "uri" and problem.keyword == "maxLength"  # A019


def area(problem: Problem) -> str:
    """Which rule family a problem belongs to, by where it is."""
    where = problem.path[:-1] if problem.kind in ("required", "unknown-property") else problem.path
    if len(where) > 2 and where[2] == "quickReply":
        return "quickReply"
    if len(where) > 2 and where[2] == "sender":
        return "sender"
    if len(where) > 2 and where[2] == "emojis":
        return "emojis"
    if "action" in where or "altUri" in where:
        return "action"
    return "flex"


@per_message
def problems(msg: Message) -> tuple[tuple[str, Problem], ...]:
    """``(area, problem)`` for every schema problem of the message's ``messages``, computed once per message."""
    from ._flexschema import check_message

    found: list[tuple[str, Problem]] = []
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            message_type = message.get("type") if isinstance(message, dict) else None
            for problem in check_message(message, ("messages", i)):
                if not _covered_elsewhere(problem, message_type):
                    found.append((area(problem), problem))
    return tuple(found)


def type_problems(msg: Message) -> Iterator[tuple[Problem, str]]:
    """Type-name problems outside actions and quick replies, with their class: unknown, discontinued, misplaced."""
    for where, problem in problems(msg):
        if where != "flex" or problem.kind != "type-name":
            continue
        value = problem.value
        if isinstance(value, str) and value in DISCONTINUED:
            yield problem, "discontinued"
        elif isinstance(value, str) and value in KNOWN_TYPES:
            yield problem, "misplaced"
        else:
            yield problem, "unknown"


# --- the Flex tree, for what the schema cannot say ----------------------------------------------------


def containers(msg: Message) -> Iterator[tuple[Path, dict[str, Any]]]:
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            if isinstance(message, dict) and message.get("type") == "flex" and isinstance(message.get("contents"), dict):
                yield ("messages", i, "contents"), message["contents"]


def bubbles(msg: Message) -> Iterator[tuple[Path, dict[str, Any], bool]]:
    """``(path, bubble, in_carousel)`` of every bubble."""
    for path, container in containers(msg):
        if container.get("type") == "bubble":
            yield path, container, False
        elif container.get("type") == "carousel" and isinstance(container.get("contents"), list):
            for j, bubble in enumerate(container["contents"]):
                if isinstance(bubble, dict) and bubble.get("type") == "bubble":
                    yield (*path, "contents", j), bubble, True


def components(node: Any, path: Path) -> Iterator[tuple[Path, dict[str, Any]]]:
    """Every component under a block, with its path (boxes, their contents, text spans)."""
    stack: list[tuple[Path, Any]] = [(path, node)]
    while stack:
        here, item = stack.pop()
        if not isinstance(item, dict):
            continue
        yield here, item
        contents = item.get("contents")
        if item.get("type") in ("box", "text") and isinstance(contents, list):
            stack.extend(((*here, "contents", i), c) for i, c in reversed(list(enumerate(contents))))


_Colour = tuple[Path, str, dict[str, Any]]
#: Most bytes of punctuation one member or item adds (quotes, colon, comma, brackets).
_VALUE_BYTES = 8
#: Most bytes of a number, true, false or null: 64-digit integers are the longest numbers lnm reads.
_SCALAR_BYTES = 72
#: Most bytes one character of a string takes in JSON (an escaped control character: \u001f).
_CHAR_BYTES = 6


def flex_nodes(msg: Message) -> tuple[tuple[Path, dict[str, Any]], ...]:
    """Every object inside the Flex containers (components, actions, styles, backgrounds) with its
    path, in document order, collected once per message for every rule that looks at them."""
    return _collect(msg)[0]


def size_bound(msg: Message, index: Any) -> int:
    """An upper bound of the compact JSON size of message ``index``'s Flex container, in bytes,
    found on the same walk: the size rules measure exactly only what could be over a limit."""
    return _collect(msg)[1].get(index, 0)


def long_colours(msg: Message) -> tuple[_Colour, ...]:
    """``(path, key, object)`` of every 9-character string in a property whose name ends in "olor"
    (``#RRGGBBAA`` candidates), found on the same walk."""
    return _collect(msg)[2]


@per_message
def _collect(msg: Message) -> tuple[tuple[tuple[Path, dict[str, Any]], ...], dict[Any, int], tuple[_Colour, ...]]:
    found: list[tuple[Path, dict[str, Any]]] = []
    bounds: dict[Any, int] = {}
    colours: list[_Colour] = []
    for path, container in containers(msg):
        chars = values = scalars = 0
        stack: list[tuple[Path, Any]] = [(path, container)]
        while stack:
            here, node = stack.pop()
            if type(node) is dict:
                found.append((here, node))
                children = []
                for key, value in node.items():
                    chars += len(key)
                    kind = type(value)
                    if kind is dict or kind is list:
                        children.append(((*here, key), value))
                    elif kind is str:
                        chars += len(value)
                        if len(value) == 9 and key.endswith("olor"):
                            colours.append((here, key, node))
                    else:
                        scalars += 1
                values += len(node) + 1
                stack.extend(reversed(children))
            else:
                children = []
                for i, value in enumerate(node):
                    kind = type(value)
                    if kind is dict or kind is list:
                        children.append(((*here, i), value))
                    elif kind is str:
                        chars += len(value)
                    else:
                        scalars += 1
                values += len(node) + 1
                stack.extend(reversed(children))
        bounds[path[1]] = chars * _CHAR_BYTES + values * _VALUE_BYTES + scalars * _SCALAR_BYTES
    return tuple(found), bounds, tuple(colours)
