"""The Flex Message schema and lint's reader of it: the same verdicts as a JSON Schema library, the
issue's examples all errors, LINE's and the community's real-world samples accepted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource

from toolkit.rules._flexschema import check_message

from .conftest import run_lnm, write_json

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
RULES = ROOT / "tests" / "rules"
#: The 70 real-world containers of the shared test data (beside the checkout), when present.
SAMPLES = ROOT.parent / "shared" / "testdata" / "flex"
DIGEST = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"


def _validator() -> jsonschema.protocols.Validator:
    resources = [(p.name, Resource.from_contents(json.loads(p.read_text(encoding="utf-8"))))
                 for p in SCHEMAS.glob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources(resources)
    schema = json.loads((SCHEMAS / "flex-message.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, registry=registry)


def _messages() -> list[tuple[str, Any]]:
    out = []
    for case in sorted(RULES.glob("A0[45]*/*/*.json")):
        if case.name.endswith(".expected.json"):
            continue
        data = json.loads(case.read_text(encoding="utf-8"))
        out.extend((f"{case.parent.parent.name}/{case.name}[{i}]", m) for i, m in enumerate(data.get("messages", [])))
    for sample in sorted((SAMPLES / "line-showcase").glob("*.json")):
        out.append((sample.name, {"type": "flex", "altText": sample.stem,
                                  "contents": json.loads(sample.read_text(encoding="utf-8"))}))
    return out


def test_lint_reads_the_schema_as_a_json_schema_library_does() -> None:
    """Valid or not, per message, over every Flex fixture and LINE's showcase samples."""
    validator = _validator()
    disagree = []
    for name, message in _messages():
        library = validator.is_valid(message)
        ours = not check_message(message, ("messages", 0))
        if library != ours:
            disagree.append((name, library, ours, [e.message for e in validator.iter_errors(message)][:3]))
    assert not disagree, disagree
    assert len(_messages()) >= 60


def test_editors_find_the_flex_schema_from_the_request_and_spec_schemas() -> None:
    registry_validator = _validator()  # the flex schema itself is a valid 2020-12 schema
    assert registry_validator.schema["$id"] == "flex-message.schema.json"
    for name in ("pnp-flexible-request.schema.json", "message-spec.schema.json"):
        schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
        assert schema["properties"]["messages"]["items"] == {"$ref": "flex-message.schema.json"}, name


