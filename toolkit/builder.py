"""Compose request bodies from catalogue entries, and build them from specs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import UsageError
from .findings import Finding
from .i18n import N_
from .rules import RuleTable
from .spec.catalogue import Catalogue
from .spec.message import Message, Shape, document_shape, messages_from_document, render_spec
from .spec.phone import hash_phone

__all__ = ["BuiltRequest", "build", "compose_template"]

ENDPOINTS = {
    "template": "POST https://api.line.me/v2/bot/message/pnp/templated/push",
    "flexible": "POST https://api.line.me/bot/pnp/push",
}


@dataclass
class BuiltRequest:
    """An API request ready to send: endpoint, headers (besides auth) and body."""

    kind: str
    body: dict[str, Any]
    delivery_tag: str | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def endpoint(self) -> str:
        return ENDPOINTS[self.kind]

    @property
    def headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json"}
        if self.delivery_tag:
            headers["X-Line-Delivery-Tag"] = self.delivery_tag
        return headers

    def to_json(self) -> str:
        return json.dumps(self.body, ensure_ascii=False, indent=2) + "\n"


def compose_template(catalogue: Catalogue, template_key: str, *,
                     emphasized: tuple[str, str] | None = None,
                     items: Iterable[tuple[str, str]] = (),
                     buttons: Iterable[tuple[str, str]] = (),
                     to: str | None = None,
                     aggregation_unit: str | None = None) -> dict[str, Any]:
    """A template request body from catalogue keys and values, in LINE's field order.

    Raises :class:`UsageError` for a key the catalogue does not have; lint the result for the rest.
    """
    if template_key not in catalogue.templates:
        hint = catalogue.suggest(template_key, "template")
        raise UsageError(N_("unknown template {key!r}; did you mean {hint!r}?", key=template_key, hint=hint) if hint
                         else N_("unknown template {key!r}", key=template_key))
    items = list(items)
    for key in [k for k, _ in ([emphasized] if emphasized else []) + items]:
        if key not in catalogue.items:
            raise UsageError(N_("unknown item {key!r}", key=key))
    buttons = list(buttons)
    for key, _ in buttons:
        if key not in catalogue.buttons:
            raise UsageError(N_("unknown button {key!r}", key=key))
    body: dict[str, Any] = {}
    if to is not None:
        body["to"] = to
    body["templateKey"] = template_key
    inner: dict[str, Any] = {}
    if emphasized:
        inner["emphasizedItem"] = {"itemKey": emphasized[0], "content": emphasized[1]}
    if items:
        inner["items"] = [{"itemKey": k, "content": v} for k, v in items]
    if buttons:
        inner["buttons"] = [{"buttonKey": k, "url": u} for k, u in buttons]
    if inner:
        body["body"] = inner
    if aggregation_unit:
        body["customAggregationUnits"] = [aggregation_unit]
    return body


def _ordered(body: Mapping[str, Any]) -> dict[str, Any]:
    order = ("to", "templateKey", "body", "messages", "notificationDisabled", "customAggregationUnits")
    return {k: body[k] for k in order if k in body} | {k: v for k, v in body.items() if k not in order}


def build(document: Mapping[str, Any], catalogue: Catalogue, table: RuleTable, *, path: str = "<spec>",
          sample: str | None = None, phone: str | None = None, region: str | None = None,
          to: str | None = None, allow_invalid: bool = False,
          default_language: str | None = None) -> BuiltRequest:
    """The exact API request for a spec (one sample) or a raw body, with its API-check findings.

    ``phone`` is normalised to E.164 and hashed; it is never stored or echoed. ``allow_invalid``
    lets through a number libphonenumber calls unassigned (see :mod:`toolkit.spec.phone`).
    ``default_language`` (BCP 47, from the configuration) applies to a flexible spec naming none.
    """
    from .lint.engine import LintSettings, lint_message

    if document_shape(document) == Shape.SPEC:
        msg: Message = render_spec(document, catalogue, sample, default_language=default_language)[0]
    else:
        if sample is not None:
            raise UsageError(N_("--sample applies to specs only; this file is an API body"))
        msg = messages_from_document(document, catalogue, path=path, default_language=default_language)[0]
    if phone is not None:
        msg.body["to"] = hash_phone(phone, region, allow_invalid=allow_invalid)
    elif to is not None:
        msg.body["to"] = to
    msg.body = _ordered(msg.body)
    msg.is_spec = "to" not in msg.body and msg.is_spec
    api_only = LintSettings(select=frozenset(r.code for r in table.rules() if r.group == "api"))
    findings = lint_message(msg, table, api_only, path)
    return BuiltRequest(msg.kind, msg.body, msg.delivery_tag, findings)
