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

__all__ = ["items_over", "text_size"]


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