def test_every_enum_names_its_source() -> None:
    schema = json.loads((SCHEMAS / "flex-message.schema.json").read_text(encoding="utf-8"))
    missing = []

    def visit(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if "enum" in node and "$comment" not in node:
                missing.append(where)
            for key, value in node.items():
                visit(value, f"{where}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                visit(value, f"{where}/{i}")

    visit(schema, "")
    assert not missing, missing


ISSUE_EXAMPLES = {
    "to": DIGEST,
    "messages": [
        {"type": "flexx", "altText": "Your order has shipped", "contents": {"type": "bubble"}},
        {"type": "flex", "altText": "Your order has shipped", "contents": {"type": "carousel", "contents": [
            {"type": "bubble", "body": {"type": "box", "contents": [
                {"type": "text", "text": "Shipped", "align": "left", "color": "red", "margin": "10"},
                {"type": "icon", "url": "https://www.kumoya-shop.jp/i.png"},
                {"type": "button", "action": {"type": "uri", "label": "L" * 41, "uri": "https://www.kumoya-shop.jp/o"}}]}},
            {"type": "carousel", "contents": []}]}},
    ],
}


def test_the_issue_examples_are_all_errors(tmp_path: Path) -> None:
    write_json(tmp_path / "m.json", ISSUE_EXAMPLES)
    result = run_lnm("lint", "--no-config", "--format", "json", "--select", "api", str(tmp_path / "m.json"))
    assert result.code == 1, result.err
    found = {(f["code"], f["property"]) for f in result.json()["files"][0]["findings"] if f["severity"] == "error"}
    body = "messages[1].contents.contents[0].body"
    assert found == {
        ("A040", "messages[0].type"),
        ("A042", f"{body}.layout"),
        ("A044", f"{body}.contents[0].align"),
        ("A044", f"{body}.contents[0].color"),
        ("A044", f"{body}.contents[0].margin"),
        ("A046", f"{body}.contents[1].type"),
        ("A050", f"{body}.contents[2].action.label"),
        ("A046", "messages[1].contents.contents[1].type"),
    }


def test_a_spec_cannot_suppress_the_flex_api_checks(tmp_path: Path) -> None:
    spec = {"kind": "flexible", "messages": ISSUE_EXAMPLES["messages"][1:],
            "suppress": [{"rule": "A044", "reason": "we like the colour red very much"}]}
    write_json(tmp_path / "s.json", spec)
    result = run_lnm("lint", "--no-config", "--format", "json", "--select", "A044", str(tmp_path / "s.json"))
    assert result.code in (1, 2)
    findings = result.json()["files"][0]["findings"]
    assert {f["property"] for f in findings if f["code"] == "A044"} >= {
        "messages[0].contents.contents[0].body.contents[0].color"}


#: Real-world samples that break a documented rule, and the rule.
SAMPLE_ERRORS = {"bar_chart.json": {"A041"}}  # 22 spacers, removed from Flex Messages in 2020


@pytest.mark.skipif(not SAMPLES.is_dir(), reason=f"the shared Flex samples are not at {SAMPLES}")
def test_real_world_samples_are_accepted_unless_they_break_a_documented_rule(tmp_path: Path) -> None:
    samples = sorted(SAMPLES.glob("*/*.json"))
    assert len(samples) == 70
    for sample in samples:
        body = {"to": DIGEST, "messages": [{"type": "flex", "altText": f"Sample {sample.stem}",
                                            "contents": json.loads(sample.read_text(encoding="utf-8"))}]}
        write_json(tmp_path / sample.parent.name / sample.name, body)
    result = run_lnm("lint", "--no-config", "--format", "json", "--select", "api", str(tmp_path))
    assert result.code in (0, 1), result.err
    errors = {Path(f["path"]).name: {x["code"] for x in f["findings"] if x["severity"] == "error"}
              for f in result.json()["files"]}
    assert {name: codes for name, codes in errors.items() if codes} == SAMPLE_ERRORS


def test_deeply_nested_boxes_are_checked_to_the_bottom(tmp_path: Path) -> None:
    """The JSON reader allows 400 levels; the checks follow them all, without a recursion error."""
    box: dict[str, Any] = {"type": "text", "text": "Delivered", "margin": "10"}
    for _ in range(195):
        box = {"type": "box", "layout": "vertical", "contents": [box]}
    body = {"to": DIGEST, "messages": [{"type": "flex", "altText": "Delivered", "contents": {"type": "bubble", "body": box}}]}
    write_json(tmp_path / "deep.json", body)
    result = run_lnm("lint", "--no-config", "--format", "json", "--select", "api", str(tmp_path / "deep.json"))
    assert result.code == 1, result.err
    (finding,) = result.json()["files"][0]["findings"]
    assert finding["code"] == "A044" and finding["property"].endswith(".contents[0]" * 195 + ".margin")


def test_the_size_bound_is_never_below_the_real_size() -> None:
    """A047 and A048 measure JSON exactly only above a bound; the bound must hold for any content."""
    from toolkit.rules._flextree import size_bound
    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import Message

    hostile = {"type": "bubble", "body": {"type": "box", "layout": "vertical", "contents": [
        {"type": "text", "text": "\x01\"\\\u3042😀" * 50, "flex": 1.2345678901234567e-300, "x": [10**63, -1.5e308, None]}]}}
    containers = [hostile] + [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*/*.json"))]
    for container in containers:
        msg = Message(kind="flexible", body={"messages": [{"type": "flex", "altText": "x", "contents": container}]},
                      catalogue=load_catalogue())
        exact = len(json.dumps(container, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        assert exact <= size_bound(msg, 0) <= 7 * exact
