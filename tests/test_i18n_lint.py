"""lnm lint in every UI language: the words follow the language, the machine surfaces never do.

Findings are made as :class:`~toolkit.i18n.Text` (the English message that remembers its msgid),
so codes, pointers, JSON keys, exit statuses, fingerprints and baselines are the same in English,
Japanese, Thai and Traditional Chinese, while the message, fix and summary are shown in the UI
language. Where a catalogue already translates a message, the test checks the translation is
what is shown; where it does not yet, that English is.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from tests.conftest import EXAMPLES, SPEC_BODY, run_lnm
from toolkit import i18n
from toolkit.findings import Finding
from toolkit.i18n import Text
from toolkit.lint.codequality import format_gitlab
from toolkit.lint.engine import LintReport, LintSettings, lint_paths
from toolkit.lint.report import format_json, format_text
from toolkit.lint.ruledocs import page_name
from toolkit.lint.sarif import sarif_log
from toolkit.rules import default_table
from toolkit.spec.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "tests" / "rules"
LOCALE = ROOT / "toolkit" / "locale"
OTHERS = ("ja", "th", "zh-Hant")
#: Messages these codes carry come from the spec reader (placeholder and spec errors), not a rule.
FROM_THE_SPEC = frozenset({"A090", "A091"})


@cache
def _msgids(domain: str) -> frozenset[str]:
    with open(LOCALE / f"{domain}.pot", "rb") as handle:
        return frozenset(str(m.id) for m in read_po(handle) if m.id and isinstance(m.id, str))


@cache
def _report() -> LintReport:
    """Every rule fixture and shipped example, linted in this process with every rule (jobs=1)."""
    return lint_paths([str(RULES_DIR), str(EXAMPLES)], default_table(), load_catalogue(), LintSettings(), jobs=1)


def _api_bodies(folder: Path) -> Path:
    """Request bodies and a spec breaking the API checks the rule fixtures leave out (A001-A033, A091)."""
    folder.mkdir(parents=True, exist_ok=True)
    body = json.loads(json.dumps(SPEC_BODY))
    body["to"] = "+818000001234"
    body["customAggregationUnits"] = ["bad unit!", "x" * 31]
    body["extra"] = 1
    items = body["body"]["items"]
    items += [{"itemKey": "nope_001_ja", "content": "x"}, {"itemKey": "price_001_th", "content": "1"},
              {"itemKey": "date_002_ja", "content": "8/10"}]
    items += [{"itemKey": "number_001_ja", "content": str(i)} for i in range(10)]
    body["body"]["emphasizedItem"]["content"] = "2024年8月10日(土) 午前中のお届け"
    body["body"]["buttons"] += [{"buttonKey": "nope_ja", "url": "https://example.com/" + "a" * 1000},
                                {"buttonKey": "contact_ja", "url": "https://example.com/"}]
    (folder / "template.json").write_text(json.dumps(body), encoding="utf-8")
    (folder / "unknown.json").write_text(json.dumps({**SPEC_BODY, "templateKey": "nope_001_ja", "to": "A" * 64}),
                                         encoding="utf-8")
    flexible = {"to": SPEC_BODY["to"], "messages": [
        {"type": "image", "originalContentUrl": "https://example.com/a.png"},
        {"type": "text", "text": "x" * 5001},
        {"type": "flex", "altText": "x" * 1501, "contents": {"type": "bubble"}},
        {"type": "text", "text": "a"}, {"type": "text", "text": "b"}, {"type": "text", "text": "c"}]}
    (folder / "flexible.json").write_text(json.dumps(flexible), encoding="utf-8")
    spec = {"kind": "template", "templateKey": "shipment_completed_ja", "deliveryTag": "short",
            "body": {"emphasizedItem": {"itemKey": "date_002_ja", "content": "8/10"}},
            "samples": "not an object"}
    (folder / "spec.json").write_text(json.dumps(spec), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def all_findings(tmp_path_factory: pytest.TempPathFactory) -> list[Finding]:
    """The findings of :func:`_report`, of the API bodies, and of the fixtures that need rule options."""
    table, catalogue = default_table(), load_catalogue()
    found = list(_report().findings())
    found += lint_paths([str(_api_bodies(tmp_path_factory.mktemp("api")))], table, catalogue, LintSettings(),
                        jobs=1).findings()
    for options in sorted(RULES_DIR.glob("*/bad/*.options.json")):
        case = options.with_name(options.name.replace(".options.json", ".json"))
        settings = LintSettings(options=json.loads(options.read_text(encoding="utf-8")))
        found += lint_paths([str(case)], table, catalogue, settings, jobs=1).findings()
    return found


def _texts(value: Any) -> list[Text]:
    """``value`` and every Text among its arguments, nested ones too."""
    if not isinstance(value, Text):
        return []
    return [value, *(t for arg in value.args.values() for t in _texts(arg))]


def _machine(report_json: dict[str, Any]) -> list[Any]:
    """What a program reads of a JSON report: everything but the words."""
    return [(entry["path"], [{k: v for k, v in f.items() if k not in ("message", "fix")} for f in entry["findings"]],
             sorted(entry)) for entry in report_json["files"]] + [report_json["summary"]]


def test_every_finding_message_is_a_msgid_of_the_catalogue(all_findings: list[Finding]) -> None:
    findings = all_findings
    codes = {f.code for f in findings}
    assert not set(default_table()) - codes, sorted(set(default_table()) - codes)  # every rule spoke
    ui = _msgids("lnm")
    missing = []
    for f in findings:
        if f.code in FROM_THE_SPEC and not isinstance(f.message, Text):
            continue
        if not isinstance(f.message, Text):
            missing.append((f.code, "not a Text", f.message))
        for text in _texts(f.message):
            if text.msgid not in ui:
                missing.append((f.code, "not in lnm.pot", text.msgid))
        if f.fix is not None:
            if not isinstance(f.fix, Text):
                missing.append((f.code, "fix not a Text", f.fix))
            elif f.fix.msgid not in ui and f.fix.msgid not in _msgids("lnm_rules"):
                missing.append((f.code, "fix not in a catalogue", f.fix.msgid))
    assert not missing, missing[:20]


def test_rule_fixes_and_docs_are_in_the_rules_catalogue() -> None:
    rules = _msgids("lnm_rules")
    for rule in default_table().rules():
        assert isinstance(rule.fix, Text) and rule.fix in rules
        assert all(p in rules for p in rule.paragraphs)


@pytest.mark.parametrize("language", OTHERS)
def test_messages_are_shown_in_the_ui_language_when_translated(language: str) -> None:
    english = json.loads(format_json(_report()))
    with i18n.using(language):
        shown = json.loads(format_json(_report()))
        text = format_text(_report())
    assert _machine(shown) == _machine(english)
    findings = list(_report().findings())
    listed = [f for entry in shown["files"] for f in entry["findings"]]
    assert len(listed) == len(findings)
    for finding, data in zip(findings, listed, strict=True):
        expected = i18n.localize(finding.message, language)
        assert data["message"] == expected
        if isinstance(finding.message, Text) and i18n._gettext(finding.message.msgid, language) != finding.message.msgid:
            assert data["message"] != str(finding.message)  # a translated message is not shown in English
        assert f"{finding.code} {expected}" in text


def _gitlab_fingerprints(report: LintReport) -> list[str]:
    return [issue["fingerprint"] for issue in json.loads(format_gitlab(report))]


def _sarif_fingerprints(log: dict[str, Any]) -> list[str]:
    return [r["partialFingerprints"]["lnmFinding/v1"] for r in log["runs"][0]["results"]]


@pytest.mark.parametrize("language", OTHERS)
def test_sarif_and_gitlab_words_follow_the_language_and_fingerprints_do_not(language: str) -> None:
    report, table = _report(), default_table()
    english = sarif_log(report, table)
    with i18n.using(language):
        shown = sarif_log(report, table)
        gitlab = _gitlab_fingerprints(report)
    assert english["runs"][0]["language"] == "en"
    assert shown["runs"][0]["language"] == i18n.html_lang(language)
    assert _sarif_fingerprints(shown) == _sarif_fingerprints(english)
    assert gitlab == _gitlab_fingerprints(report)
    assert [r["ruleId"] for r in shown["runs"][0]["results"]] == [r["ruleId"] for r in english["runs"][0]["results"]]
    rules = {r["id"]: r for r in shown["runs"][0]["tool"]["driver"]["rules"]}
    for rule in table.rules():
        if rule.code in rules:
            with i18n.using(language):
                assert rules[rule.code]["shortDescription"]["text"] == rule.local_summary()
                assert rules[rule.code]["helpUri"] == rule.doc_url  # the same anchors in every language


def test_a_fingerprint_is_of_the_english_message() -> None:
    from toolkit.lint.baseline import fingerprint

    message = i18n.N_("The unit name must be at most {limit} characters; it is {length}.", limit=30, length=31)
    finding = Finding("A004", "invalid-aggregation-unit", default_table()["A004"].severity, message, ("x",), file="a.json")
    with i18n.using("ja"):
        ja = fingerprint(finding, ".")
    plain = Finding("A004", "invalid-aggregation-unit", finding.severity, str(message), ("x",), file="a.json")
    assert ja == fingerprint(plain, ".")


@pytest.mark.parametrize("language", OTHERS)
def test_the_cli_gives_the_same_codes_pointers_and_exit_status(tmp_path: Path, language: str) -> None:
    target = str(RULES_DIR / "G010-promotional-wording" / "bad")
    english = run_lnm("lint", "--no-config", "--format", "json", "--show-info", target)
    shown = run_lnm("lint", "--no-config", "--format", "json", "--show-info", target, env={"LNM_UI_LANG": language})
    assert english.code == shown.code == 1, (english.err, shown.err)
    assert _machine(shown.json()) == _machine(english.json())
    sarif = run_lnm("lint", "--no-config", "--format", "sarif", target, env={"LNM_UI_LANG": language})
    assert sarif.code == 1
    assert sarif.json()["runs"][0]["language"] == i18n.html_lang(language)


def test_a_baseline_written_in_english_matches_a_run_in_japanese(tmp_path: Path) -> None:
    target = str(RULES_DIR / "G010-promotional-wording" / "bad")
    baseline = tmp_path / "baseline.json"
    written = run_lnm("lint", "--no-config", "--write-baseline", str(baseline), target, env={"LNM_UI_LANG": "en"})
    assert written.code == 0, written.err
    again = run_lnm("lint", "--no-config", "--format", "json", "--baseline", str(baseline), target,
                    env={"LNM_UI_LANG": "ja"})
    assert again.code == 0, again.err
    data = again.json()
    assert not [f for entry in data["files"] for f in entry["findings"]]
    assert data["summary"]["baselined"] > 0
    # And in this process, where the language is surely Japanese: the baseline drops every finding.
    from toolkit.lint.baseline import apply_baseline

    report = lint_paths([target], default_table(), load_catalogue(), LintSettings(), jobs=1)
    before = len(list(report.findings()))
    with i18n.using("ja"):
        assert apply_baseline(report, str(baseline)) == before
    assert not list(report.findings())


def test_findings_made_in_worker_processes_stay_texts() -> None:
    """A batch large enough for forked workers: its findings come back as Text, msgids and all."""
    files = sorted(str(p) for p in RULES_DIR.glob("*/bad/*.json") if not p.name.endswith((".expected.json",
                                                                                         ".options.json")))
    from toolkit.lint import engine

    work = (files * (engine.PARALLEL_THRESHOLD // max(len(files), 1) + 1))[:engine.PARALLEL_THRESHOLD]
    report = lint_paths(work, default_table(), load_catalogue(), LintSettings(), jobs=2)
    messages = [f.message for f in report.findings() if f.code not in FROM_THE_SPEC]
    assert messages and all(isinstance(m, Text) and m.msgid in _msgids("lnm") for m in messages)


@pytest.mark.parametrize("language", ("en", *OTHERS))
def test_rule_pages_link_each_other_and_keep_the_anchors(language: str) -> None:
    """(That the committed pages are up to date is tests/test_rules_units.py's.)"""
    expected = (ROOT / "docs" / page_name(language)).read_text(encoding="utf-8")
    for other in ("en", *OTHERS):
        if other != language:
            assert f"]({page_name(other)})" in expected.split("\n# ", 1)[0]  # linked at the top
    for rule in default_table().rules():
        assert f"### {rule.code} {rule.name}\n" in expected  # the same heading, so the same anchor


@pytest.mark.parametrize("language", OTHERS)
def test_lnm_rules_json_follows_the_language(language: str) -> None:
    table = default_table()
    with i18n.using(language):
        listed = [rule.to_dict() for rule in table.rules()]
    english = [rule.to_dict() for rule in table.rules()]
    assert [sorted(d) for d in listed] == [sorted(d) for d in english]
    for rule, data, base in zip(table.rules(), listed, english, strict=True):
        assert (data["code"], data["doc_url"], data["severity"]) == (base["code"], base["doc_url"], base["severity"])
        assert data["summary"] == i18n.localize(Text(rule.summary), language)
        assert data["fix"] == i18n.localize(rule.fix, language)
    proc = run_lnm("rules", "--format", "json", env={"LNM_UI_LANG": language})
    assert proc.code == 0, proc.err
    assert proc.json() == listed  # the command speaks the language LNM_UI_LANG names
    one = run_lnm("rules", "A002", "--format", "json", "--ui-lang", language)
    assert one.code == 0, one.err
    with i18n.using(language):
        assert one.json()["doc"] == table["A002"].local_doc()


def test_config_errors_are_marked(tmp_path: Path) -> None:
    (tmp_path / "lnm.toml").write_text('select = ["G999"]\n', encoding="utf-8")
    proc = run_lnm("lint", "--config", str(tmp_path / "lnm.toml"), str(RULES_DIR / "G010-promotional-wording" / "bad"))
    assert proc.code == 2 and "unknown rule 'G999'; see lnm rules" in proc.err
    assert "Traceback" not in proc.err
    assert "unknown rule {rule}; see lnm rules" in _msgids("lnm")
    assert os.path.exists(LOCALE / "ja" / "LC_MESSAGES" / "lnm.mo")
