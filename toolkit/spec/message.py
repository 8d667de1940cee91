"""Tell message specs from raw API bodies, and turn a spec into request bodies, one per sample."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .. import limits
from ..errors import InputError, closest_hint
from ..findings import line_property
from ..i18n import N_
from .catalogue import Catalogue, Template
from .placeholders import RenderBudget, fill

__all__ = ["LANGUAGES", "Message", "Shape", "document_shape", "message_language",
           "messages_from_document", "render_spec"]

Path = tuple[str | int, ...]

#: Spec fields that go into the API request body, in the order they appear there.
SENT_FIELDS = ("to", "templateKey", "body", "messages", "notificationDisabled", "customAggregationUnits")


class Shape:
    SPEC = "spec"
    TEMPLATE_BODY = "template-body"
    FLEXIBLE_BODY = "flexible-body"


def document_shape(data: Mapping[str, Any]) -> str | None:
    """``spec``, ``template-body``, ``flexible-body``, or None when it is no message at all."""
    if "kind" in data:
        return Shape.SPEC
    if "templateKey" in data or isinstance(data.get("body"), dict):
        return Shape.TEMPLATE_BODY
    if "messages" in data:
        return Shape.FLEXIBLE_BODY
    return None


@dataclass
class Message:
    """One request body under check, with what the rules need to know about it."""

    kind: str
    body: dict[str, Any]
    catalogue: Catalogue
    is_spec: bool = False
    sample: str | None = None
    spec: dict[str, Any] | None = None
    delivery_tag: str | None = None
    language: str | None = None
    #: True when ``language`` was given (the spec's ``language``, or the configuration's default)
    #: rather than assumed: the language rules then read the text in it instead of guessing.
    language_given: bool = False
    options: Mapping[str, Any] = field(default_factory=dict)
    #: Placeholder failures found while filling this sample: (path, message).
    placeholder_errors: list[tuple[Path, str]] = field(default_factory=list)
    #: Problems with the spec's own fields (not sent to LINE): (path, message).
    spec_errors: list[tuple[Path, str]] = field(default_factory=list)
    #: Set on the message of text no sample shows (:func:`toolkit.spec.branches.branch_message`):
    #: the paths of the values whose literal text, in branches no sample takes, the rules read.
    branch_paths: frozenset[Path] | None = None
    #: The file the spec was read from, when it was read from one (relative links start there).
    source_path: str | None = None

    #: (templateKey, its template): the look-up of :attr:`template`, which every template rule asks for.
    _template: tuple[object, Template | None] = field(default=(None, None), init=False, repr=False, compare=False)

    @property
    def template(self) -> Template | None:
        key = self.body.get("templateKey")
        if self._template[0] is key and key is not None:
            return self._template[1]
        found = self.catalogue.templates.get(key) if isinstance(key, str) else None
        self._template = (key, found)
        return found

    @property
    def country(self) -> str | None:
        template = self.template
        return template.country if template else None


def _find_in_sample(data: Any, wanted: object, base: Path) -> Path | None:
    """The path of ``wanted`` inside a sample: the very object a filter was given, else an equal value."""
    equal: Path | None = None
    stack: list[tuple[Path, Any]] = [(base, data)]
    while stack:
        here, node = stack.pop()
        if node is wanted and not isinstance(node, (dict, list)):
            return here
        if equal is None and type(node) is type(wanted) and node == wanted:
            equal = here
        if isinstance(node, dict):
            stack.extend(((*here, k), v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend(((*here, i), v) for i, v in reversed(list(enumerate(node))))
    return equal


#: A value with placeholders in a copied tree: (its container, its key there, its path, its text).
_Slot = tuple[Any, "str | int", Path, str]


def _copy_into(container: Any, key: str | int, value: Any, path: Path, slots: list[_Slot]) -> None:
    """Put a copy of ``value`` at ``container[key]`` (lists and objects copied, text kept), noting in
    document order where values with placeholders are. Recursive, like the JSON it copies (whose
    nesting the reader bounds)."""
    copy: Any
    if isinstance(value, dict):
        items: Any = value.items()
        copy = container[key] = {}
    elif isinstance(value, list):
        items = enumerate(value)
        copy = container[key] = [None] * len(value)
    else:
        container[key] = value
        if isinstance(value, str) and ("{{" in value or "{%" in value):
            slots.append((container, key, path, value))
        return
    for k, v in items:
        if isinstance(v, (dict, list)):
            _copy_into(copy, k, v, (*path, k), slots)
        else:
            copy[k] = v
            if isinstance(v, str) and ("{{" in v or "{%" in v):  # has_placeholder, inlined: every value passes
                slots.append((copy, k, (*path, k), v))


#: The languages lnm formats and checks text in (Babel locales in toolkit/spec/placeholders.py).
LANGUAGES = ("ja", "th", "zh-Hant", "zh-Hans", "en")


def message_language(tag: str) -> str | None:
    """lnm's language for a BCP 47 tag (``ja-JP`` -> ``ja``, ``zh-TW`` -> ``zh-Hant``), None if it has none."""
    parts = [p for p in tag.replace("_", "-").split("-") if p]
    if not parts:
        return None
    primary = parts[0].lower()
    if primary in ("ja", "th", "en"):
        return primary
    if primary != "zh":
        return None
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    if script in ("Hant", "Hans"):
        return f"zh-{script}"
    region = next((p.upper() for p in parts[1:] if len(p) == 2), None)
    return "zh-Hant" if region in ("TW", "HK", "MO") else "zh-Hans"


