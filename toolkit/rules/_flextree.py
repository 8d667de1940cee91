"""The messages of a flexible body as the Flex API checks see them: the schema problems of each
message (computed once per message and sorted into areas) and the Flex tree (containers, bubbles,
components) for what a schema cannot say. Shared by ``api_flex`` and ``api_messages``."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the schema reader is imported on the first flexible message, not at start-up
    from ..message import Message
    from ._flexschema import Problem

__all__ = ["DISCONTINUED", "FORBIDDEN_MESSAGES", "KNOWN_TYPES", "area", "bubbles", "components", "containers",
           "flex_nodes", "problems", "type_problems"]

Path = tuple[str | int, ...]

#: Types LINE knows somewhere (a known type in the wrong place is misplaced, not unknown).
KNOWN_TYPES = frozenset({
    "text", "textV2", "sticker", "image", "video", "audio", "location", "imagemap", "template", "flex", "coupon",
    "bubble", "carousel", "box", "button", "icon", "span", "separator", "filler",
    "uri", "message", "postback", "datetimepicker", "camera", "cameraRoll", "richmenuswitch",
    "clipboard", "linearGradient", "action"})
#: Discontinued component types and what replaced them.
DISCONTINUED = {"spacer": "spacer was removed from Flex Messages in 2020: give the next component a margin, "
                          "or the box padding, instead"}
FORBIDDEN_MESSAGES = frozenset({"image", "video", "audio", "imagemap"})


# --- the schema problems of a message, once -------------------------------------------------------------


def _covered_elsewhere(problem: Problem) -> bool:
    """Problems that older API checks already report (A001, A019, A031-A033)."""
    path, kind = problem.path, problem.kind
    if len(path) == 2:
        return kind == "json-type"  # A001: a message must be an object
    if len(path) == 3:
        key = path[2]
        if key == "type":
            return kind == "json-type" or problem.value in FORBIDDEN_MESSAGES or kind == "required"  # A001, A031
        if kind == "required" and key in ("text", "altText", "contents"):
            return True  # A001
        if key == "text" and kind == "json-type":
            return True  # A001
        if key == "text" and problem.keyword == "maxLength":
            return True  # A032
        if key == "altText" and problem.keyword in ("minLength", "maxLength"):
            return True  # A033
        if key == "contents" and kind == "json-type":
            return True  # A001: the container must be a bubble or a carousel
    if len(path) == 4 and path[2:] == ("contents", "type") and kind in ("type-name", "json-type", "required"):
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


_last: tuple[Message | None, tuple[tuple[str, Problem], ...]] = (None, ())


def problems(msg: Message) -> tuple[tuple[str, Problem], ...]:
    """``(area, problem)`` for every schema problem of the message's ``messages``, computed once per message."""
    global _last
    if _last[0] is msg:
        return _last[1]
    from ._flexschema import check_message

    found: list[tuple[str, Problem]] = []
    messages = msg.body.get("messages") if msg.kind == "flexible" else None
    if isinstance(messages, list):
        for i, message in enumerate(messages):
            for problem in check_message(message, ("messages", i)):
                if not _covered_elsewhere(problem):
                    found.append((area(problem), problem))
    _last = (msg, tuple(found))
    return _last[1]


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


_nodes_last: tuple[Message | None, tuple[tuple[Path, dict[str, Any]], ...]] = (None, ())


def flex_nodes(msg: Message) -> tuple[tuple[Path, dict[str, Any]], ...]:
    """Every object inside the Flex containers (components, actions, styles, backgrounds) with its
    path, in document order, collected once per message for every rule that looks at them."""
    global _nodes_last
    if _nodes_last[0] is msg:
        return _nodes_last[1]
    found: list[tuple[Path, dict[str, Any]]] = []
    for path, container in containers(msg):
        stack: list[tuple[Path, Any]] = [(path, container)]
        while stack:
            here, node = stack.pop()
            if type(node) is dict:
                found.append((here, node))
                stack.extend(((*here, k), v) for k, v in reversed(node.items()) if type(v) in (dict, list))
            elif type(node) is list:
                stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))) if type(v) in (dict, list))
    _nodes_last = (msg, tuple(found))
    return _nodes_last[1]
