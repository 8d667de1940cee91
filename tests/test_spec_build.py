"""Specs with placeholders, the builder, `lnm build`, `lnm schema` and `lnm new`, through the real CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit import compose_template, load_catalogue
from toolkit.errors import PlaceholderError, UsageError
from toolkit.spec.placeholders import render_string
from toolkit.spec.schemas import template_body_schema, validator_for

from .conftest import EXAMPLES, ROOT, SPEC_BODY, run_lnm, write_json

VECTOR = SPEC_BODY["to"]


def spec(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "$schema": "../../schemas/message-spec.schema.json",
        "kind": "template",
        "templateKey": "shipment_completed_ja",
        "body": {
            "emphasizedItem": {"itemKey": "date_002_ja", "content": "{{ delivery.date | date('yMMMEd') }}"},
            "items": [
                {"itemKey": "time_range_001_ja", "content": "{{ delivery.slot }}"},
                {"itemKey": "number_001_ja", "content": "{{ order.number }}"},
                {"itemKey": "price_001_ja", "content": "{{ order.total | money('JPY') }}"},
                {"itemKey": "name_010_ja", "content": "{{ order.item }}"},
            ],
            "buttons": [
                {"buttonKey": "check_delivery_status_ja", "url": "https://example.com/CheckDeliveryStatus/"},
                {"buttonKey": "contact_ja", "url": "https://example.com/ContactUs/"},
            ],
        },
        "deliveryTag": "order-{{ order.number }}-shipped",
        "samples": {
            "default": {"delivery": {"date": "2024-08-10", "slot": "午前中"},
                        "order": {"number": "1234567", "total": 12000, "item": "スープセット（冷凍）"}},
            "other": {"delivery": {"date": "2024-12-28", "slot": "14:00～16:00"},
                      "order": {"number": "7654321", "total": 980, "item": "冷凍ギョーザ"}},
        },
    }
    data.update(overrides)
    return data


# --- placeholders --------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "data", "language", "expected"), [
    ("{{ d | date('yMMMEd') }}", {"d": "2024-08-10"}, "ja", "2024年8月10日(土)"),
    ("{{ d | date('long') }}", {"d": "2024-08-10"}, "th", "10 สิงหาคม พ.ศ. 2567"),
    ("{{ d | date('medium') }}", {"d": "2024-08-10"}, "th", "10 ส.ค. 2567"),
    ("{{ d | date('short') }}", {"d": "2024-08-10"}, "th", "10/8/67"),
    ("{{ d | date('medium', era='gregorian') }}", {"d": "2024-08-10"}, "th", "10 ส.ค. 2024"),
    ("{{ d | date('yMMMEd') }}", {"d": "2024-08-10"}, "zh-Hant", "2024年8月10日週六"),
    ("{{ a | money('JPY') }}", {"a": 12000}, "ja", "12,000円"),
    ("{{ a | money('THB') }}", {"a": 1250}, "th", "฿1,250.00"),
    ("{{ a | money('TWD') }}", {"a": 1200}, "zh-Hant", "NT$1,200"),
    ("{{ a | number }}", {"a": 1234567}, "th", "1,234,567"),
    ("{{ s | time_range('12:00') }}", {"s": "10:00"}, "ja", "10:00～12:00"),
    ("{{ s | time_range('12:00') }}", {"s": "10:00"}, "th", "10:00 - 12:00 น."),
    ("{{ t | time }}", {"t": "14:30"}, "zh-Hant", "下午2:30"),
    ("plain text", {}, "ja", "plain text"),
])
def test_filters_use_the_templates_locale(text: str, data: dict[str, object], language: str, expected: str) -> None:
    assert render_string(text, data, language).replace("\u202f", " ") == expected


@pytest.mark.parametrize(("text", "fragment"), [
    ("{{ missing }}", "undefined"),
    ("{{ order.id", "syntax"),
    ("{{ x.__class__.__mro__ }}", "not allowed"),
    ("{{ d | date }}", "ISO date"),
    ("{{ a | money('JPY') }}", "not a number"),
])
def test_bad_placeholders_raise_placeholder_errors(text: str, fragment: str) -> None:
    with pytest.raises(PlaceholderError) as info:
        render_string(text, {"x": 1, "d": "tomorrow", "a": "lots", "order": {}}, "ja")
    assert fragment in info.value.message


def test_bad_placeholder_is_a_finding_at_its_path(tmp_path: Path) -> None:
    data = spec()
    data["body"]["items"][1]["content"] = "{{ order.numbr }}"  # type: ignore[index]
    path = write_json(tmp_path / "s.json", data)
    result = run_lnm("lint", "--format", "json", str(path))
    assert result.code == 1 and "Traceback" not in result.err
    findings = result.json()["files"][0]["findings"]
    a090 = [f for f in findings if f["code"] == "A090"]
    assert {f["pointer"] for f in a090} == {"/body/items/1/content"}
    expected_line = path.read_text(encoding="utf-8").splitlines().index(
        next(line for line in path.read_text(encoding="utf-8").splitlines() if "order.numbr" in line)) + 1
    assert a090[0]["line"] == expected_line and "sample 'default'" in " ".join(f["message"] for f in a090)


def test_every_sample_is_checked(tmp_path: Path) -> None:
    data = spec()
    data["samples"]["longest"] = {**data["samples"]["default"],  # type: ignore[index]
                                  "delivery": {"date": "2024-08-10", "slot": "午前中" * 200}}
    result = run_lnm("lint", "--format", "json", str(write_json(tmp_path / "s.json", data)))
    codes = {(f["code"], f["pointer"]) for f in result.json()["files"][0]["findings"]}
    assert ("A014", "/body/items/0/content") in codes


# --- builder -------------------------------------------------------------------------------------


def test_build_gives_lines_example_body(tmp_path: Path) -> None:
    path = write_json(tmp_path / "s.json", spec())
    result = run_lnm("build", str(path), "--phone", "080-0000-1234", "--region", "JP")
    assert result.code == 0, result.err
    assert json.loads(result.out) == SPEC_BODY
    assert list(json.loads(result.out)) == ["to", "templateKey", "body"]
    assert "X-Line-Delivery-Tag: order-1234567-shipped" in result.err
    assert "pnp/templated/push" in result.err
    assert "0000-1234" not in result.err + result.out


def test_build_other_sample_and_output_file(tmp_path: Path) -> None:
    path = write_json(tmp_path / "s.json", spec())
    out = tmp_path / "out" / "body.json"
    result = run_lnm("build", str(path), "--sample", "other", "--to", VECTOR, "-o", str(out))
    assert result.code == 0 and result.out == ""
    built = json.loads(out.read_text(encoding="utf-8"))
    assert built["body"]["emphasizedItem"]["content"] == "2024年12月28日(土)"
    assert built["body"]["items"][2]["content"] == "980円"
    missing = run_lnm("build", str(path), "--sample", "nope")
    assert missing.code == 2 and "no sample named 'nope'" in missing.err


def test_build_refuses_what_the_api_rejects(tmp_path: Path) -> None:
    path = write_json(tmp_path / "s.json", spec(templateKey="reserve_004"))
    out = tmp_path / "body.json"
    result = run_lnm("build", str(path), "-o", str(out))
    assert result.code == 1 and "A010" in result.err
    assert not out.exists()


def test_build_raw_phone_never_in_output(tmp_path: Path) -> None:
    path = write_json(tmp_path / "s.json", spec())
    result = run_lnm("build", str(path), "--phone", "-", "--region", "JP", stdin="080-0000-1234\n")
    assert json.loads(result.out)["to"] == VECTOR
    bad = run_lnm("build", str(path), "--phone", "080-0000-1234-5678-9999", "--region", "JP")
    assert bad.code == 2 and "1234-5678" not in bad.err and "Traceback" not in bad.err


def test_compose_template_api() -> None:
    cat = load_catalogue()
    composed = compose_template(
        cat, "shipment_completed_ja", to=VECTOR,
        emphasized=("date_002_ja", "2024年8月10日(土)"),
        items=[(i["itemKey"], i["content"]) for i in SPEC_BODY["body"]["items"]],
        buttons=[(b["buttonKey"], b["url"]) for b in SPEC_BODY["body"]["buttons"]])
    assert composed == SPEC_BODY
    with pytest.raises(UsageError):
        compose_template(cat, "shipment_completed_ja", items=[("datetime_000", "x")])


# --- schema and new ------------------------------------------------------------------------------


def test_combined_schema_checks_keys_and_value_kinds() -> None:
    import jsonschema

    schema = template_body_schema(load_catalogue(), "shipment_completed_ja")
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(SPEC_BODY))
    bad = json.loads(json.dumps(SPEC_BODY))
    bad["body"]["items"][2]["content"] = "twelve thousand"
    assert list(validator.iter_errors(bad))
    bad = json.loads(json.dumps(SPEC_BODY))
    bad["body"]["items"][0]["itemKey"] = "datetime_000"
    assert list(validator.iter_errors(bad))


def test_lnm_schema_prints_a_usable_schema() -> None:
    result = run_lnm("schema", "shipment_completed_ja")
    assert result.code == 0
    schema = json.loads(result.out)
    assert schema["$id"].endswith("shipment_completed_ja.schema.json")
    assert schema["properties"]["templateKey"] == {"const": "shipment_completed_ja"}
    unknown = run_lnm("schema", "reserve_004")
    assert unknown.code == 2 and "unknown template" in unknown.err


def test_new_spec_lints_clean_for_every_template(tmp_path: Path) -> None:
    cat = load_catalogue()
    for key in cat.templates:
        out = tmp_path / f"{key}.json"
        result = run_lnm("new", key, "-o", str(out)) if key.endswith("_ja") else None
        if result is not None:
            assert result.code == 0, result.err
            assert "$schema" not in json.loads(out.read_text(encoding="utf-8"))  # no schema copy above tmp_path
    from toolkit.scaffold.starter import new_spec

    (tmp_path / "x").write_text("{}", encoding="utf-8")  # the $schema they name exists (G070)
    for key in cat.templates:
        if not key.endswith("_ja"):
            write_json(tmp_path / f"{key}.json", new_spec(cat, key, schema_ref="x"))
    lint = run_lnm("lint", "--format", "json", "--show-info", str(tmp_path))
    assert lint.code == 0, lint.out
    report = lint.json()
    assert report["summary"]["files"] == len(cat.templates)
    assert report["summary"]["samples"] == 2 * len(cat.templates)  # default and longest
    # Nothing at all but the one note that the shipped keys are illustrative (said once per run).
    assert [f["code"] for entry in report["files"] for f in entry["findings"]] == ["G002"]
    again = run_lnm("new", "shipment_completed_ja", "-o", str(tmp_path / "shipment_completed_ja.json"))
    assert again.code == 2 and "exists" in again.err


def test_new_spec_uses_placeholders_and_samples_like_the_examples(tmp_path: Path) -> None:
    from toolkit.scaffold.starter import new_spec

    spec = new_spec(load_catalogue(), "shipment_completed_th")
    assert "$schema" not in spec and set(spec["samples"]) == {"default", "longest"}
    contents = [spec["body"]["emphasizedItem"]["content"]] + [i["content"] for i in spec["body"]["items"]]
    assert all("{{" in c for c in contents)
    assert any("| money('THB')" in c for c in contents) and any("| date(" in c for c in contents)
    names = {n for c in contents for n in re.findall(r"\{\{ (\w+)", c)}
    assert names <= set(spec["samples"]["default"]) and names <= set(spec["samples"]["longest"])


def test_new_spec_points_to_the_repository_schema_copy(tmp_path: Path) -> None:
    assert run_lnm("init", str(tmp_path)).code == 0
    (tmp_path / "messages" / "jp").mkdir()
    made = run_lnm("new", "shipment_completed_ja", "-o", "messages/jp/s.json", cwd=tmp_path)
    assert made.code == 0, made.err
    spec = json.loads((tmp_path / "messages" / "jp" / "s.json").read_text(encoding="utf-8"))
    assert spec["$schema"] == "../../.lnm/schemas/message-spec.schema.json"
    printed = run_lnm("new", "shipment_completed_ja", cwd=tmp_path / "messages")
    assert printed.json()["$schema"] == "../.lnm/schemas/message-spec.schema.json"


def test_spec_schema_validates_examples() -> None:
    validator = validator_for("message-spec.schema.json")
    specs = sorted(EXAMPLES.rglob("*.json"))
    assert len(specs) >= 36
    for path in specs:
        errors = list(validator.iter_errors(json.loads(path.read_text(encoding="utf-8"))))
        assert not errors, (path, errors[0].message)


def test_examples_lint_clean_and_cover_every_template() -> None:
    result = run_lnm("lint", "--format", "json", str(EXAMPLES))
    assert result.code == 0, result.out[-3000:]
    report = result.json()
    assert report["summary"]["error"] == 0
    specs = [json.loads(Path(f["path"]).read_text(encoding="utf-8")) for f in report["files"]]
    assert {s["templateKey"] for s in specs if s["kind"] == "template"} == set(load_catalogue().templates)


def test_flexible_examples_are_lint_clean_and_cover_the_notices() -> None:
    """At least 12 flexible examples over JP, TH and TW, a carousel and a text-only one among them, with no
    finding at all (errors, warnings or notes) from any rule."""
    flexible = [p for p in sorted(EXAMPLES.rglob("*.json"))
                if json.loads(p.read_text(encoding="utf-8"))["kind"] == "flexible"]
    assert len(flexible) >= 12
    assert {p.parent.name for p in flexible} == {"JP", "TH", "TW"}
    result = run_lnm("lint", "--no-config", "--format", "json", *map(str, flexible))
    assert result.code == 0, result.out[-3000:]
    assert [(f["path"], f["findings"]) for f in result.json()["files"] if f["findings"]] == []
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in flexible]
    types = [[m.get("contents", {}).get("type", m["type"]) for m in s["messages"]] for s in specs]
    assert ["carousel"] in types and ["text"] in types
    assert {s["language"] for s in specs} == {"ja", "th", "zh-Hant"}


def test_examples_have_default_and_longest_samples() -> None:
    for path in sorted(EXAMPLES.rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert {"default", "longest"} <= set(data["samples"]), path


def test_python_m_toolkit_is_the_cli() -> None:
    assert (ROOT / "toolkit" / "__main__.py").is_file()
    result = run_lnm("--version")
    from importlib.metadata import version

    assert result.code == 0 and result.out == f"lnm, version {version('lnm-toolkit')}\n"  # our distribution's


def test_a_date_a_filter_cannot_read_is_a_finding_at_the_sample_value(tmp_path: Path) -> None:
    """"2024-08-10（変更）" was read as 10 August (its first ten characters); now it is an error at the
    sample value, with the line and column of that value, and the body's value is left unfilled."""
    data = spec()
    data["samples"]["default"]["delivery"]["date"] = "2024-08-10（変更）"  # type: ignore[index]
    path = write_json(tmp_path / "s.json", data)
    result = run_lnm("lint", "--format", "json", str(path))
    assert result.code == 1, result.err
    a090 = [f for f in result.json()["files"][0]["findings"] if f["code"] == "A090"]
    assert [f["pointer"] for f in a090] == ["/samples/default/delivery/date"]
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "（変更）" in text)
    assert (a090[0]["line"], a090[0]["column"]) == (line, lines[line - 1].index('"2024') + 1)
    assert "body.emphasizedItem.content" in a090[0]["message"] and "ISO date" in a090[0]["message"]
    assert "2024-08-10" in a090[0]["fix"]


@pytest.mark.parametrize("value", ["2024-08-10（変更）", "2024/08/10", "20240810", "2024-02-30", "10 Aug 2024", 20240810])
def test_date_filters_read_only_iso_dates(value: object) -> None:
    for text in ("{{ d | date }}", "{{ d | datetime }}", "{{ d | date_range('2024-08-11') }}"):
        with pytest.raises(PlaceholderError) as info:
            render_string(text, {"d": value}, "ja")
        assert info.value.value == (value,)


@pytest.mark.parametrize("value", ["2024-08-10", "2024-08-10T14:30", "2024-08-10 14:30:05", "2024-08-10T14:30:05.250+09:00",
                                   "2024-08-10T05:30Z"])
def test_date_filters_read_iso_dates_and_date_times(value: str) -> None:
    assert render_string("{{ d | date('yMMMd') }}", {"d": value}, "ja") == "2024年8月10日"
    assert render_string("{{ d | datetime('yMMMd') }}", {"d": value}, "ja").startswith("2024年8月10日 ")