def _spec_language(spec: Mapping[str, Any], catalogue: Catalogue, default: str | None) -> str:
    """A template's language; else the spec's ``language``; else ``default`` (configuration); else en."""
    key = spec.get("templateKey")
    if isinstance(key, str) and key in catalogue.templates:
        return catalogue.templates[key].language
    language = spec.get("language")
    if isinstance(language, str):
        return message_language(language) or "en"
    return (message_language(default) if default else None) or "en"


def _check_spec_fields(spec: Mapping[str, Any]) -> list[tuple[Path, str]]:
    """The spec's own fields (samples, suppressions, kind) in the shape the format asks for."""
    problems: list[tuple[Path, str]] = _unknown_key_problems(spec)
    kind = spec.get("kind")
    if kind not in ("template", "flexible"):
        problems.append((("kind",), N_("kind must be \"template\" or \"flexible\", not {kind!r}", kind=kind)))
    elif kind == "template" and "messages" in spec:
        problems.append((("messages",), N_("a template spec has no messages; use body")))
    elif kind == "flexible" and ("templateKey" in spec or "body" in spec):
        problems.append((("templateKey" if "templateKey" in spec else "body",),
                         N_("a flexible spec has no templateKey or body; use messages")))
    language = spec.get("language")
    if "language" in spec and (not isinstance(language, str) or message_language(language) is None):
        problems.append((("language",), N_("language {language!r} is not one lnm formats and checks: a BCP 47 tag "
                                            "for {languages} (ja-JP, zh-TW... are fine)", language=language,
                                            languages=", ".join(LANGUAGES))))
    samples = spec.get("samples", {})
    if not isinstance(samples, dict):
        problems.append((("samples",), N_("samples must be an object of named sample data sets")))
    else:
        for name, data in samples.items():
            if not isinstance(data, dict):
                problems.append((("samples", name), N_("sample {name!r} must be an object", name=name)))
    suppress = spec.get("suppress", [])
    if not isinstance(suppress, list):
        problems.append((("suppress",), N_("suppress must be a list of {rule, reason}")))
    else:
        for index, entry in enumerate(suppress):
            reason = entry.get("reason") if isinstance(entry, dict) else None
            if not isinstance(entry, dict) or not isinstance(entry.get("rule"), str):
                problems.append((("suppress", index), N_("each suppression needs a rule code or name")))
            elif not isinstance(reason, str) or len(reason.strip()) < 10:
                problems.append((("suppress", index, "reason"),
                                 N_("suppressing {rule} needs a written reason (10 characters or more)",
                                    rule=entry["rule"])))
    return problems


@lru_cache(maxsize=1)
def _spec_schema() -> dict[str, Any]:
    from .catalogue import data_root

    path = data_root() / "schemas" / "message-spec.schema.json"
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def _resolve_ref(schema: Any, root: dict[str, Any]) -> Any:
    for _ in range(8):  # local references only, as the spec schema uses
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return schema
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        schema = target
    return schema


