"""The lint engine and everything around it.

- :mod:`.engine`: find message files, run the rule table (``toolkit.rules``) over each, locate findings;
- :mod:`.config`: ``[tool.lnm]`` / ``lnm.toml``; :mod:`.baseline`: findings accepted for now;
- :mod:`.run`: what ``lnm lint`` does apart from option parsing;
- :mod:`.report` and :mod:`.sarif`: the output formats; :mod:`.ruledocs`: ``docs/rules.md``.

The engine's public names load lazily, so importing :mod:`.config` alone stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import (
        FileResult,
        LintReport,
        LintSettings,
        discover,
        lint_message,
        lint_paths,
        lint_source,
    )

__all__ = ["FileResult", "LintReport", "LintSettings", "discover", "lint_message", "lint_paths", "lint_source"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'toolkit.lint' has no attribute {name!r}")
    value = getattr(import_module(".engine", __name__), name)
    globals()[name] = value
    return value
