"""Which rules a file gets and how loud each is: worked out once per batch, not per file or message.

The engine asks for these on every file and message of a batch; settings and rule tables do not
change during a batch, so each answer is kept, keyed by the identity of what it was worked out from.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ..findings import Severity
from ..rules import Rule, RuleTable

if TYPE_CHECKING:
    from .engine import LintSettings

__all__ = ["doc_url", "file_rules", "plan"]

_Plan = tuple[tuple[Rule, Severity], ...]
#: (rules, kind) -> (rules, settings, the plan, the rules of it that count), by identity.
_plans: dict[tuple[int, str], tuple[tuple[Rule, ...], LintSettings, _Plan, _Plan]] = {}


def plan(rules: tuple[Rule, ...], kind: str, settings: LintSettings) -> tuple[_Plan, _Plan]:
    """The rules of ``rules`` that apply to messages of ``kind``, each with its configured severity;
    and those of them that can count their hits without making them (``Rule.count``)."""
    key = (id(rules), kind)
    found = _plans.get(key)
    if found is None or found[0] is not rules or found[1] is not settings:
        if len(_plans) >= 64:
            _plans.clear()
        planned = tuple((rule, settings.severity.get(rule.code, rule.severity))
                        for rule in rules if kind in rule.applies_to)
        counting = tuple((rule, severity) for rule, severity in planned if rule.once_per_run and rule.count is not None)
        found = _plans[key] = (rules, settings, planned, counting)
    return found[2], found[3]


_last_rules: tuple[LintSettings | None, RuleTable | None, tuple[Rule, ...]] = (None, None, ())


def file_rules(settings: LintSettings, table: RuleTable, path: str) -> tuple[Rule, ...]:
    """:meth:`LintSettings.active_rules` for one file: the same for every file of a batch when no
    per-file ignores are configured, so then worked out once."""
    global _last_rules
    if settings.per_file_ignores:
        return settings.active_rules(table, path)
    last = _last_rules  # read once: another thread may replace it meanwhile
    if last[0] is not settings or last[1] is not table:
        last = _last_rules = (settings, table, settings.active_rules(table))
    return last[2]


@lru_cache(maxsize=256)
def doc_url(rule: Rule, base: str | None) -> str:
    return rule.doc_url_at(base)
