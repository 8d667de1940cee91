"""lnm: author, lint and preview LINE notification messages.

The public surface is re-exported here; everything else is internal. The names load lazily (module
``__getattr__``): ``import toolkit`` costs almost nothing, and ``lnm lint`` never pays for the
builder, Jinja2 or the previews it does not use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .builder import BuiltRequest, build, compose_template, new_spec
    from .catalogue import Button, Catalogue, Item, Template, load_catalogue
    from .errors import (
        CatalogueError,
        InputError,
        LnmError,
        PlaceholderError,
        RenderError,
        UsageError,
    )
    from .findings import Finding, Severity, utf16_length
    from .lint import LintReport, LintSettings, lint_paths
    from .phone import hash_phone, normalize_phone
    from .placeholders import render_string
    from .render import PreviewRun, build_html, render_previews
    from .rules import Rule, RuleTable, default_table
    from .schemas import template_body_schema

#: Where each public name lives (the module is imported when the name is first read).
_HOME = {
    "BuiltRequest": "builder", "build": "builder", "compose_template": "builder", "new_spec": "builder",
    "Button": "catalogue", "Catalogue": "catalogue", "Item": "catalogue", "Template": "catalogue",
    "load_catalogue": "catalogue",
    "CatalogueError": "errors", "InputError": "errors", "LnmError": "errors", "PlaceholderError": "errors",
    "RenderError": "errors", "UsageError": "errors",
    "Finding": "findings", "Severity": "findings", "utf16_length": "findings",
    "LintReport": "lint", "LintSettings": "lint", "lint_paths": "lint",
    "hash_phone": "phone", "normalize_phone": "phone",
    "render_string": "placeholders",
    "PreviewRun": "render", "build_html": "render", "render_previews": "render",
    "Rule": "rules", "RuleTable": "rules", "default_table": "rules",
    "template_body_schema": "schemas",
}

__all__ = [
    "BuiltRequest",
    "Button",
    "Catalogue",
    "CatalogueError",
    "Finding",
    "InputError",
    "Item",
    "LintReport",
    "LintSettings",
    "LnmError",
    "PlaceholderError",
    "PreviewRun",
    "RenderError",
    "Rule",
    "RuleTable",
    "Severity",
    "Template",
    "UsageError",
    "build",
    "build_html",
    "compose_template",
    "default_table",
    "hash_phone",
    "lint_paths",
    "load_catalogue",
    "new_spec",
    "normalize_phone",
    "render_previews",
    "render_string",
    "template_body_schema",
    "utf16_length",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'toolkit' has no attribute {name!r}")
    value = getattr(import_module(f".{home}", __name__), name)
    globals()[name] = value  # the next read is a plain module attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
