"""The pieces under the guideline rules: checksums, display width, word matching, the data files
and their schemas, the generated rule documentation, and the shipped examples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from toolkit.lint.ruledocs import rules_markdown
from toolkit.rules import default_table, guidelines
from toolkit.rules._text import LANGUAGES, WORDLISTS, display_width
from toolkit.rules._wordmatch import matcher
from toolkit.rules.privacy import luhn_valid, my_number_valid, taiwan_id_valid, thai_id_valid

ROOT = Path(__file__).resolve().parent.parent
GUIDELINE_RULES = tuple(r for r in default_table().rules() if r.group == "guideline")
SCHEMAS = ROOT / "schemas"


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "LNM_CATALOGUE"}
    env["NO_COLOR"] = "1"
    return subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=300, check=False)


# --- checksums --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("number", "valid"), [
    ("4111111111111111", True), ("5555555555554444", True), ("378282246310005", True),
    ("4111111111111112", False), ("79927398713", True), ("79927398710", False)])
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_valid(number) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("1101700230708", True), ("1101700230709", False), ("9101700230708", False),
    ("110170023070", False)])
def test_thai_national_id(number: str, valid: bool) -> None:
    assert thai_id_valid(number) is valid


@pytest.mark.parametrize(("number", "valid"), [
    ("A123456789", True), ("F131104093", True), ("A123456788", False), ("A323456789", False), ("I123456789", False)])
def test_taiwan_national_id(number: str, valid: bool) -> None:
    assert taiwan_id_valid(number) is valid


def test_my_number_check_digit() -> None:
    assert my_number_valid("123456789018")
    assert [d for d in "0123456789" if my_number_valid("12345678901" + d)] == ["8"]
    assert not my_number_valid("12345678901")


# --- width and matching -----------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "width"), [
    ("abc", 3), ("日本", 4), ("ＡＢ", 4), ("ｱｲ", 2), ("กี่", 1), ("ที่นี่", 2), ("👍🏽", 2), ("a\u200bb", 2),
    ("2024年8月10日(土)", 17)])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize(("text", "words"), [
    ("お得意様へ", []), ("お得なセール", ["お得", "セール"]), ("セールス部より", []),
    ("โปรดชำระเงิน", []), ("โปรพิเศษ", ["โปร"]), ("免費客服專線", []), ("全館免費", ["免費"]),
    ("wholesale order", []), ("Big SALE today", ["sale"]), ("ｾｰﾙ開催", ["セール"]), ("１０％ＯＦＦ", ["10%off"])])
def test_promotional_matching(text: str, words: list[str]) -> None:
    assert [m.word for m in matcher("promotional").find(text)] == words


def test_screened_matching_finds_the_same_words() -> None:
    """After a few hundred texts the words are screened by one compiled expression; same results."""
    texts = ["お得なタイムセール", "お得意様へ", "ｾｰﾙ 10%OFF", "โปรดชำระ โปรพิเศษ", "Big SALE, save up to $20",
             "全館免費 免費客服", "満額 买一送一 8折", "ご注文の商品を発送しました", "1" * 50]
    fresh = matcher("promotional", {"ja": ["screen-test-word"]})
    before = [fresh.find(t) for t in texts]
    for _ in range(300):
        fresh.find("no words here")
    assert fresh._screen is not None
    assert [fresh.find(t) for t in texts] == before
    assert any(before)


def test_extra_words_per_language_and_as_a_list() -> None:
    assert [m.word for m in matcher("promotional", {"en": ["giveaway"]}).find("A giveaway!")] == ["giveaway"]
    assert matcher("promotional", {"en": ["give"]}).find("A giveaway!") == []  # English: whole words
    assert [m.word for m in matcher("promotional", ["抽選会"]).find("夏の抽選会")] == ["抽選会"]


@pytest.mark.parametrize("text", [
    "1" * 5000, "1%" * 2500, "?" * 5000, "กี่" * 1600, "セール" * 1600, "a." * 2500, "1 " * 2500, "www." * 1250,
    "https://a.jp/" + "x" * 4900, "0-" * 2500, "AB " * 1600], ids=lambda t: repr(t[:6]))
def test_long_degenerate_text_is_linted_in_linear_time(text: str) -> None:
    """A 5,000-character text (LINE's maximum) of one repeated pattern: no rule may backtrack."""
    import time

    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import messages_from_document

    body = {"to": "0" * 64, "messages": [{"type": "text", "text": text},
                                         {"type": "flex", "altText": text[:1500], "contents": {
                                             "type": "bubble", "body": {"type": "box", "layout": "vertical",
                                                                        "contents": [{"type": "text", "text": text}]}}}]}
    (message,) = messages_from_document(body, load_catalogue(), path="x.json")
    start = time.perf_counter()
    for rule in GUIDELINE_RULES:
        if message.kind in rule.applies_to:
            list(rule.check(message))
    assert time.perf_counter() - start < 1.0  # quadratic patterns took 2 s and more here


WEIRD_BODIES = [
    {"to": "x", "messages": [{"type": {"a": 1}, "text": 5}, {"type": "flex", "altText": None, "contents": "bubble"},
                             {"type": "flex", "altText": "x", "contents": {"type": "carousel", "contents": [None, 1, {"type": []}]}}]},
    {"to": "x", "messages": [{"type": "flex", "altText": "x", "contents": {
        "type": "bubble", "size": 7, "body": {"type": "box", "layout": "horizontal", "contents": [
            None, {"type": "text", "text": ["a"], "size": {"x": 1}, "flex": "2"}, {"type": "button", "action": "uri"},
            {"type": "button", "action": {"type": "uri", "label": 5, "uri": {"u": 1}, "altUri": "x"}},
            {"type": "image", "url": 3}, {"type": ["image"]}]}}}]},
    {"to": "x", "templateKey": ["shipment_completed_th"], "body": {"items": "x", "buttons": [None, {"url": 1}]}},
    {"to": "x", "templateKey": "shipment_completed_th", "body": {
        "emphasizedItem": {"itemKey": {"k": 1}, "content": ["x"]}, "items": [{"itemKey": None, "content": None}, "x"],
        "buttons": [{"buttonKey": 1, "url": "https://[::1"}, {"buttonKey": "contact_th", "url": "https://a.jp:99999/"}]}},
]
WEIRD_OPTIONS = [{"allowed-domains": "x"}, {"allowed-domains": [1, None]}, {"extra-promotional-words": {"en": "x"}},
                 {"extra-promotional-words": [1]}, {"min-app-version": "x.y"}, {"min-app-version": 5},
                 {"max-display-width": {"emphasized": "x", "item": -1}}, {"max-display-width": True},
                 {"extra-shorteners": [None]}]


@pytest.mark.parametrize("body", WEIRD_BODIES)
def test_wrong_types_and_options_never_crash_a_rule(body: dict[str, object]) -> None:
    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import messages_from_document

    for options in [{}, *WEIRD_OPTIONS]:
        for message in messages_from_document(body, load_catalogue(), path="x.json"):
            message.options = options
            for rule in GUIDELINE_RULES:
                if message.kind in rule.applies_to:
                    for hit in rule.check(message):
                        assert isinstance(hit.message, str) and hit.message


# --- data files and schemas -------------------------------------------------------------------------


def _schema(name: str) -> dict[str, object]:
    schema: dict[str, object] = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


@pytest.mark.parametrize("language", LANGUAGES)
def test_word_lists_follow_their_schema(language: str) -> None:
    import re

    data = json.loads((WORDLISTS / f"{language}.json").read_text(encoding="utf-8"))
    errors = list(jsonschema.Draft202012Validator(_schema("lnm-wordlist.schema.json")).iter_errors(data))
    assert not errors, [e.message for e in errors]
    assert data["language"] == language
    for category in ("promotional", "pressure"):
        for pattern in data[category]["patterns"]:
            re.compile(pattern)


@pytest.mark.parametrize(("name", "definition"), [
    ("urls", "urls"), ("app-versions", "appVersions"), ("scripts", "scripts"), ("contrast", "contrast")])
def test_rule_data_follows_its_schema(name: str, definition: str) -> None:
    schema = _schema("lnm-rule-data.schema.json")
    validator = jsonschema.Draft202012Validator({**schema, "$ref": f"#/$defs/{definition}"})
    data = json.loads((WORDLISTS / f"{name}.json").read_text(encoding="utf-8"))
    errors = list(validator.iter_errors(data))
    assert not errors, [e.message for e in errors]


def test_options_schema_accepts_the_documented_options_and_rejects_others() -> None:
    validator = jsonschema.Draft202012Validator(_schema("lnm-rule-options.schema.json"))
    good = {"allowed-domains": ["shop.example.jp", "*.pay.example.jp"],
            "extra-promotional-words": {"ja": ["抽選会"], "en": ["giveaway"]}, "extra-shorteners": ["go.example.jp"],
            "min-app-version": "13.6.0", "max-display-width": {"emphasized": 24, "item": 100, "button-label": 20,
                                                               "flex-text": 30}}
    assert not list(validator.iter_errors(good))
    assert not list(validator.iter_errors({"max-display-width": 24, "extra-promotional-words": ["抽選会"]}))
    assert not list(validator.iter_errors({"contrast-level": "AAA", "dark-mode": {"background": "#202124"}}))
    for bad in ({"allowed-domain": ["x.jp"]}, {"min-app-version": "fifteen"},
                {"max-display-width": {"title": 10}}, {"extra-promotional-words": {"fr": ["solde"]}},
                {"contrast-level": "A"}, {"dark-mode": {"background": "black"}}, {"dark-mode": {"bubble": "#000000"}}):
        assert list(validator.iter_errors(bad)), bad


def test_personal_data_findings_never_quote_the_value() -> None:
    import re

    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.spec.catalogue import load_catalogue

    folders = [p for p in (ROOT / "tests" / "rules").iterdir() if p.name[:4] in guidelines.SENSITIVE]
    assert len(folders) == len(guidelines.SENSITIVE)
    cases = [str(c) for f in folders for c in sorted((f / "bad").glob("*.json")) if c.name.count(".") == 1]
    report = lint_paths(cases, default_table(), load_catalogue(),
                        LintSettings(select=guidelines.SENSITIVE, options={"allowed-domains": ["x.jp"]}), jobs=1)
    findings = list(report.findings())
    assert len(findings) >= len(cases)
    for finding in findings:
        assert not re.search(r"\d{4}|@|＠|token=|admin:", finding.message), finding.message


# --- the table, its documentation and the shipped examples -----------------------------------------


def test_guideline_rules_are_documented_and_named() -> None:
    import re

    assert len(GUIDELINE_RULES) >= 24
    for rule in GUIDELINE_RULES:
        assert re.fullmatch(r"G\d{3}", rule.code) and re.fullmatch(r"[a-z]+(?:-[a-z0-9]+)+", rule.name), rule
        assert "What it does:" in rule.doc and "Why:" in rule.doc, rule.code
        assert rule.fix.strip(), rule.code


def test_lnm_rules_lists_the_guideline_rules_as_json() -> None:
    proc = _cli("rules", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    listed = [r for r in json.loads(proc.stdout) if r["group"] == "guideline"]
    assert [r["code"] for r in listed] == sorted(r.code for r in GUIDELINE_RULES)
    assert all({"code", "name", "group", "severity", "summary"} <= set(r) for r in listed)


def test_docs_rules_md_is_up_to_date() -> None:
    proc = _cli("rules", "--format", "markdown")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == rules_markdown(default_table())
    committed = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == proc.stdout, "docs/rules.md is stale: run `make messages`"


@pytest.mark.parametrize("language", ["ja", "th", "zh-Hant"])
def test_translated_rule_pages_are_up_to_date(language: str) -> None:
    from toolkit import i18n
    from toolkit.lint.ruledocs import page_name

    with i18n.using(language):
        expected = rules_markdown(default_table())
    proc = _cli("rules", "--format", "markdown", "--ui-lang", language)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == expected
    committed = (ROOT / "docs" / page_name(language)).read_text(encoding="utf-8")
    assert committed == expected, f"docs/{page_name(language)} is stale: run `make messages`"


def test_every_rule_has_a_section_at_its_doc_url() -> None:
    text = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in default_table().rules():
        where, anchor = rule.doc_url.split("#", 1)
        assert f"### {rule.code} {rule.name}\n" in text and anchor == f"{rule.code.lower()}-{rule.name}"
        assert where == (ROOT / "docs" / "rules.md").as_uri()  # the installed copy, which exists


def test_shipped_examples_have_no_guideline_errors() -> None:
    examples = ROOT / "template_library" / "examples"
    proc = _cli("lint", "--no-config", "--format", "json", "--select", "guideline", str(examples))
    assert proc.returncode in (0, 1), proc.stderr
    report = json.loads(proc.stdout)
    assert report["summary"]["files"] >= 1
    errors = [(Path(f["path"]).name, x["code"], x["pointer"], x["message"])
              for f in report["files"] for x in f["findings"] if x["severity"] == "error"]
    assert errors == []
