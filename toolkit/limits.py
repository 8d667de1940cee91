"""Budgets that keep hostile input from hanging a run or exhausting memory, in one place.

docs/security.md explains each. The placeholder budgets can be changed per run through environment
variables (``LNM_PLACEHOLDER_SECONDS`` and ``LNM_PLACEHOLDER_OUTPUT``) for a team whose specs need
more; everything else is fixed because LINE's own limits are far below it.
"""

from __future__ import annotations

import os
import time

__all__ = [
    "FINDINGS_PER_FILE",
    "IMAGE_MAX_BYTES",
    "IMAGE_MAX_PIXELS",
    "JSON_MAX_INT_DIGITS",
    "PREVIEW_MAX_HEIGHT",
    "PREVIEW_MAX_WIDTH",
    "PLACEHOLDER_DECIMALS",
    "PLACEHOLDER_FILE_SECONDS",
    "PLACEHOLDER_FORMAT_CHARS",
    "PLACEHOLDER_INT_BITS",
    "PLACEHOLDER_KILL_GRACE",
    "PLACEHOLDER_JSON_INDENT",
    "PLACEHOLDER_NESTING",
    "PLACEHOLDER_NUMBER_DIGITS",
    "PLACEHOLDER_OUTPUT_CHARS",
    "PLACEHOLDER_RANGE",
    "PLACEHOLDER_SIZE_ARGUMENT",
    "PLACEHOLDER_SOURCE_CHARS",
    "PLACEHOLDER_STEPS",
    "PLACEHOLDER_VALUE_CHARS",
    "PLACEHOLDER_WORKER_BYTES",
    "RULE_TEXT_CHARS",
    "RenderBudget",
    "VALUE_KIND_CHARS",
]


def _env_number(name: str, default: float) -> float:
    raw = os.environ.get(name, "")
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 else default


# --- JSON --------------------------------------------------------------------------------------------

#: Integers with more digits are refused: no field of LINE's API takes one (a 64-bit integer has 19
#: digits), and Python cannot even read one of more than 4,300 digits as a number.
JSON_MAX_INT_DIGITS = 64

# --- findings ---------------------------------------------------------------------------------------

#: Findings reported for one file; the rest are counted in one more finding. A file of a hundred
#: thousand near-miss keys then costs a report of a thousand lines, not a hundred thousand.
FINDINGS_PER_FILE = 1_000

# --- previews ------------------------------------------------------------------------------------------

#: CSS pixels of a chat screen a preview shows at most; a taller page is cut there and its sidecar
#: says so (``cut``). A real notification, even a carousel of twelve bubbles wrapped onto lines,
#: is a few thousand pixels tall; Chromium cannot capture an image much taller than this at scale 2.
PREVIEW_MAX_HEIGHT = 12_000
#: CSS pixels of width likewise (the phone is 320-414 wide; only a broken layout is wider).
PREVIEW_MAX_WIDTH = 2_000

# --- images read from disk (baselines, earlier previews) -----------------------------------------------

#: Pixels of a PNG read back from disk, checked in its header before it is decoded (4 bytes a pixel:
#: 200 MB). A phone screenshot at device scale 3 has about 4 million; the tallest preview lnm makes
#: (``PREVIEW_MAX_HEIGHT`` at the widest phone, scale 2) about 33 million.
IMAGE_MAX_PIXELS = 50_000_000
#: Bytes of such a PNG.
IMAGE_MAX_BYTES = 64 * 1024 * 1024

# --- text the rules read -----------------------------------------------------------------------------

#: A rule that scans text reads at most this many characters of each value: the first and the last
#: half. LINE's longest text field (a text message) takes 5,000 characters, so anything longer is
#: already an error of the API checks, which measure the whole value.
RULE_TEXT_CHARS = 10_000
#: Item values longer than this are not matched against their kind's pattern (dates, prices...): the
#: API takes at most 300 characters in an item, and A014 reports a longer one.
VALUE_KIND_CHARS = 300

# --- placeholders (Jinja2 in spec values) -------------------------------------------------------------

#: Characters one placeholder value may render to (all output, also inside {% set %} blocks and macros).
PLACEHOLDER_OUTPUT_CHARS = int(_env_number("LNM_PLACEHOLDER_OUTPUT", 100_000))
#: Length of any string, list or mapping a placeholder computes along the way.
PLACEHOLDER_VALUE_CHARS = PLACEHOLDER_OUTPUT_CHARS
#: Loop iterations, calls, filters and operators one value may take.
PLACEHOLDER_STEPS = 100_000
#: Items ``range()`` may give.
PLACEHOLDER_RANGE = 10_000
#: Largest width, count or precision argument (``center(n)``, ``indent(n)``, ``"%*d"``, ``round(x, n)``).
PLACEHOLDER_SIZE_ARGUMENT = 10_000
#: Bits of the largest integer a placeholder may compute (about 300 digits).
PLACEHOLDER_INT_BITS = 1_000
#: Decimal places ``number(decimals)`` may ask for.
PLACEHOLDER_DECIMALS = 20
#: Digits before the decimal point (or zeros after it) of a number ``number`` and ``money`` format.
PLACEHOLDER_NUMBER_DIGITS = 30
#: Largest ``indent`` of ``tojson``.
PLACEHOLDER_JSON_INDENT = 8
#: Levels of nesting of a placeholder's syntax (blocks inside blocks, operators inside operators).
PLACEHOLDER_NESTING = 32
#: Characters of a value that holds placeholders (it is compiled to Python before it runs).
PLACEHOLDER_SOURCE_CHARS = 20_000
#: Characters of a date, time or number format given to a filter.
PLACEHOLDER_FORMAT_CHARS = 64
#: CPU time all placeholders of one file may take together, in seconds: the backstop for work the
#: budgets above do not count. A value that runs out of it is reported, and the rest left unfilled.
#: CPU time rather than wall time: a template does no I/O, and a busy CI machine must not turn a
#: good spec red.
PLACEHOLDER_FILE_SECONDS = _env_number("LNM_PLACEHOLDER_SECONDS", 2.0)
#: CPU time past a file's budget after which the operating system ends the worker process that
#: renders its placeholders (toolkit/spec/_worker.py): the sandbox stops a template between steps at
#: the budget itself; this ends a single step, in Python or in C, that runs on past it.
PLACEHOLDER_KILL_GRACE = 0.25
#: Address space of that worker process (RLIMIT_AS): a template that needs more gets a MemoryError.
PLACEHOLDER_WORKER_BYTES = 512 * 1024 * 1024


class RenderBudget:
    """The CPU-time budget shared by every placeholder value of one file (all its samples)."""

    def __init__(self, seconds: float | None = None) -> None:
        self.seconds = PLACEHOLDER_FILE_SECONDS if seconds is None else seconds
        self.deadline = time.process_time() + self.seconds
        #: Set once a value ran out of time: the file's other values are then left unfilled.
        self.exhausted = False

    def out_of_time(self) -> bool:
        return time.process_time() > self.deadline
