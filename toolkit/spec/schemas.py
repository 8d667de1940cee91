"""The JSON Schemas in ``schemas/``, and the per-template body schema the builder combines.

jsonschema is imported here only, so that linting (which does not need it) starts fast.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .._paths import data_root
from ..errors import CatalogueError, UsageError
from ..i18n import N_

if TYPE_CHECKING:
    import jsonschema

    from .catalogue import Catalogue

__all__ = ["all_schemas", "load_schema", "template_body_schema", "validator_for"]



@lru_cache(maxsize=1)
def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file under ``schemas/`` by its path relative to that folder."""
    root = data_root() / "schemas"
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(root.rglob("*.schema.json")):
        try:
            found[path.relative_to(root).as_posix()] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise CatalogueError(N_("schema file cannot be read: {reason}", reason=str(exc)), path=str(path)) from None
    return found


def load_schema(name: str) -> dict[str, Any]:
    try:
        return all_schemas()[name]
    except KeyError:
        raise CatalogueError(N_("no schema named {name}", name=name), path=str(data_root() / "schemas")) from None


@lru_cache(maxsize=32)
def validator_for(name: str) -> jsonschema.protocols.Validator:
    """A Draft 2020-12 validator for ``schemas/<name>``, resolving ``$ref`` between our files.

    Each schema's ``$id`` is its own file name, a relative reference (no made-up web address), so
    ``$ref`` between the files resolves by their relative paths, here as in editors that open a
    copy of the folder.
    """
    import jsonschema
    from referencing import Registry, Resource

    resources = []
    for rel, schema in all_schemas().items():
        resource = Resource.from_contents(schema)
        resources.append((rel, resource))
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = load_schema(name)
    validator: jsonschema.protocols.Validator = jsonschema.Draft202012Validator(schema, registry=registry)
    return validator


def _value_schema(language: str, kind: str, max_length: int) -> dict[str, Any]:
    values = all_schemas().get(f"values/{language}.schema.json", {}).get("$defs", {})
    schema: dict[str, Any] = {"type": "string", "maxLength": max_length}
    kind_schema = values.get(kind)
    if isinstance(kind_schema, dict):
        for key in ("pattern", "description", "examples"):
            if key in kind_schema:
                schema[key] = copy.deepcopy(kind_schema[key])
    return schema


def template_body_schema(catalogue: Catalogue, template_key: str) -> dict[str, Any]:
    """The JSON Schema of one template's request body: its keys as enums, values by their kind.

    Value patterns come from ``schemas/values/<language>.schema.json``; the API itself accepts any
    string, so lint reports a pattern miss as a warning (rule ``value-kind-mismatch``).
    Lengths are checked by ``maxLength`` in code points; lint counts UTF-16 units as LINE does.
    """
    template = catalogue.templates.get(template_key)
    if template is None:
        hint = catalogue.suggest(template_key, "template")
        raise UsageError(N_("unknown template {key!r}; did you mean {hint!r}?", key=template_key, hint=hint) if hint
                         else N_("unknown template {key!r}", key=template_key))
    items = [k for k in template.items if k in catalogue.items]

    def item_variant(key: str, max_length: int) -> dict[str, Any]:
        item = catalogue.items[key]
        return {
            "type": "object",
            "title": f"{item.label} ({item.label_en})",
            "required": ["itemKey", "content"],
            "additionalProperties": False,
            "properties": {
                "itemKey": {"const": key},
                "content": _value_schema(template.language, item.value_kind, max_length),
            },
        }

    base = load_schema("pnp-templated-request.schema.json")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{template_key}.schema.json",
        "title": f"{template.title} ({template.title_en}): request body for {template_key}",
        "description": template.description_en,
        "type": "object",
        "required": ["to", "templateKey"],
        "additionalProperties": False,
        "properties": {
            "to": copy.deepcopy(base["properties"]["to"]),
            "templateKey": {"const": template_key},
            "customAggregationUnits": copy.deepcopy(base["properties"]["customAggregationUnits"]),
            "body": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "emphasizedItem": {"oneOf": [item_variant(k, 15) for k in template.emphasizable
                                                 if k in catalogue.items]},
                    "items": {
                        "type": "array",
                        "maxItems": 15,
                        "items": {"oneOf": [item_variant(k, 300) for k in items]},
                    },
                    "buttons": {
                        "type": "array",
                        "maxItems": 2,
                        "items": {
                            "type": "object",
                            "required": ["buttonKey", "url"],
                            "additionalProperties": False,
                            "properties": {
                                "buttonKey": {"enum": [k for k in template.buttons if k in catalogue.buttons]},
                                "url": {"type": "string", "maxLength": 1000, "format": "uri"},
                            },
                        },
                    },
                },
            },
        },
    }