_JSON_TYPES: dict[str, tuple[type, ...]] = {"string": (str,), "boolean": (bool,), "object": (dict,),
                                             "array": (list,)}


def wrong_types(value: Any) -> Iterator[tuple[Path, str]]:
    """``(path, expected type)`` for the spec's own fields (not sent to LINE) of the wrong JSON type.

    The fields and their types come from the spec schema, like :func:`unknown_keys`; the sent
    fields (body, messages, to...) are the API checks' to report.
    """
    root = _spec_schema()
    if not isinstance(value, dict):
        return
    stack: list[tuple[Any, Any, Path]] = [(v, root.get("properties", {}).get(k), (k,))
                                          for k, v in value.items() if k not in SENT_FIELDS]
    while stack:
        current, node, where = stack.pop()
        node = _resolve_ref(node, root)
        if not isinstance(node, dict):
            continue
        expected = _JSON_TYPES.get(str(node.get("type")))
        if expected and (not isinstance(current, expected) or (expected == (str,) and isinstance(current, bool))):
            yield where, str(node["type"])
            continue
        if isinstance(current, dict):
            props = node.get("properties", {})
            stack.extend((item, props.get(key), (*where, key)) for key, item in current.items())


def unknown_keys(value: Any, schema: Any = None, path: Path = ()) -> Iterator[tuple[Path, list[str]]]:
    """``(path of the unknown key, known keys there)`` for every key the spec schema does not know.

    The known keys come from ``schemas/message-spec.schema.json`` (``properties`` where
    ``additionalProperties`` is false), so a key added to the schema is known here at once.
    Iterative, so a deep document cannot exhaust the stack.
    """
    root = _spec_schema()
    stack: list[tuple[Any, Any, Path]] = [(value, root if schema is None else schema, path)]
    while stack:
        current, node, where = stack.pop()
        node = _resolve_ref(node, root)
        if not isinstance(node, dict):
            continue
        if isinstance(current, dict):
            props = node.get("properties", {})
            extra = node.get("additionalProperties", True)
            for key, item in current.items():
                if key in props:
                    stack.append((item, props[key], (*where, key)))
                elif extra is False:
                    yield (*where, key), sorted(props)
                elif isinstance(extra, dict):
                    stack.append((item, extra, (*where, key)))
        elif isinstance(current, list) and isinstance(node.get("items"), dict):
            stack.extend((item, node["items"], (*where, index)) for index, item in enumerate(current))


_TYPE_NAMES = {"string": N_("a string"), "boolean": N_("a boolean"), "object": N_("an object"),
               "array": N_("an array")}


def _unknown_key_problems(spec: Mapping[str, Any]) -> list[tuple[Path, str]]:
    problems: list[tuple[Path, str]] = []
    # The sent fields' own shape is the API checks' (A001) to report: not walked here at all.
    for where, known in unknown_keys({k: v for k, v in spec.items() if k not in SENT_FIELDS}):
        if len(where) > 1 and where[0] in SENT_FIELDS:
            continue  # the request body's own shape is the API checks' (A001) to report
        key = str(where[-1])
        parent = "/".join(str(p) for p in where[:-1])
        # Past the findings a file reports, a hint would be computed only to be left out.
        hint = closest_hint(key, known) if len(problems) < limits.FINDINGS_PER_FILE else ""
        args = {"key": key, "parent": parent, "hint": hint, "known": ", ".join(known)}
        # Translators: {hint} is empty or " (did you mean 'samples'?)"; {known} lists the keys allowed there.
        problems.append((where, N_("unknown key {key!r} in {parent}{hint}; known: {known}", **args) if parent
                         else N_("unknown key {key!r}{hint}; known: {known}", **args)))
    for where, expected in wrong_types(dict(spec)):
        if where[0] in ("samples", "suppress", "kind"):
            continue  # checked below with their own messages
        name = "/".join(str(p) for p in where)
        problems.append((where, N_("{name} must be {type}", name=name, type=_TYPE_NAMES.get(expected, expected))))
    return sorted(problems, key=lambda p: [str(x) for x in p[0]])


