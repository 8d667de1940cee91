"""Report formats through the real CLI: text with caret, json, SARIF, JUnit, GitHub commands."""

from __future__ import annotations

import copy
import json
import os
import pty
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from toolkit.lint.report import _escape_data, _escape_property, _excerpt, _redact

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
#: LINE's own example request (the shipment_completed_ja body of the spec file).
SPEC_BODY = json.loads((DATA / "lint" / "line-example.json").read_text(encoding="utf-8"))


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path

Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess


def _dirty(tmp_path: Path, name: str = "dirty.json") -> Path:
    """A body with three API errors at known places (recipient, emphasized content, button count)."""
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"
    body["body"]["emphasizedItem"]["content"] = "二〇二四年八月十日 土曜日 午前中 指定"
    body["body"]["buttons"].append({"buttonKey": "contact_ja", "url": "https://example.com/x"})
    return write_json(tmp_path / name, body)


def test_text_shows_source_line_and_caret_under_the_column(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    result = lnm("lint", "--select", "A002,A014", str(path))
    assert result.code == 1, result.err
    lines = result.out.splitlines()
    head = next(i for i, line in enumerate(lines) if " A014 " in line)
    match = re.match(rf"{re.escape(str(path))}:(\d+):(\d+): A014 ", lines[head])
    assert match, lines[head]
    line_no, column = int(match.group(1)), int(match.group(2))
    source = path.read_text(encoding="utf-8").split("\n")[line_no - 1]
    assert lines[head + 1] == f"  {line_no} | {source}"
    caret_line = lines[head + 2]
    assert caret_line.startswith(" " * (2 + len(str(line_no))) + " | ")
    # The caret sits under the opening quote of the value; everything before it is ASCII here.
    assert caret_line.index("^") - len(f"  {line_no} | ") == column - 1
    assert source[column - 1] == '"'
    assert "\x1b[" not in result.out  # not a terminal: no colour
    assert lines[-1] == "1 file, 1 body: 2 errors, 0 warnings"


@pytest.mark.parametrize("jobs", [1, 2])
def test_text_shows_the_lines_that_were_linted_even_if_the_file_changed_since(tmp_path: Path, jobs: int) -> None:
    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.lint.report import format_text
    from toolkit.rules import default_table
    from toolkit.spec.catalogue import load_catalogue

    paths = [_dirty(tmp_path, f"m{n:03d}.json") for n in range(300)]  # above the parallel threshold
    report = lint_paths([str(tmp_path)], default_table(), load_catalogue(), LintSettings(select=frozenset({"A014"})),
                        jobs=jobs)
    linted = paths[-1].read_text(encoding="utf-8")
    for path in paths:
        path.write_text(linted.replace("二〇二四年", "XXXX年"), encoding="utf-8")
    text = format_text(report)
    assert text.count(" A014 ") == 300 and text.count("二〇二四年八月十日") == 300 and "XXXX" not in text


def test_text_never_prints_personal_data_from_the_source(lnm: Run, tmp_path: Path) -> None:
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "080-0000-1234"  # LINE's documented test number, raw instead of hashed
    body["body"]["items"][3]["content"] = "お問い合わせ 090-1234-5678 / taro@example.jp"
    body["body"]["items"][0]["content"] = "午前中です"
    path = tmp_path / "one-line.json"
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")  # one line: every excerpt shows it
    result = lnm("lint", str(path))
    assert result.code == 1
    assert "A002 " in result.out and "G040 " in result.out  # the findings are there...
    for secret in ("0000-1234", "1234-5678", "taro@", "example.jp"):
        assert secret not in result.out  # ...but not the numbers or the address
    assert "(source line not shown: it may hold personal data)" in result.out
    assert '"content": "午前中です"}' in result.out  # other findings still show their source


@pytest.mark.parametrize(("line", "shown"), [
    ("tel +66 81 234 5678.", "tel *** ** *** ****."),
    ("card 4111 1111 1111 1111", "card **** **** **** ****"),
    ("ID 1-2345-67890-12-1", "ID *-****-*****-**-*"),
    ("mail taro.y@example.co.jp", "mail ****.*@*******.**.**"),
    ("date 2024-08-10, order 1234567", "date 2024-08-10, order 1234567"),
])
def test_excerpts_star_out_what_may_be_personal_data_in_place(line: str, shown: str) -> None:
    assert _redact(line) == shown


def test_caret_counts_wide_characters_twice_and_cuts_long_lines() -> None:
    shown, pad = _excerpt('{"a": "日本語", "b": 1}', 17)
    assert shown == '{"a": "日本語", "b": 1}'
    assert len(pad) == 19  # 16 characters before column 17, three of them wide
    long_line = "x" * 500 + '"here"' + "y" * 500
    shown, pad = _excerpt(long_line, 501)
    assert len(shown) < 120 and shown.startswith("…") and shown.endswith("…")
    assert shown[len(pad)] == '"'


def test_colour_only_when_forced_or_on_a_terminal(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    coloured = lnm("lint", "--select", "A002", "--color", "always", str(path))
    assert "\x1b[1;31mA002\x1b[0m" in coloured.out
    plain = lnm("lint", "--select", "A002", str(path), env={"NO_COLOR": ""})
    assert "\x1b[" not in plain.out  # stdout is a pipe, so auto means no colour


def test_colour_by_itself_on_a_terminal_unless_no_color(tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    outputs = []
    for no_color in (None, "1"):
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LNM_CATALOGUE")}
        if no_color:
            env["NO_COLOR"] = no_color
        leader, follower = pty.openpty()
        proc = subprocess.Popen([sys.executable, "-m", "toolkit", "lint", "--select", "A002", str(path)],
                                cwd=ROOT, stdout=follower, stderr=subprocess.DEVNULL, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(leader)
        assert proc.wait(timeout=60) == 1
        outputs.append(b"".join(chunks).decode("utf-8"))
    assert "\x1b[1;31mA002\x1b[0m" in outputs[0]
    assert "A002" in outputs[1] and "\x1b[" not in outputs[1]


def test_json_keeps_the_documented_shape(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    result = lnm("lint", "--format", "json", "--select", "A002,A014,A016", str(path))
    data = result.json()
    (entry,) = data["files"]
    assert entry["path"] == str(path)
    keys = {"code", "name", "severity", "message", "pointer", "property", "line", "column", "fix"}
    assert all(keys <= set(f) for f in entry["findings"])
    by_code = {f["code"]: f for f in entry["findings"]}
    assert by_code["A002"]["pointer"] == "/to" and by_code["A002"]["property"] == "to"
    assert by_code["A016"]["property"] == "body.buttons"
    assert data["summary"]["error"] == len(entry["findings"]) == 3


def test_sarif_validates_against_the_sarif_2_1_0_schema(lnm: Run, tmp_path: Path) -> None:
    _dirty(tmp_path)
    write_json(tmp_path / "broken.json", [1])
    result = lnm("lint", "--format", "sarif", "--select", "A002,A014,A016", str(tmp_path), cwd=tmp_path)
    assert result.code == 2  # the unreadable file wins over findings
    log = result.json()
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} >= {"A002", "A014", "A016"}
    a002 = next(r for r in rules if r["id"] == "A002")
    docs = (ROOT / "docs" / "rules.md").as_uri()  # no web copy is published: the installed one
    assert a002["helpUri"] == f"{docs}#a002-invalid-recipient" and "SHA-256" in a002["help"]["text"]
    assert {r["id"] for r in rules} == {"A002", "A014", "A016"}  # only the rules with results
    results = {r["ruleId"]: r for r in run["results"]}
    assert set(results) == {"A002", "A014", "A016"}
    location = results["A002"]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "dirty.json", "uriBaseId": "SRCROOT"}
    assert location["region"] == {"startLine": 2, "startColumn": 9}
    assert results["A002"]["level"] == "error"
    assert rules[results["A002"]["ruleIndex"]]["id"] == "A002"
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert "broken.json" in notes[0]["message"]["text"]


def test_junit_parses_with_a_case_per_file_and_a_failure_per_finding(lnm: Run, tmp_path: Path) -> None:
    _dirty(tmp_path, "a.json")
    write_json(tmp_path / "b.json", SPEC_BODY)
    result = lnm("lint", "--format", "junit", "--select", "A002,A014,A016", str(tmp_path), cwd=tmp_path)
    root = ET.fromstring(result.out)
    suite = root.find("testsuite")
    assert suite is not None
    cases = {case.get("name"): case for case in suite.iter("testcase")}
    assert set(cases) == {"a.json", "b.json"}
    failures = cases["a.json"].findall("failure")
    assert sorted(f.get("type", "").split()[0] for f in failures) == ["A002", "A014", "A016"]
    assert cases["b.json"].findall("failure") == []
    assert root.get("failures") == suite.get("failures") == "3"


def test_junit_stays_valid_xml_with_control_characters(lnm: Run, tmp_path: Path) -> None:
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "bad\u0001digest"
    write_json(tmp_path / "c.json", body)
    result = lnm("lint", "--format", "junit", "--select", "A002", str(tmp_path / "c.json"))
    ET.fromstring(result.out)  # raises if the control character leaked through


def test_github_escaping() -> None:
    assert _escape_data("50% off\r\nnow") == "50%25 off%0D%0Anow"
    assert _escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_github_commands_and_summary_past_the_annotation_cap(lnm: Run, tmp_path: Path) -> None:
    for i in range(12):
        _dirty(tmp_path, f"m{i:02}, odd:name.json")
    result = lnm("lint", "--format", "github", "--select", "A002", str(tmp_path), cwd=tmp_path)
    lines = result.out.splitlines()
    errors = [line for line in lines if line.startswith("::error ")]
    assert len(errors) == 12  # every finding is printed, even past GitHub's cap of 10
    pattern = re.compile(r"^::error file=m00%2C odd%3Aname\.json,line=2,col=9,title=A002 invalid-recipient::"
                         r"The value must be a valid SHA-256 digest\.%0Ahelp: .+$")
    assert pattern.match(errors[0]), errors[0]
    assert lines[-2].startswith("::notice title=lnm lint::12 files, 12 bodies: 12 errors, 0 warnings")
    assert "12 errors" in lines[-2] and "first 10" in lines[-2]
    assert lines[-1].startswith("lnm lint: 12 files, 12 bodies: 12 errors, 0 warnings")


def test_statistics_count_findings_per_rule(lnm: Run, tmp_path: Path) -> None:
    for i in range(3):
        _dirty(tmp_path, f"d{i}.json")
    result = lnm("lint", "--statistics", "--select", "A002,A016", str(tmp_path))
    assert result.code == 1
    assert result.out.splitlines()[:2] == ["3  A002  error    invalid-recipient",
                                           "3  A016  error    too-many-buttons"]
    as_json = lnm("lint", "--statistics", "--format", "json", "--select", "A002", str(tmp_path))
    assert as_json.json()["summary"]["by_code"] == {"A002": 3}
    assert "3  A002" in as_json.err


@pytest.mark.parametrize(("args", "code"), [
    ((), 1),
    (("--fail-on", "error"), 1),
    (("--select", "A002", "--max-warnings", "0"), 1),
])
def test_exit_codes(lnm: Run, tmp_path: Path, args: tuple[str, ...], code: int) -> None:
    result = lnm("lint", *args, str(_dirty(tmp_path)))
    assert result.code == code, result.err


def test_max_warnings_and_fail_on_with_severity_overrides(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    (tmp_path / "lnm.toml").write_text('select = ["A002"]\n[severity]\nA002 = "warning"\n', encoding="utf-8")
    assert lnm("lint", str(path)).code == 0  # one warning, fail-on error
    over = lnm("lint", "--max-warnings", "0", str(path))
    assert over.code == 1 and "more than --max-warnings 0" in over.err
    assert lnm("lint", "--max-warnings", "1", str(path)).code == 0
    assert lnm("lint", "--fail-on", "warning", str(path)).code == 1


def test_output_file_gets_the_report(lnm: Run, tmp_path: Path) -> None:
    out = tmp_path / "report" / "lnm.sarif"
    result = lnm("lint", "--format", "sarif", "-o", str(out), "--select", "A002", str(_dirty(tmp_path)))
    assert result.out == "" and result.code == 1
    assert json.loads(out.read_text(encoding="utf-8"))["version"] == "2.1.0"
