"""The pre-commit hook manifest, run the way pre-commit runs it: entry + args + the matching files."""

from __future__ import annotations

import copy
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC_BODY = json.loads((Path(__file__).parent / "data" / "lint" / "line-example.json").read_text(encoding="utf-8"))


def _manifest() -> list[dict[str, str]]:
    """The hooks of .pre-commit-hooks.yaml (flat ``key: value`` entries; no YAML library needed)."""
    hooks: list[dict[str, str]] = []
    for line in (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        match = re.match(r"^(- |  )(\w[\w-]*): (.*)$", line)
        assert match, f"unexpected line in the manifest: {line!r}"
        if match.group(1) == "- ":
            hooks.append({})
        hooks[-1][match.group(2)] = match.group(3)
    return hooks


def test_manifest_declares_the_lnm_lint_hook() -> None:
    (hook,) = _manifest()
    assert hook["id"] == "lnm-lint"
    assert hook["language"] == "python"
    assert hook["entry"] == "lnm lint"
    assert hook["files"] == r"\.json$"
    project = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^lnm = "toolkit\.cli:run"$', project, re.MULTILINE)  # the entry's console script


def test_hook_lints_staged_messages_and_passes_over_other_json(tmp_path: Path) -> None:
    (hook,) = _manifest()
    bad = copy.deepcopy(SPEC_BODY)
    bad["to"] = "not-a-digest"
    (tmp_path / "messages").mkdir()
    (tmp_path / "messages" / "shipped.json").write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "web", "private": true}', encoding="utf-8")
    (tmp_path / "notes.md").write_text("not json", encoding="utf-8")
    staged = ["package.json", "notes.md", "messages/shipped.json"]
    files = [name for name in staged if re.search(hook["files"], name)]
    args = [arg.strip() for arg in hook.get("args", "[]").strip("[]").split(",") if arg.strip()]
    command = [sys.executable, "-m", "toolkit", *shlex.split(hook["entry"])[1:], "--select", "A002", *args, *files]
    proc = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False,
                          env={"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 1, proc.stderr  # the finding fails the commit; package.json does not
    assert proc.stderr == ""
    assert "messages/shipped.json:1:8: A002 " in proc.stdout
    assert proc.stdout.splitlines()[-1] == "1 file, 1 body: 1 error, 0 warnings; 1 JSON file that is not a message skipped"
