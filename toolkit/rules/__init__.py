"""The rules: API checks (``api``) and guideline rules, gathered into one table.

This registry sits above the rule modules: they import :mod:`toolkit.rules._base`, never this
package's namespace, so imports run one way.
"""

from __future__ import annotations

from ._base import DOCS_URL, Check, Hit, Rule, RuleSet, RuleTable

__all__ = ["DOCS_URL", "Check", "Hit", "Rule", "RuleSet", "RuleTable", "default_table"]


def default_table() -> RuleTable:
    """The shipped rules: the API checks and the guideline rules."""
    from . import (
        api,
        api_flex,
        api_messages,
        api_template,
        contrast,
        flex,
        guidelines,
        privacy,
        text,
        urls,
    )

    return RuleTable((*api.RULES, *api_template.RULES, *api_flex.RULES, *api_messages.RULES, *guidelines.RULES, *text.RULES, *urls.RULES, *privacy.RULES,
                      *flex.RULES, *contrast.RULES))
