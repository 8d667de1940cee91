"""The shipped catalogue: valid against its meta-schemas, coherent, and extendable by a team."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from toolkit.spec.catalogue import data_root, load_catalogue, value_patterns
from toolkit.spec.schemas import all_schemas, validator_for

from .conftest import ROOT, run_lnm, write_json

CATALOGUE = ROOT / "template_library" / "catalogue"
DOCUMENTED = {"shipment_completed_ja", "date_002_ja", "time_range_001_ja", "number_001_ja", "price_001_ja",
              "name_010_ja", "check_delivery_status_ja", "contact_ja"}
META = {"templates.json": "catalogue-templates.schema.json", "items.json": "catalogue-items.schema.json",
        "buttons.json": "catalogue-buttons.schema.json"}
FILES = sorted(CATALOGUE.glob("*/*.json"))


def test_every_schema_is_2020_12_with_an_id() -> None:
    import jsonschema

    assert all_schemas()
    for name, schema in all_schemas().items():
        assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema", name
        assert schema.get("$id") == name.rsplit("/", 1)[-1], name  # its own file name: no made-up domain
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", FILES, ids=[f"{p.parent.name}/{p.name}" for p in FILES])
def test_catalogue_file_matches_its_meta_schema(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    errors = list(validator_for(META[path.name]).iter_errors(data))
    assert not errors, [e.message for e in errors[:5]]
    assert data["country"] == path.parent.name
    for entry in data[path.stem]:
        assert entry["country"] == data["country"] and entry["language"] == data["language"]


def test_each_country_has_enough_entries() -> None:
    cat = load_catalogue()
    for country in ("JP", "TH", "TW"):
        assert sum(t.country == country for t in cat.templates.values()) >= 12, country
        assert sum(i.country == country for i in cat.items.values()) >= 30, country
        assert sum(b.country == country for b in cat.buttons.values()) >= 8, country


def test_provenance_marks_exactly_the_documented_keys() -> None:
    cat = load_catalogue()
    documented = {e.key for e in cat.entries() if e.provenance == "documented"}
    assert documented == DOCUMENTED


def test_templates_reference_their_own_countrys_entries() -> None:
    cat = load_catalogue()
    for template in cat.templates.values():
        for key in template.items:
            assert cat.items[key].country == template.country, (template.key, key)
        assert set(template.emphasizable) <= set(template.items), template.key
        for key in template.buttons:
            assert cat.buttons[key].country == template.country, (template.key, key)


def test_every_item_example_fits_its_kind_and_limit() -> None:
    cat = load_catalogue()
    for item in cat.items.values():
        pattern = value_patterns(item.language).get(item.value_kind)
        assert pattern is not None, f"no {item.value_kind} pattern for {item.language}"
        assert pattern.fullmatch(item.example), (item.key, item.example)
        assert len(item.example) <= 300


def test_value_patterns_work_in_ecma_and_python() -> None:
    for language in ("ja", "th", "zh-Hant"):
        patterns = value_patterns(language)
        assert len(patterns) == 12, language
        for kind, pattern in patterns.items():
            assert r"\p{" not in pattern.pattern and "(?<" not in pattern.pattern.replace("(?<=", "X"), kind


def test_team_catalogue_extends_and_overrides(tmp_path: Path) -> None:
    team = tmp_path / "team"
    write_json(team / "JP" / "items.json", {
        "country": "JP", "language": "ja",
        "items": [{"key": "date_002_ja", "country": "JP", "language": "ja", "label": "配達日", "labelEn": "Delivery day",
                   "kind": "date", "example": "8月10日(土)", "provenance": "account"},
                  {"key": "locker_001_ja", "country": "JP", "language": "ja", "label": "ロッカー番号",
                   "labelEn": "Locker number", "kind": "identifier", "example": "L-0042", "provenance": "account"}]})
    cat = load_catalogue((str(team),))
    assert cat.items["date_002_ja"].label == "配達日"
    assert "locker_001_ja" in cat.items and "shipment_completed_ja" in cat.templates
    listed = run_lnm("catalogue", "list", "--country", "JP", "--format", "json", env={"LNM_CATALOGUE": str(team)})
    keys = {e["key"]: e for e in listed.json()}
    assert keys["locker_001_ja"]["provenance"] == "account"
    same = run_lnm("catalogue", "list", "--format", "json", "--catalogue", str(team))
    assert {e["key"] for e in same.json()} == set(keys) | {e["key"] for e in same.json() if e["country"] != "JP"}


def test_broken_team_catalogue_is_a_tool_error(tmp_path: Path) -> None:
    write_json(tmp_path / "JP" / "items.json", {"country": "JP", "language": "ja", "items": [{"key": "x"}]})
    result = run_lnm("catalogue", "list", "--catalogue", str(tmp_path))
    assert result.code == 2
    assert "items.json" in result.err and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


def test_catalogue_list_json_fields() -> None:
    result = run_lnm("catalogue", "list", "--format", "json")
    assert result.code == 0
    entries = result.json()
    assert {e["kind"] for e in entries} == {"template", "item", "button", "flexible"}
    for entry in entries:
        assert entry["country"] in ("JP", "TH", "TW")
        assert entry["language"] in ("ja", "th", "zh-Hant")
        assert entry["provenance"] in ("documented", "illustrative", "example")
        assert (entry["provenance"] == "example") == (entry["kind"] == "flexible")
        assert entry["title"] and entry["label"] and entry["key"]


def test_catalogue_list_has_a_header_and_a_legend_on_standard_output() -> None:
    result = run_lnm("catalogue", "list", "--country", "TW")
    lines = result.out.splitlines()
    assert result.code == 0 and result.err == ""
    assert lines[0].split() == ["KIND", "COUNTRY", "LANGUAGE", "KEY", "LABEL", "(ENGLISH)"]
    rows = [line for line in lines[1:] if line.startswith(("template ", "item ", "button "))]
    cat = load_catalogue()
    assert len(rows) == sum(1 for _ in cat.entries("TW"))
    templates = sum(1 for t in cat.templates.values() if t.country == "TW")
    assert lines[-3].startswith(f"{templates} templates, ") and "* = documented by LINE" in lines[-3]
    assert "4 flexible starters" in lines[-3] and lines[-1].startswith("lnm new KEY")
    assert sum(1 for line in lines if line.startswith("flexible TW ")) == 4


def test_catalogue_show_is_readable_and_json_on_request() -> None:
    result = run_lnm("catalogue", "show", "shipment_completed_ja")
    assert result.code == 0
    text = result.out
    assert text.startswith("shipment_completed_ja: 発送完了のお知らせ (Shipment completed)\n")
    assert "language ja, documented by LINE" in text
    template = load_catalogue().templates["shipment_completed_ja"]
    for key in (*template.items, *template.buttons):
        assert f" {key} " in text, key
    emphasizable = [line.split()[1] for line in text.splitlines() if line.startswith("  !")]
    assert sorted(emphasizable) == sorted(template.emphasizable)
    assert "date_002_ja" in text and "Scheduled delivery date; e.g. 2024年8月10日(土)" in text
    as_json = run_lnm("catalogue", "show", "shipment_completed_ja", "--format", "json")
    data = json.loads(as_json.out)
    assert data["provenance"] == "documented" and data["itemDetails"]
    missing = run_lnm("catalogue", "show", "shipment_complete_ja")
    assert missing.code == 2 and "did you mean 'shipment_completed_ja'" in missing.err


def test_data_root_is_the_source_tree() -> None:
    assert data_root() == ROOT
    assert re.match(r"^[a-z]", next(iter(load_catalogue().templates)))


def test_did_you_mean_picks_what_difflib_picks() -> None:
    """``closest`` measures fewer candidates than ``difflib.get_close_matches`` but must choose the
    same one (or none), ties included, for misspelt keys and for strings unlike any key."""
    import difflib
    import random

    from toolkit.errors import closest
    from toolkit.spec.catalogue import load_catalogue

    catalogue = load_catalogue()
    rng = random.Random(13)
    pools = [list(catalogue.items), list(catalogue.buttons), list(catalogue.templates),
             ["ab", "ba", "abc", "acb", "bca", "aab", "abb"]]  # many ties
    for pool in pools:
        for _ in range(150):
            word = list(rng.choice(pool))
            for _ in range(rng.randint(0, 4)):  # insert, delete or replace a few characters
                at = rng.randrange(len(word) + 1)
                op = rng.choice("idr")
                if op == "i" or not word:
                    word.insert(at, rng.choice("abcdjx_0123"))
                elif op == "d" and at < len(word):
                    del word[at]
                elif at < len(word):
                    word[at] = rng.choice("abcdjx_0123")
            text = "".join(word)
            expected = next(iter(difflib.get_close_matches(text, pool, n=1, cutoff=0.6)), None)
            assert closest(text, pool) == expected, (text, pool[:3])
