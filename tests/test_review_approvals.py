"""``lnm approve`` and ``--require-approved`` through the real command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_lnm

DIGEST = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()
    specs = tmp_path / "specs"
    specs.mkdir()
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", specs / "shipment.json")
    data = json.loads((EXAMPLES / "JP" / "login_alert_ja.json").read_text(encoding="utf-8"))
    data["to"] = DIGEST  # a fixed recipient: never recorded
    (specs / "login.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return tmp_path


def test_approve_records_content_not_recipients(repo: Path) -> None:
    result = run_lnm("approve", ".", "--by", "Aiko Tanaka", "--note", "wording checked", cwd=repo / "specs")
    assert result.code == 0, result.err
    text = (repo / ".lnm" / "approvals.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data["approvals"]) == ["specs/login.json", "specs/shipment.json"]
    entry = data["approvals"]["specs/shipment.json"]
    assert entry["approvedBy"] == "Aiko Tanaka" and entry["note"] == "wording checked"
    assert entry["contentHash"].startswith("sha256:") and entry["approvedAt"].endswith("Z")
    assert entry["renderer"].startswith("lnm ") and entry["catalogue"].startswith("sha256:")
    assert DIGEST not in text and '"to"' not in text
    assert text == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def test_require_approved_follows_what_is_sent(repo: Path) -> None:
    assert run_lnm("approve", "specs/shipment.json", "specs/login.json", "--by", "Aiko", cwd=repo).code == 0
    assert run_lnm("lint", "specs", "--require-approved", cwd=repo).code == 0

    spec = repo / "specs" / "shipment.json"
    data = json.loads(spec.read_text(encoding="utf-8"))
    reordered = dict(reversed(list(data.items())))  # key order and layout: same message
    spec.write_text(json.dumps(reordered, ensure_ascii=False, indent=4, sort_keys=True), encoding="utf-8")
    assert run_lnm("lint", "specs", "--require-approved", cwd=repo).code == 0

    data["samples"]["longest"]["order"]["quantity"] = 121  # a sample's sent value
    spec.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_lnm("lint", "specs", "--require-approved", cwd=repo)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "approv" in line]
    assert lines[0].startswith("specs/shipment.json: content changed since Aiko approved it on ")
    assert lines[-1] == "lnm: 1 of 2 messages not approved as they are now"

    shutil.copy(EXAMPLES / "JP" / "utility_bill_ja.json", repo / "specs" / "new.json")
    assert run_lnm("approve", "specs/shipment.json", "--by", "Aiko", cwd=repo).code == 0
    result = run_lnm("lint", "specs", "--require-approved", cwd=repo)
    assert result.code == 1 and "specs/new.json: not approved" in result.err
    assert "shipment" not in result.err


@pytest.mark.parametrize(("args", "expected"), [
    (["missing.json", "--by", "A"], "lnm: missing.json: no such file or directory"),
    (["bad.json", "--by", "A"], "lnm: bad.json:1:2: invalid JSON: Expecting property name enclosed in double quotes"),
    (["specs", "--by", " "], "lnm: --by needs the reviewer's name"),
    (["specs", "--by", "A", "--note", "called 090-1234-5678"],
     "lnm: --note holds something shaped like a phone number; approvals never record one"),
    (["specs", "--by", "A", "--approvals", "broken.json"], "lnm: broken.json:1:1: invalid JSON: Expecting value"),
])
def test_bad_input_is_one_line(repo: Path, args: list[str], expected: str) -> None:
    (repo / "bad.json").write_text("{oops", encoding="utf-8")
    (repo / "broken.json").write_text("nope", encoding="utf-8")
    result = run_lnm("approve", *args, cwd=repo)
    assert (result.code, result.err.splitlines()) == (2, [expected])
    assert not (repo / ".lnm").exists()


def test_a_message_the_api_rejects_is_not_approved(repo: Path) -> None:
    data = json.loads((EXAMPLES / "JP" / "flex_receipt_ja.json").read_text(encoding="utf-8"))
    flex = next(m for m in data["messages"] if m["type"] == "flex")
    flex["altText"] = ""
    (repo / "specs" / "receipt.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_lnm("approve", "specs/receipt.json", "--by", "Aiko", cwd=repo)
    assert result.code == 1
    assert result.err.startswith("lnm: specs/receipt.json: not approvable: ") and " A033 " in result.err
    assert not (repo / ".lnm").exists()
