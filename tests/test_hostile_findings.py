"""A file with a hundred thousand problems (issue 14, class 10): at most 1,000 findings per file, then
one finding saying how many more, by rule, as severe as the worst of them; through the real ``lnm``
under a 1.5 GB address-space limit."""

from __future__ import annotations

import copy
import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import EXAMPLES

LNM = str(Path(sys.executable).parent / "lnm")
ADDRESS_SPACE = 1536 * 1024 * 1024
KEYS = 95_000


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LNM, *args], cwd=cwd, capture_output=True, text=True, timeout=300, preexec_fn=_limited,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"})


def _spec(example: str) -> dict[str, Any]:
    return json.loads(next(EXAMPLES.rglob(example)).read_text(encoding="utf-8"))


def test_near_miss_keys_give_a_thousand_findings_and_one_that_counts_the_rest(tmp_path: Path) -> None:
    spec = _spec("order_confirmed_ja.json")
    spec.update({f"sampels{i}": 1 for i in range(KEYS)})  # each an A091 error with a did-you-mean hint
    (tmp_path / "keys.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    flex = copy.deepcopy(_spec("flex_appointment_reminder_ja.json"))
    flex["messages"][0]["contents"].update({f"bodi{i}": 1 for i in range(KEYS)})  # A045 warnings
    (tmp_path / "flex.json").write_text(json.dumps(flex, ensure_ascii=False, indent=1), encoding="utf-8")
    result = run("lint", "--format", "json", "--select", "A091,A045", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    report = json.loads(result.stdout)
    for name, code, severity in (("keys.json", "A091", "error"), ("flex.json", "A045", "warning")):
        found = next(f["findings"] for f in report["files"] if f["path"].endswith(name))
        assert len(found) == 1001, (name, len(found))
        last = found[-1]
        assert last["code"] == code and last["severity"] == severity, last
        more = KEYS - sum(1 for f in found[:-1] if f["code"] == code)
        assert last["message"].startswith(f"{more:,} more findings in this file are not shown ({more:,} {code})"), last
        assert last["message"].endswith("lnm reports at most 1,000 per file"), last
        assert last["line"] >= found[-2]["line"]


def test_a_file_under_the_cap_is_reported_whole(tmp_path: Path) -> None:
    spec = _spec("order_confirmed_ja.json")
    spec.update({f"sampels{i}": 1 for i in range(999)})
    (tmp_path / "keys.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1), encoding="utf-8")
    result = run("lint", "-q", "--select", "A091", "keys.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("keys.json:")]
    assert len(lines) == 999
    assert "did you mean 'samples'?" in lines[-1]
    assert "not shown" not in result.stdout
