"""``lnm preview`` through the real entry point: outputs, cache without a browser, shards, bad input."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from .conftest import run_lnm
from .preview_support import FLEXIBLE, spec, write_catalogue, write_json


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("cli")
    return {"LNM_CACHE_DIR": str(root / "cache"), "LNM_CATALOGUE": str(write_catalogue(root))}


def _logging_browser(path: Path, log: Path) -> Path:
    """A Chromium wrapper that records every start (``--version`` included) before running it."""
    path.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexec /usr/bin/chromium "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


def test_second_run_does_not_start_the_browser(tmp_path: Path, env: dict[str, str]) -> None:
    source = write_json(tmp_path / "in" / "shipment.json", spec())
    log = tmp_path / "browser.log"
    browser = _logging_browser(tmp_path / "chromium-wrapper", log)
    out = tmp_path / "out"
    env = {**env, "LNM_CACHE_DIR": str(tmp_path / "cache")}
    first = run_lnm("preview", str(source), "--lang", "ja,en", "--out", str(out), "--browser", str(browser),
                    "--html", env=env)
    assert first.code == 0, first.err
    assert "2 rendered, 0 cached" in first.err and "Traceback" not in first.err
    starts = log.read_text(encoding="utf-8").splitlines()
    assert any("--version" in s for s in starts) and any("--headless" in s or "remote-debugging" in s for s in starts)
    assert sorted(p.name for p in out.iterdir()) == [
        "shipment.en.html", "shipment.en.json", "shipment.en.png", "shipment.ja.html", "shipment.ja.json",
        "shipment.ja.png", "shipment.sheet.png"]

    second = run_lnm("preview", str(source), "--lang", "ja,en", "--out", str(out), "--browser", str(browser),
                     "--html", env=env)
    assert second.code == 0, second.err
    assert "0 rendered, 2 cached" in second.err and "browser not started" in second.err
    assert log.read_text(encoding="utf-8").splitlines() == starts, "the browser binary was not run at all"


def test_shard_renders_only_its_slice(tmp_path: Path, env: dict[str, str]) -> None:
    for name in ("a", "b", "c"):
        write_json(tmp_path / "in" / f"{name}.json", FLEXIBLE)
    out = tmp_path / "out"
    result = run_lnm("preview", str(tmp_path / "in"), "--lang", "en", "--out", str(out), "--shard", "2/3",
                     env=env)
    assert result.code == 0, result.err
    assert sorted(p.name for p in out.glob("*.png")) == ["b.en.png", "b.sheet.png"]


@pytest.mark.parametrize("args,expected", [
    (["missing.json"], "missing.json: no such file or directory"),
    (["{bad}"], "bad.json:2:3: invalid JSON"),
    (["{notmsg}"], "not a LINE notification message"),
    (["{number}", "--sample", "x"], "number.json:1:1: top-level value is a number"),
    (["{good}", "--shard", "4/3"], "--shard 4/3"),
    (["{good}", "--lang", "ja,not a tag"], "not a language tag"),
    (["{good}", "--clock", "tomorrow"], "not an ISO 8601 date-time"),
    (["{good}", "--width", "500"], "500"),
    (["{good}", "--sample", "nope"], "no sample named 'nope'"),
    (["{good}", "--browser", "/nonexistent/chromium"], "apt-get install --no-install-recommends chromium"),
    (["{good}", "--update"], "go with --check"),
    (["{dir}", "--lang", "en"], "no LINE notification messages"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, env: dict[str, str], args: list[str],
                                         expected: str) -> None:
    (tmp_path / "bad.json").write_text('{"kind": "template",\n  oops}', encoding="utf-8")
    write_json(tmp_path / "notmsg.json", {"hello": "world"})
    write_json(tmp_path / "number.json", 42)
    write_json(tmp_path / "good.json", spec())
    paths = {"{bad}": str(tmp_path / "bad.json"), "{notmsg}": str(tmp_path / "notmsg.json"),
             "{good}": str(tmp_path / "good.json"), "{number}": str(tmp_path / "number.json"), "{dir}": str(tmp_path / "other")}
    write_json(tmp_path / "other" / "config.json", {"not": "a message"})
    result = run_lnm("preview", *[paths.get(a, a) for a in args], "--out", str(tmp_path / "out"), env=env)
    assert result.code == 2, (result.out, result.err)
    assert expected in result.err and "Traceback" not in result.err
    assert len([line for line in result.err.splitlines() if line.strip()]) <= 3


def test_findings_are_reported_and_preview_still_renders(tmp_path: Path, env: dict[str, str]) -> None:
    doc = {"templateKey": "shipment_completed_ja", "body": {"items": [{"itemKey": "nope_999_ja", "content": "x"}]}}
    source = write_json(tmp_path / "body.json", doc)
    result = run_lnm("preview", str(source), "--lang", "ja", "--out", str(tmp_path / "out"), env=env)
    assert result.code == 0, result.err
    lint_lines = [line for line in result.err.splitlines() if "lint" in line]
    assert len(lint_lines) == 1 and (tmp_path / "out" / "body.ja.png").is_file()
    assert re.fullmatch(r"lnm preview: rendered despite \d+ errors? and \d+ warnings? in 1 file \(.*body\.json\); "
                        r"lnm lint shows them", lint_lines[0]), lint_lines
    again = run_lnm("preview", str(source), "--lang", "ja", "--out", str(tmp_path / "out"), env=env)
    assert again.code == 0 and "lint" not in again.err  # nothing rendered this time: nothing to say
    side = json.loads((tmp_path / "out" / "body.ja.json").read_text(encoding="utf-8"))
    assert side["appLanguage"] == "ja" and os.path.basename(side["source"]) == "body.json"
