"""lnm: author, lint and preview LINE notification messages.

The public surface is re-exported here; everything else is internal. The names load lazily (module
``__getattr__``): ``import toolkit`` costs almost nothing, and ``lnm lint`` never pays for the
builder, Jinja2 or the previews it does not use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .builder import BuiltRequest, build, compose_template
    from .errors import (
        CatalogueError,
        InputError,
        LnmError,
        PlaceholderError,
        RenderError,
        UsageError,
    )
    from .findings import Finding, Severity, utf16_length
    from .lint.engine import LintReport, LintSettings, lint_paths
    from .render import PreviewRun, build_html, render_previews
    from .rules import Rule, RuleTable, default_table
    from .scaffold.starter import new_spec
    from .spec.catalogue import Button, Catalogue, Item, Template, load_catalogue
    from .spec.phone import hash_phone, normalize_phone
    from .spec.placeholders import render_string
    from .spec.schemas import template_body_schema

#: Where each public name lives (the module is imported when the name is first read).
_HOME = {
    "BuiltRequest": "builder", "build": "builder", "compose_template": "builder", "new_spec": "scaffold.starter",
    "Button": "spec.catalogue", "Catalogue": "spec.catalogue", "Item": "spec.catalogue", "Template": "spec.catalogue",
    "load_catalogue": "spec.catalogue",
    "CatalogueError": "errors", "InputError": "errors", "LnmError": "errors", "PlaceholderError": "errors",
    "RenderError": "errors", "UsageError": "errors",
    "Finding": "findings", "Severity": "findings", "utf16_length": "findings",
    "LintReport": "lint.engine", "LintSettings": "lint.engine", "lint_paths": "lint.engine",
    "hash_phone": "spec.phone", "normalize_phone": "spec.phone",
    "render_string": "spec.placeholders",
    "PreviewRun": "render", "build_html": "render", "render_previews": "render",
    "Rule": "rules", "RuleTable": "rules", "default_table": "rules",
    "template_body_schema": "spec.schemas",
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
