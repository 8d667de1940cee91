"""--write-baseline and --baseline through the real CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
SPEC_BODY = json.loads((DATA / "lint" / "line-example.json").read_text(encoding="utf-8"))
Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess
SELECT = ("--select", "A002,A014,A016")
SECRET = "Tel 090-1234-5678"  # personal data quoted by a finding's message: must not reach the baseline


def _body(**changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"
    body["body"]["emphasizedItem"]["content"] = SECRET + " 午前中にお届け予定"
    for key, value in changes.items():
        body["body"][key] = value
    return body


def _write(path: Path, body: dict[str, Any], indent: int = 2) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, ensure_ascii=False, indent=indent), encoding="utf-8")
    return path


def test_baseline_hides_known_findings_even_after_lines_move(lnm: Run, tmp_path: Path) -> None:
    messages = tmp_path / "messages"
    _write(messages / "a.json", _body())
    _write(messages / "b.json", _body())
    baseline = tmp_path / "lnm-baseline.json"
    written = lnm("lint", *SELECT, "--write-baseline", str(baseline), str(messages))
    assert written.code == 0, written.err
    assert "recorded 4 findings" in written.err
    text = baseline.read_text(encoding="utf-8")
    assert SECRET not in text and "090" not in text and "not-a-digest" not in text
    recorded = json.loads(text)
    assert {(e["path"], e["code"], e["pointer"]) for e in recorded["findings"]} == {
        ("messages/a.json", "A002", "/to"), ("messages/a.json", "A014", "/body/emphasizedItem/content"),
        ("messages/b.json", "A002", "/to"), ("messages/b.json", "A014", "/body/emphasizedItem/content")}

    # Reformat a.json (every line moves) and add a new problem to b.json.
    _write(messages / "a.json", _body(), indent=8)
    buttons = SPEC_BODY["body"]["buttons"] + [{"buttonKey": "contact_ja", "url": "https://example.com/x"}]
    _write(messages / "b.json", _body(buttons=buttons))
    result = lnm("lint", *SELECT, "--baseline", str(baseline), "--format", "json", str(messages))
    assert result.code == 1
    new = [(Path(e["path"]).name, f["code"]) for e in result.json()["files"] for f in e["findings"]]
    assert new == [("b.json", "A016")]
    assert result.json()["summary"]["baselined"] == 4
    text_report = lnm("lint", *SELECT, "--baseline", str(baseline), str(messages))
    assert "4 known findings in the baseline not shown" in text_report.out.splitlines()[-1]


def test_baseline_paths_are_relative_to_the_baseline_file(lnm: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "repo" / "m" / "a.json", _body())
    baseline = tmp_path / "repo" / "baseline.json"
    assert lnm("lint", *SELECT, "--write-baseline", str(baseline), str(path)).code == 0
    # Run from another folder, naming the file by a relative path: still the same finding.
    clean = lnm("lint", *SELECT, "--baseline", "../baseline.json", "a.json", cwd=tmp_path / "repo" / "m")
    assert clean.code == 0, clean.out + clean.err


def test_a_changed_message_is_a_new_finding(lnm: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", _body())
    baseline = tmp_path / "baseline.json"
    lnm("lint", *SELECT, "--write-baseline", str(baseline), str(path))
    body = _body()
    body["body"]["emphasizedItem"]["content"] = "二〇二四年八月十日 土曜日 午前中 指定 配達"
    _write(path, body)
    result = lnm("lint", *SELECT, "--baseline", str(baseline), "--format", "json", str(path))
    assert [f["code"] for f in result.json()["files"][0]["findings"]] == ["A014"]


def test_bad_baseline_files_exit_2(lnm: Run, tmp_path: Path) -> None:
    path = _write(tmp_path / "a.json", _body())
    missing = lnm("lint", "--baseline", str(tmp_path / "none.json"), str(path))
    assert missing.code == 2 and "none.json: baseline file not found" in missing.err
    (tmp_path / "junk.json").write_text("{nope", encoding="utf-8")
    junk = lnm("lint", "--baseline", str(tmp_path / "junk.json"), str(path))
    assert junk.code == 2 and "junk.json:1:2: baseline is not valid JSON" in junk.err
    both = lnm("lint", "--baseline", "x", "--write-baseline", "y", str(path))
    assert both.code == 2 and "not both" in both.err