def render_spec(spec: Mapping[str, Any], catalogue: Catalogue, sample: str | None = None,
                *, all_samples: bool = False, default_language: str | None = None) -> list[Message]:
    """The request body a spec gives for one sample (or every sample with ``all_samples``).

    ``default_language`` (a BCP 47 tag, from the configuration) is the language of a flexible
    spec that names none.
    """
    samples = spec.get("samples") if isinstance(spec.get("samples"), dict) else {}
    assert isinstance(samples, dict)
    if sample is not None:
        if sample not in samples:
            raise InputError(N_("no sample named {sample!r} in this spec (samples: {known})", sample=sample,
                                known=", ".join(sorted(samples)) or N_("none")))
        names: list[str | None] = [sample]
    elif all_samples and samples:
        names = list(samples)
    else:
        names = ["default" if "default" in samples else (next(iter(samples)) if samples else None)]
    language = _spec_language(spec, catalogue, default_language)
    declared = spec.get("language") if "language" in spec else default_language
    given = isinstance(declared, str) and message_language(declared) is not None
    spec_errors = _check_spec_fields(spec)
    budget = RenderBudget()  # one CPU-time budget for every value of every sample
    datas: list[dict[str, Any]] = []
    bodies: list[tuple[str | None, dict[str, Any], dict[str, Any]]] = []
    slots: list[tuple[int, _Slot]] = []
    for name in names:
        data = samples.get(name, {}) if name is not None else {}
        datas.append(data if isinstance(data, dict) else {})
        found: list[_Slot] = []
        body: dict[str, Any] = {}
        for key in SENT_FIELDS:
            if key in spec:
                _copy_into(body, key, spec[key], (key,), found)
        extra: dict[str, Any] = {}
        tag = spec.get("deliveryTag")
        if isinstance(tag, str):  # a wrong type is reported by A091 (_schema_problems)
            _copy_into(extra, "deliveryTag", tag, ("deliveryTag",), found)
        slots.extend((len(bodies), slot) for slot in found)
        bodies.append((name, body, extra))
    results = fill([(which, slot[3]) for which, slot in slots], datas, language, budget) if slots else []
    errors: list[list[tuple[Path, str]]] = [[] for _ in bodies]
    for (which, slot), result in zip(slots, results, strict=True):
        container, at, path, _ = slot
        if isinstance(result, str):
            container[at] = result
        elif result is not None:
            # A value the filter cannot read is the sample's mistake: name it where it is written.
            name = bodies[which][0]
            where = _find_in_sample(datas[which], result.value[0], ("samples", name)) if (
                result.value and name is not None and name in samples) else None
            if where is None:
                errors[which].append((path, result.message))
            else:
                problem = (where, N_("{problem}, filled into {property}", problem=result.message,
                                        property=line_property(path)))
                if problem not in errors[which]:
                    errors[which].append(problem)
    kind = spec.get("kind") if spec.get("kind") in ("template", "flexible") else (
        "template" if "templateKey" in spec else "flexible")
    return [Message(kind=str(kind), body=body, catalogue=catalogue, is_spec=True, sample=name,
                    spec=dict(spec), delivery_tag=extra.get("deliveryTag"), language=language,
                    language_given=given, placeholder_errors=errors[which], spec_errors=spec_errors)
            for which, (name, body, extra) in enumerate(bodies)]


def messages_from_document(data: Mapping[str, Any], catalogue: Catalogue, *, path: str,
                           all_samples: bool = True, default_language: str | None = None) -> list[Message]:
    """Messages to check in one parsed file; raise :class:`InputError` if it is no message."""
    shape = document_shape(data)
    if shape == Shape.SPEC:
        messages = render_spec(data, catalogue, all_samples=all_samples, default_language=default_language)
        for message in messages:
            message.source_path = path
        return messages
    if shape == Shape.TEMPLATE_BODY:
        msg = Message(kind="template", body=dict(data), catalogue=catalogue)
        msg.language = msg.template.language if msg.template else None
        return [msg]
    if shape == Shape.FLEXIBLE_BODY:
        language = message_language(default_language) if default_language else None
        return [Message(kind="flexible", body=dict(data), catalogue=catalogue, language=language,
                        language_given=language is not None)]
    raise InputError(N_("not a LINE notification message: expected a spec (with \"kind\") or an API body (with "
                        "\"templateKey\" or \"messages\")"), path=path, line=1, column=1)
