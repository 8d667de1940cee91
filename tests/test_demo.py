"""`lnm demo`, the main job of `make demo`, on the bundled examples."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import EXAMPLES, SPEC_BODY, run_lnm


def test_demo_lints_and_builds_every_example(tmp_path: Path) -> None:
    result = run_lnm("demo", "--no-previews", "--out", str(tmp_path))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert len(lines) <= 9 and "0 errors, 0 warnings" in result.out and str(tmp_path) in result.out
    assert lines[-5] == f"Look in {tmp_path}/: the lint report and the request bodies."  # where to look...
    # ...and what to run next: lnm commands only, on the user's own folder (not the installed examples).
    assert lines[-4] == "Next, in your own repository:"
    assert [line.split()[:3] for line in lines[-3:]] == [["lnm", "init", "configuration,"],
                                                         ["lnm", "lint", "messages/"], ["lnm", "serve", "messages/"]]
    assert str(EXAMPLES) not in result.out
    specs = sorted(p.relative_to(EXAMPLES) for p in EXAMPLES.rglob("*.json"))
    bodies = sorted(p.relative_to(tmp_path / "bodies") for p in (tmp_path / "bodies").rglob("*.json"))
    assert bodies == specs
    shipped = json.loads((tmp_path / "bodies" / "JP" / "shipment_completed_ja.json").read_text(encoding="utf-8"))
    assert shipped["to"] == SPEC_BODY["to"] and shipped["templateKey"] == "shipment_completed_ja"
    report = json.loads((tmp_path / "lint-report.json").read_text(encoding="utf-8"))
    assert report["summary"]["files"] == len(specs)
