"""Sample data that tells a plausible story, in the starters of ``lnm new`` and the shipped examples.

Dates in the order the story needs (ordered, then paid or shipped, then delivered; applied or
received, then completed or started), ranges that end after they start, and totals not smaller than
their parts (a shipping fee below the amount to pay). Template specs are read through their items'
English labels in the catalogue; flexible examples through their sample's own names.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from toolkit.scaffold.starter import flexible_starters, new_spec, starter_spec
from toolkit.spec.catalogue import load_catalogue

from .conftest import EXAMPLES, run_lnm

CATALOGUE = load_catalogue()
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*(?:\|\s*(\w+)\s*(?:\(\s*([\w.]+)?[^)]*\))?)?")

#: Story stages of dated items by their English label: each stage comes no earlier than the one before.
STAGES = [
    ("ordered", re.compile(r"^order (date|placed)", re.I)),
    ("paid or shipped", re.compile(r"^(shipping date|payment (date|time))", re.I)),
    ("delivered", re.compile(r"(delivery date|delivered at|delivery attempted)", re.I)),
]
STARTS = [
    ("applied or received", re.compile(r"^(application date|date and time received)", re.I)),
    ("completed or started", re.compile(r"(completion date|service start date|scheduled visit date)", re.I)),
]
TOTAL = re.compile(r"(total|amount to pay|amount billed|amount due|amount paid)", re.I)
PART = re.compile(r"(fee|shipping)", re.I)


def _lookup(sample: Mapping[str, Any], dotted: str) -> Any:
    value: Any = sample
    for part in dotted.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _template_values(spec: Mapping[str, Any], sample: Mapping[str, Any]) -> Iterator[tuple[str, str, Any, Any]]:
    """(kind, English label, value, range end or None) of each item of a template spec."""
    body = spec.get("body", {})
    entries = ([body["emphasizedItem"]] if "emphasizedItem" in body else []) + body.get("items", [])
    for entry in entries:
        item = CATALOGUE.items.get(entry["itemKey"])
        found = _PLACEHOLDER.search(entry["content"])
        if item is None or not found:
            continue
        value = _lookup(sample, found.group(1))
        end = _lookup(sample, found.group(3)) if found.group(2) in ("time_range", "date_range") and found.group(3) \
            else None
        if value is not None:
            yield item.value_kind, item.label_en, value, end


def _story_problems(spec: Mapping[str, Any]) -> list[str]:
    problems = []
    for name, sample in spec["samples"].items():
        values = list(_template_values(spec, sample))
        for _kind, label, value, end in values:
            if end is not None and str(end) < str(value):
                problems.append(f"{name}: {label} ends ({end}) before it starts ({value})")
        dated = [(label, str(value)[:10]) for kind, label, value, _ in values if kind in ("date", "datetime")]
        for stages in (STAGES, STARTS):
            previous: tuple[str, str] | None = None
            for stage, pattern in stages:
                days = [(label, day) for label, day in dated if pattern.search(label)]
                if not days:
                    continue
                if previous is not None:
                    for label, day in days:
                        if day < previous[1]:
                            problems.append(f"{name}: {label} ({day}, {stage}) is before {previous[0]} ({previous[1]})")
                previous = max(days, key=lambda d: d[1])
        prices = [(label, value) for kind, label, value, _ in values if kind == "price"]
        for total_label, total in ((lbl, v) for lbl, v in prices if TOTAL.search(lbl)):
            for part_label, part in ((lbl, v) for lbl, v in prices if PART.search(lbl) and not TOTAL.search(lbl)):
                if float(part) >= float(total):
                    problems.append(f"{name}: {part_label} ({part}) is not smaller than {total_label} ({total})")
    return problems


def _flexible_problems(value: Any, where: str = "") -> list[str]:
    """Ranges (x_start/x_end, start/end, period_end before due) and totals above their siblings."""
    problems: list[str] = []
    if not isinstance(value, Mapping):
        return problems
    for key, start in value.items():
        stem = key[: -len("start")] if key.endswith("start") else None
        if stem is not None and f"{stem}end" in value and str(value[f"{stem}end"]) < str(start):
            problems.append(f"{where}{key}: ends before it starts")
    if "due" in value and "period_end" in value and str(value["due"]) < str(value["period_end"]):
        problems.append(f"{where}due: before the period ends")
    total = value.get("total")
    if isinstance(total, int | float):
        for key, part in value.items():
            if key != "total" and isinstance(part, int | float) and not isinstance(part, bool) and part > total:
                problems.append(f"{where}{key} ({part}) is larger than the total ({total})")
    for key, inner in value.items():
        problems.extend(_flexible_problems(inner, f"{where}{key}."))
    return problems


def test_the_issue_case_shipment_completed_ja() -> None:
    spec = new_spec(CATALOGUE, "shipment_completed_ja")
    for sample in spec["samples"].values():
        assert sample["order_date"] < sample["shipping_date"] < sample["scheduled_delivery_date"]
        assert sample["shipping_fee"] < sample["amount_to_pay"]


@pytest.mark.parametrize("key", sorted(CATALOGUE.templates))
def test_template_starters_tell_a_plausible_story(key: str) -> None:
    assert _story_problems(new_spec(CATALOGUE, key)) == []


def test_shipped_examples_tell_a_plausible_story() -> None:
    problems = []
    checked = 0
    for path in sorted(EXAMPLES.glob("*/*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["kind"] == "template":
            found = _story_problems(spec)
        else:
            found = [p for name, sample in spec["samples"].items() for p in _flexible_problems(sample, f"{name}: ")]
        problems.extend(f"{path.relative_to(EXAMPLES)}: {p}" for p in found)
        checked += 1
    assert checked >= 70 and problems == []


def test_the_checks_catch_an_implausible_story() -> None:
    """The checks themselves: the dates and the fee of the issue's report fail them."""
    spec = new_spec(CATALOGUE, "shipment_completed_ja")
    spec["samples"]["default"].update(shipping_date="2024-08-18", order_date="2024-08-19", shipping_fee=12000)
    problems = _story_problems(spec)
    assert any("Shipping date" in p and "before" in p for p in problems), problems
    assert any("Shipping fee" in p for p in problems), problems
    assert _flexible_problems({"order": {"food": 1250, "total": 1000}, "slot_start": "18:00", "slot_end": "09:00"})


