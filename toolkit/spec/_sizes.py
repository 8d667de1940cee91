"""Sizes of what a template would make, estimated before it is made.

``join``, ``format``, ``%``, ``~`` and ``string`` turn a value into text: a list that shares its
items (``[big] * 8000``) is small in memory and vast as text. Comparing or sorting two such lists
walks every shared branch again: two lists doubled 45 times compare 2**45 leaves. Each walk here
stops as soon as it passes its limit, so it costs at most that many steps however large the value
is. The estimates are lower bounds (the sandbox still measures what is made); they exist so the
common hostile case is refused before it allocates, not after.
"""

from __future__ import annotations

from typing import Any

from .. import limits
from ..errors import BudgetExceeded
from ..i18n import N_, Text

__all__ = ["check_compared", "check_printed", "int_too_big", "items_over", "text_size", "too_big"]


def check_printed(start: int, *values: Any) -> None:
    """Refuse, before it is made, a text of ``start`` characters plus ``values`` written out."""
    limit = limits.PLACEHOLDER_VALUE_CHARS
    size = start
    for value in values:
        size += text_size(value, limit - size)
        if size > limit:
            if all(isinstance(v, str) for v in values):
                exact = start + sum(len(v) for v in values)
                raise BudgetExceeded(N_("placeholder would make a text of {size:,} characters; the limit is "
                                        "{limit:,}", size=exact, limit=limit))
            raise BudgetExceeded(N_("placeholder would make a text of more than {limit:,} characters", limit=limit))


def check_compared(value: Any, what: str = "compares") -> None:
    """Refuse to compare or sort a value that holds more items than a value may have."""
    if items_over(value, limits.PLACEHOLDER_VALUE_CHARS):
        limit = limits.PLACEHOLDER_VALUE_CHARS
        if what == "compares":
            raise BudgetExceeded(N_("placeholder compares a value of more than {limit:,} items (shared items "
                                    "counted each time)", limit=limit))
        raise BudgetExceeded(N_("placeholder sorts or compares a value of more than {limit:,} items (shared "
                                "items counted each time)", limit=limit))


def text_size(value: Any, limit: int) -> int:
    """About ``len(str(value))``, or some number above ``limit`` once it is known to pass it."""
    if isinstance(value, (str, bytes)):
        return len(value)
    total = 0
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, (str, bytes)):
            total += len(current) + 2  # quoted inside a container
        elif isinstance(current, (list, tuple, set, frozenset, dict)):
            total += 2 + 2 * len(current)  # brackets and separators
            if total > limit:
                return total
            stack.extend(current)
            if isinstance(current, dict):
                stack.extend(current.values())
        elif isinstance(current, bool) or current is None:
            total += 4
        elif isinstance(current, int):
            total += current.bit_length() * 3 // 10 + 1
        else:
            total += 1
        if total > limit:
            return total
    return total


def items_over(value: Any, limit: int) -> bool:
    """True when ``value`` holds more than ``limit`` items and texts, counting shared ones each time
    they are met (as a comparison or a sort walks them)."""
    count = 0
    stack = [value]
    while stack:
        current = stack.pop()
        count += 1
        if isinstance(current, (list, tuple, set, frozenset, dict)):
            if count + len(current) * (2 if isinstance(current, dict) else 1) > limit:
                return True
            stack.extend(current)
            if isinstance(current, dict):
                stack.extend(current.values())
        elif count > limit:
            return True
    return False


_KINDS: dict[type, Text] = {str: N_("a text"), bytes: N_("a byte string"), list: N_("a list"), tuple: N_("a list"),
                            dict: N_("a mapping"), set: N_("a set"), frozenset: N_("a set")}


def too_big(kind: type, size: float) -> BudgetExceeded:
    args = {"kind": _KINDS.get(kind, N_("a value")), "size": size, "limit": limits.PLACEHOLDER_VALUE_CHARS}
    # Translators: {kind} is "a text", "a list", "a mapping"...
    if kind in (str, bytes):
        return BudgetExceeded(N_("placeholder would make {kind} of {size:,.0f} characters; the limit is {limit:,}",
                                 **args))
    return BudgetExceeded(N_("placeholder would make {kind} of {size:,.0f} items; the limit is {limit:,}", **args))


def int_too_big() -> BudgetExceeded:
    return BudgetExceeded(N_("placeholder would make an integer of more than {limit:,} bits",
                             limit=limits.PLACEHOLDER_INT_BITS))
