"""lnm: author, lint and preview LINE notification messages.

The public surface is re-exported here; everything else is internal.
"""

from __future__ import annotations

from .builder import BuiltRequest, build, compose_template, new_spec
from .catalogue import Button, Catalogue, Item, Template, load_catalogue
from .errors import CatalogueError, InputError, LnmError, PlaceholderError, RenderError, UsageError
from .findings import Finding, Severity, utf16_length
from .lint import LintReport, LintSettings, lint_paths
from .phone import hash_phone, normalize_phone
from .placeholders import render_string
from .render import PreviewRun, build_html, render_previews
from .rules import Rule, RuleTable, default_table
from .schemas import template_body_schema

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