def test_flexible_starters_keep_their_example_samples_and_ask_for_review(tmp_path: Path) -> None:
    starters = flexible_starters()
    assert {s.country for s in starters} == {"JP", "TH", "TW"} and len(starters) >= 12
    for starter in starters:
        spec = starter_spec(CATALOGUE, starter.name)
        example = json.loads(starter.path.read_text(encoding="utf-8"))
        assert spec["samples"] == example["samples"] and {"default", "longest"} <= set(spec["samples"])
        assert "$schema" not in spec
        assert all(spec["review"][f].startswith("TODO:") for f in ("account", "purpose", "sendingConditions"))
    listed = run_lnm("catalogue", "list", "--kind", "flexible", "--format", "json").json()
    assert sorted(e["key"] for e in listed) == sorted(s.name for s in starters)


def test_lnm_new_flexible_starter_in_a_repository_lints_clean_and_silent(tmp_path: Path) -> None:
    assert run_lnm("init", str(tmp_path)).code == 0
    made = run_lnm("new", "flex_receipt_th", "-o", "messages/receipt.json", cwd=tmp_path)
    assert made.code == 0, made.err
    assert "review" in made.err and "note:" not in made.err
    spec = json.loads((tmp_path / "messages" / "receipt.json").read_text(encoding="utf-8"))
    assert spec["$schema"] == "../.lnm/schemas/message-spec.schema.json"
    assert (tmp_path / "messages" / spec["$schema"]).resolve().is_file()
    assert spec["kind"] == "flexible" and spec["review"]["appLanguages"] == ["th", "en"]
    template = run_lnm("new", "shipment_completed_ja", "-o", "messages/shipped.json", cwd=tmp_path)
    assert template.code == 0, template.err
    lint = run_lnm("lint", "messages/", cwd=tmp_path)
    assert (lint.code, lint.out, lint.err) == (0, "", "")
    elsewhere = run_lnm("new", "text_login_alert_ja", cwd=tmp_path.parent)
    assert elsewhere.code == 0 and "$schema" not in elsewhere.json()
    assert "note: no .lnm/schemas found" in elsewhere.err
    unknown = run_lnm("new", "flex_recept_th", cwd=tmp_path)
    assert unknown.code == 2 and unknown.err.strip() == (
        "lnm: unknown template or example 'flex_recept_th'; did you mean 'flex_receipt_th'? "
        "(lnm catalogue list shows both)")


def test_a_copied_example_keeps_a_schema_link_that_lint_reports(tmp_path: Path) -> None:
    (tmp_path / "messages").mkdir()
    copied = tmp_path / "messages" / "receipt.json"
    copied.write_bytes((EXAMPLES / "TH" / "flex_receipt_th.json").read_bytes())
    lint = run_lnm("lint", "messages/", cwd=tmp_path)
    assert lint.code == 0 and "G070" in lint.out and "../../../schemas/message-spec.schema.json" in lint.out
