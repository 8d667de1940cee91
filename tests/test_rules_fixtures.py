"""Every guideline rule against its good and bad fixtures (tests/rules/<code>-<name>/{good,bad}).

A fixture is a spec or a raw API body; a bad one has ``<case>.expected.json`` beside it listing the
findings (code and JSON pointer, optionally ``contains``: words the message must hold) the rule must
report, no more and no fewer; a good one must get none from its rule. A case with ``<case>.options.json`` runs with those rule options.

File names start with the languages the case covers (``th_...``, ``ja+en_...``, ``all_...``), so
that a test can check each rule is tried in every language it reads.

All plain cases go through the real CLI in one subprocess (``lnm lint --format json --show-info
--select`` with every guideline code that has fixtures); cases with options, and the cases of a
rule that speaks once per run (whose other findings a batch run folds into its first), go through
the Python API with the same engine, one file at a time; a few also through the CLI with a
configuration file.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from toolkit.lint.engine import LintSettings, lint_paths, lint_source
from toolkit.rules import api_flex, api_messages, default_table
from toolkit.spec.catalogue import load_catalogue
from toolkit.spec.source import load_source

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "tests" / "rules"
ALL = frozenset({"ja", "th", "zh-Hant", "zh-Hans", "en"})
TEMPLATE = frozenset({"ja", "th", "zh-Hant"})
NONE: frozenset[str] = frozenset()

#: The languages each rule reads, and so must be tried in (good and bad).
RULE_LANGUAGES: dict[str, frozenset[str]] = {
    "G001": TEMPLATE, "G002": TEMPLATE, "G003": TEMPLATE, "G004": TEMPLATE, "G005": TEMPLATE,
    "G006": frozenset({"th"}),
    **{code: ALL for code in ("G010", "G011", "G012", "G013", "G014")},
    **{code: ALL for code in ("G020", "G021", "G022", "G023", "G024", "G025")},
    **{code: ALL for code in ("G030", "G031", "G032", "G033", "G040", "G041", "G042")},
    "G043": frozenset({"th", "en"}), "G044": frozenset({"zh-Hant", "en"}), "G045": frozenset({"ja", "en"}),
    "G050": TEMPLATE, "G051": TEMPLATE, "G052": ALL, "G053": ALL,
    "G060": NONE, "G061": ALL, "G064": NONE, "G065": NONE, "G070": NONE,
    # Colours and sizes read no language; small essential text knows dates and times in these.
    "G080": NONE, "G081": NONE, "G083": NONE, "G084": NONE, "G082": frozenset({"ja", "th", "zh-Hant", "en"}),
}


#: Where the good cases need other languages than the bad ones: every shipped TH and TW key is
#: illustrative, so only LINE's documented Japanese keys make a good case for G002.
GOOD_LANGUAGES: dict[str, frozenset[str]] = {"G002": frozenset({"ja"})}


def _cases() -> list[Path]:
    return sorted(p for p in RULES_DIR.glob("*/*/*.json")
                  if not p.name.endswith((".expected.json", ".options.json")))


CASES = _cases()


def _sidecar(case: Path, kind: str) -> Path:
    return case.with_name(case.name[: -len(".json")] + f".{kind}.json")


def _code(case: Path) -> str:
    return case.parent.parent.name.split("-", 1)[0]


def _languages(case: Path) -> set[str]:
    prefix = case.name.split("_", 1)[0]
    return set(ALL) if prefix == "all" else set(prefix.split("+"))


def _run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LNM_CATALOGUE"}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300, check=False)


def _pairs(findings: list[dict[str, Any]], code: str) -> list[tuple[str, str]]:
    return sorted((f["code"], f["pointer"]) for f in findings if f["code"] == code)


@pytest.fixture(scope="session")
def cli_findings() -> dict[Path, dict[str, Any]]:
    """Findings of every plain case, from one run of the real CLI."""
    plain = [c for c in CASES if not _sidecar(c, "options").exists() and not _once_per_run(c)]
    codes = sorted({_code(c) for c in plain})
    proc = _run_cli("lint", "--no-config", "--format", "json", "--show-info", "--select", ",".join(codes),
                    *map(str, plain))
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    return {Path(entry["path"]).resolve(): entry for entry in report["files"]}


def _skip_unless_catalogued(case: Path) -> None:
    data = json.loads(case.read_text(encoding="utf-8"))
    key = data.get("templateKey")
    if isinstance(key, str) and key not in load_catalogue().templates:
        country = {"ja": "JP", "th": "TH", "tw": "TW"}.get(key.rsplit("_", 1)[-1], "?")
        if not any(t.country == country for t in load_catalogue().templates.values()):
            pytest.skip(f"the {country} catalogue is not in template_library yet")
        pytest.fail(f"{case}: template {key} is not in the shipped catalogue")


def _once_per_run(case: Path) -> bool:
    return default_table()[_code(case)].once_per_run


def _findings_of_one_file(case: Path) -> dict[str, Any]:
    settings = LintSettings(select=frozenset({_code(case)}))
    _count, findings = lint_source(load_source(str(case)), default_table(), load_catalogue(), settings)
    return {"findings": [f.to_dict() for f in findings]}


def _findings_with_options(case: Path) -> dict[str, Any]:
    options = json.loads(_sidecar(case, "options").read_text(encoding="utf-8"))
    settings = LintSettings(select=frozenset({_code(case)}), options=options)
    report = lint_paths([str(case)], default_table(), load_catalogue(), settings, jobs=1)
    (result,) = report.files
    assert result.error is None, result.error
    return {"findings": [f.to_dict() for f in result.findings]}


@pytest.mark.parametrize("case", CASES, ids=[str(c.relative_to(RULES_DIR)) for c in CASES])
def test_fixture(case: Path, cli_findings: dict[Path, dict[str, Any]]) -> None:
    _skip_unless_catalogued(case)
    code = _code(case)
    if _sidecar(case, "options").exists():
        entry = _findings_with_options(case)
    elif _once_per_run(case):
        entry = _findings_of_one_file(case)
    else:
        entry = cli_findings[case.resolve()]
        assert "error" not in entry, entry.get("error")
    got = _pairs(entry["findings"], code)
    if case.parent.name == "good":
        assert got == [], f"{code} fired on a good case: {entry['findings']}"
    else:
        expected = json.loads(_sidecar(case, "expected").read_text(encoding="utf-8"))["findings"]
        assert got == sorted((f["code"], f["pointer"]) for f in expected), entry["findings"]
        for want in expected:  # an expected finding may also name its LINE property and words its message holds
            same = [f for f in entry["findings"] if (f["code"], f["pointer"]) == (want["code"], want["pointer"])]
            if "property" in want:
                assert all(f["property"] == want["property"] for f in same), same
            messages = [f["message"] for f in same]
            for words in want.get("contains", ()):
                assert any(words in m for m in messages), (words, messages)


def test_every_guideline_rule_has_good_and_bad_cases_in_its_languages() -> None:
    problems = []
    guideline_rules = [r for r in default_table().rules() if r.group == "guideline"]
    for rule in guideline_rules:
        folder = RULES_DIR / f"{rule.code}-{rule.name}"
        if not folder.is_dir():
            problems.append(f"{rule.code}: no folder {folder.name}")
            continue
        needed = RULE_LANGUAGES.get(rule.code)
        if needed is None:
            problems.append(f"{rule.code}: add it to RULE_LANGUAGES")
            continue
        for kind in ("good", "bad"):
            if kind == "good":
                needed = GOOD_LANGUAGES.get(rule.code, RULE_LANGUAGES[rule.code])
            else:
                needed = RULE_LANGUAGES[rule.code]
            cases = [c for c in CASES if c.parent == folder / kind]
            if not cases:
                problems.append(f"{rule.code}: no {kind} case")
            covered = set().union(*(_languages(c) for c in cases)) if cases else set()
            if needed - covered:
                problems.append(f"{rule.code}: no {kind} case in {sorted(needed - covered)}")
    assert not problems, "\n".join(problems)
    assert len(guideline_rules) >= 24


def test_every_flex_api_check_has_good_and_bad_cases_with_line_paths() -> None:
    """The Flex checks (A040-A055): a good and a bad case each; every expected finding names its LINE property."""
    problems = []
    for rule in (*api_flex.RULES, *api_messages.RULES):
        folder = RULES_DIR / f"{rule.code}-{rule.name}"
        for kind in ("good", "bad"):
            if not [c for c in CASES if c.parent == folder / kind]:
                problems.append(f"{rule.code}: no {kind} case in {folder.name}")
        for case in (c for c in CASES if c.parent == folder / "bad"):
            expected = json.loads(_sidecar(case, "expected").read_text(encoding="utf-8"))["findings"]
            problems.extend(f"{case.name}: no property for {f['pointer']}" for f in expected if "property" not in f)
    assert not problems, "\n".join(problems)


def test_every_bad_case_lists_its_findings() -> None:
    for case in CASES:
        assert _languages(case) <= ALL, f"{case.name}: start the name with languages (ja+th_...) or all_"
        expected = _sidecar(case, "expected")
        if case.parent.name == "bad":
            data = json.loads(expected.read_text(encoding="utf-8"))
            assert data["findings"], case
            assert all(f["code"] == _code(case) for f in data["findings"]), case
        else:
            assert not expected.exists(), f"{case}: a good case expects nothing"


def test_options_through_the_cli_with_a_configuration_file(tmp_path: Path) -> None:
    """allowed-domains and extra-shorteners read from lnm.toml by the real CLI."""
    config = tmp_path / "lnm.toml"
    config.write_text('[options]\nallowed-domains = ["kawase-foods.co.jp"]\nextra-shorteners = ["go.kawase.jp"]\n',
                      encoding="utf-8")
    body = {"to": "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c",
            "messages": [{"type": "text", "text": "See https://shop.kawase-foods.co.jp/o and https://www.other.jp/x"},
                         {"type": "text", "text": "Track: https://go.kawase.jp/x1"}]}
    path = tmp_path / "msg.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    proc = _run_cli("lint", "--config", str(config), "--format", "json", "--select", "G021,G024", str(path))
    assert proc.returncode == 1, proc.stderr
    findings = json.loads(proc.stdout)["files"][0]["findings"]
    assert sorted((f["code"], f["pointer"]) for f in findings) == [
        ("G021", "/messages/1/text"), ("G024", "/messages/0/text"), ("G024", "/messages/1/text")]
    assert "www.other.jp" in next(f["message"] for f in findings if f["pointer"] == "/messages/0/text")
