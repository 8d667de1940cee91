"""Clean runs are quiet: the shipped examples, linted in every format, through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pytest

from .conftest import EXAMPLES, ROOT

Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess

SPECS = len(list(EXAMPLES.rglob("*.json")))


@pytest.fixture(scope="module")
def hidden() -> int:
    """How many info notes the examples have (all of them hidden by default)."""
    from .conftest import run_lnm

    result = run_lnm("lint", "--format", "json", "--show-info", str(EXAMPLES))
    assert result.code == 0, result.err
    summary = result.json()["summary"]
    assert summary["error"] == summary["warning"] == 0 and summary["info"] > 0
    return int(summary["info"])


def test_text_prints_nothing_at_all(lnm: Run) -> None:
    for args in ((), ("-q",)):
        result = lnm("lint", *args, str(EXAMPLES))
        assert (result.code, result.out, result.err) == (0, "", "")


def test_json_lists_the_files_with_no_findings_and_counts_the_hidden_notes(lnm: Run, hidden: int) -> None:
    result = lnm("lint", "--format", "json", str(EXAMPLES))
    report = result.json()
    assert result.code == 0 and result.err == ""
    assert len(report["files"]) == SPECS and all(f["findings"] == [] for f in report["files"])
    summary = report["summary"]
    assert (summary["files"], summary["findings"], summary["hidden"]) == (SPECS, 0, hidden)
    assert summary["samples"] == summary["messages"] > SPECS and summary["bodies"] == 0


def test_sarif_has_no_results_and_describes_no_rules(lnm: Run) -> None:
    result = lnm("lint", "--format", "sarif", str(EXAMPLES))
    (run,) = result.json()["runs"]
    assert result.code == 0 and run["results"] == [] and run["tool"]["driver"]["rules"] == []
    assert len(result.out.splitlines()) < 40


def test_junit_has_a_passing_case_per_file(lnm: Run) -> None:
    result = lnm("lint", "--format", "junit", str(EXAMPLES))
    root = ET.fromstring(result.out)
    cases = list(root.iter("testcase"))
    assert result.code == 0 and root.get("failures") == "0" and len(cases) == SPECS
    assert all(len(case) == 0 for case in cases)  # no failure, no error, no system-out


def test_github_prints_one_summary_line_and_no_annotation(lnm: Run, hidden: int) -> None:
    result = lnm("lint", "--format", "github", str(EXAMPLES))
    samples = lnm("lint", "--format", "json", str(EXAMPLES)).json()["summary"]["samples"]
    assert result.code == 0
    assert result.out == (f"lnm lint: {SPECS} files, {samples} samples: no problems; "
                          f"{hidden} info notes not shown (--show-info)\n")
    assert lnm("lint", "--format", "github", "-q", str(EXAMPLES)).out == ""


def test_show_info_brings_the_notes_back_and_g002_speaks_once(lnm: Run, hidden: int) -> None:
    text = lnm("lint", "--show-info", str(EXAMPLES))
    heads = [line for line in text.out.splitlines() if line.startswith(str(EXAMPLES))]
    assert text.code == 0 and len(heads) == hidden
    g002 = [line for line in heads if " G002 " in line]
    templates = sum(1 for p in EXAMPLES.rglob("*.json")
                    if json.loads(p.read_text(encoding="utf-8")).get("kind") == "template")
    assert len(g002) == 1 and f"more like this in {templates} files" in g002[0]
    assert text.out.splitlines()[-1].endswith(f"0 errors, 0 warnings, {hidden} info notes")
    same = lnm("lint", "--min-severity", "info", "--format", "json", str(EXAMPLES)).json()["summary"]
    assert same["info"] == hidden and same["hidden"] == 0


def test_info_notes_when_asked_are_sarif_notes_and_junit_output_not_failures(lnm: Run, hidden: int) -> None:
    sarif = lnm("lint", "--format", "sarif", "--show-info", str(EXAMPLES)).json()["runs"][0]
    assert len(sarif["results"]) == hidden and {r["level"] for r in sarif["results"]} == {"note"}
    junit = ET.fromstring(lnm("lint", "--format", "junit", "--show-info", str(EXAMPLES)).out)
    assert junit.get("failures") == "0" and not list(junit.iter("failure"))
    notes = [case.findtext("system-out") or "" for case in junit.iter("testcase")]
    assert sum(text.count("\n") + 1 for text in notes if text) == hidden
    failing = ET.fromstring(lnm("lint", "--format", "junit", "--show-info", "--fail-on", "info",
                                str(EXAMPLES)).out)
    assert failing.get("failures") == str(hidden) and len(list(failing.iter("failure"))) == hidden


def test_docs_url_from_the_configuration(lnm: Run, tmp_path: Path) -> None:
    spec = tmp_path / "shipped.json"
    spec.write_text((EXAMPLES / "JP" / "shipment_completed_ja.json").read_text(encoding="utf-8")
                    .replace("{{ order.total | money('JPY') }}", "今だけ 50% OFF"), encoding="utf-8")
    default = lnm("lint", "--format", "json", str(spec)).json()["files"][0]["findings"]
    installed = (ROOT / "docs" / "rules.md").as_uri()
    assert default and all(f["doc_url"].startswith(installed + "#") for f in default)
    (tmp_path / "lnm.toml").write_text('docs-url = "https://docs.example.jp/lnm/rules.html"\n', encoding="utf-8")
    sarif = lnm("lint", "--format", "sarif", str(spec)).json()["runs"][0]["tool"]["driver"]["rules"]
    assert sarif and all(r["helpUri"].startswith("https://docs.example.jp/lnm/rules.html#") for r in sarif)
    (tmp_path / "lnm.toml").write_text('docs-url = "handbook/rules.md"\n', encoding="utf-8")
    local = lnm("lint", "--format", "json", str(spec)).json()["files"][0]["findings"]
    assert local[0]["doc_url"].startswith((tmp_path / "handbook" / "rules.md").as_uri() + "#")
