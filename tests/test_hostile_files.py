"""Issue 8, classes 3, 5 and 8 through the real ``lnm`` command: files that are not regular files,
writes only where asked (with the user's umask), and internal errors as one line with exit 3."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SPEC_BODY, write_json

#: Every run here must end on its own well within this; a hang is a failure, not a slow test.
TIMEOUT = 60


def lnm(*args: str, cwd: Path | None = None, stdin: bytes | None = None, stdin_path: str | None = None,
        env: dict[str, str] | None = None, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess, with a timeout; ``stdin_path`` opens a file or device as stdin."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("LNM_CATALOGUE", None)
    full_env.pop("LNM_DEBUG", None) if not env or "LNM_DEBUG" not in env else None
    command = [sys.executable, "-c", code, *args] if code else [sys.executable, "-m", "toolkit", *args]
    if stdin_path is not None:
        with open(stdin_path, "rb") as handle:
            return subprocess.run(command, cwd=cwd or ROOT, stdin=handle, capture_output=True,
                                  timeout=TIMEOUT, env=full_env, text=True)
    return subprocess.run(command, cwd=cwd or ROOT, input=stdin.decode() if stdin is not None else None,
                          capture_output=True, timeout=TIMEOUT, env=full_env, text=True)


def _dirty(folder: Path, name: str) -> Path:
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"  # one A002 finding
    return write_json(folder / name, body)


def _one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


# --- class 3: only regular files are read -----------------------------------------------------------


def test_folder_with_a_fifo_and_a_link_to_dev_zero_still_reports_the_good_files(tmp_path: Path) -> None:
    _dirty(tmp_path, "a-good.json")
    os.mkfifo(tmp_path / "b-fifo.json")
    (tmp_path / "c-zero.json").symlink_to("/dev/zero")
    (tmp_path / "d-random.json").symlink_to("/dev/urandom")
    _dirty(tmp_path, "e-good.json")
    result = lnm("lint", "--select", "A002", "--format", "json", str(tmp_path))
    assert result.returncode == 2
    report = json.loads(result.stdout)
    found = {Path(entry["path"]).name: [f["code"] for f in entry["findings"]] for entry in report["files"]}
    assert found["a-good.json"] == ["A002"] and found["e-good.json"] == ["A002"]
    errors = sorted(result.stderr.splitlines())
    assert errors == [
        f"lnm: {tmp_path / 'b-fifo.json'}: is a FIFO (named pipe), not a regular file; not read",
        f"lnm: {tmp_path / 'c-zero.json'}: is a character device, not a regular file; not read",
        f"lnm: {tmp_path / 'd-random.json'}: is a character device, not a regular file; not read",
    ]


@pytest.mark.parametrize("command", [["lint"], ["build"], ["preview", "--html"]])
def test_named_fifo_is_refused_at_once(tmp_path: Path, command: list[str]) -> None:
    fifo = tmp_path / "spec.json"
    os.mkfifo(fifo)
    args = [*command, str(fifo)] + (["--out", str(tmp_path / "out")] if command[0] == "preview" else [])
    result = lnm(*args)
    assert result.returncode == 2
    assert "is a FIFO (named pipe), not a regular file; not read" in result.stderr
    assert "Traceback" not in result.stderr


def test_device_is_refused_as_a_file(tmp_path: Path) -> None:
    result = lnm("build", "/dev/zero")
    assert result.returncode == 2
    assert _one_line(result.stderr) == "lnm: /dev/zero: is a character device, not a regular file; not read"


def test_catalogue_file_that_is_a_fifo_or_device_is_one_line(tmp_path: Path) -> None:
    spec = _dirty(tmp_path, "body.json")
    fifo_cat = tmp_path / "fifo-cat"
    fifo_cat.mkdir()
    os.mkfifo(fifo_cat / "templates.json")
    zero_cat = tmp_path / "zero-cat"
    zero_cat.mkdir()
    (zero_cat / "items.json").symlink_to("/dev/zero")
    for folder, kind in ((fifo_cat, "a FIFO (named pipe)"), (zero_cat, "a character device")):
        result = lnm("lint", "--catalogue", str(folder), str(spec))
        assert result.returncode == 2
        assert kind in _one_line(result.stderr)


@pytest.mark.parametrize("name", ["lnm.toml", "pyproject.toml"])
def test_configuration_that_is_not_a_regular_file_is_one_line(tmp_path: Path, name: str) -> None:
    spec = _dirty(tmp_path, "body.json")
    os.mkfifo(tmp_path / name)
    result = lnm("lint", str(spec))
    assert result.returncode == 2
    assert _one_line(result.stderr) == f"lnm: {tmp_path / name}: is a FIFO (named pipe), not a regular file; not read"


def test_approvals_file_that_is_a_fifo_is_one_line(tmp_path: Path) -> None:
    spec = _dirty(tmp_path, "body.json")
    os.mkfifo(tmp_path / "approvals.json")
    result = lnm("approve", str(spec), "--by", "reviewer", "--approvals", str(tmp_path / "approvals.json"),
                 cwd=tmp_path)
    assert result.returncode == 2
    assert "approvals.json: is a FIFO (named pipe), not a regular file; not read" in _one_line(result.stderr)


def test_baseline_that_is_a_device_is_one_line(tmp_path: Path) -> None:
    spec = _dirty(tmp_path, "body.json")
    result = lnm("lint", "--no-config", "--baseline", "/dev/zero", str(spec))
    assert result.returncode == 2
    assert "/dev/zero: is a character device" in _one_line(result.stderr)


@pytest.mark.parametrize("command", [["hash-phone", "-", "--region", "JP"],
                                     ["build", "SPEC", "--phone", "-", "--region", "JP"]])
def test_standard_input_device_and_flood_are_refused(tmp_path: Path, command: list[str]) -> None:
    spec = _dirty(tmp_path, "body.json")
    args = [str(spec) if a == "SPEC" else a for a in command]
    result = lnm(*args, stdin_path="/dev/zero")
    assert result.returncode == 2
    assert _one_line(result.stderr) == ("lnm: standard input (phone number) is a character device; give the "
                                        "value through a pipe or a file")
    flood = lnm(*args, stdin=b"0" * 5_000_000)  # no newline: a readline would take it all
    assert flood.returncode == 2
    assert _one_line(flood.stderr) == "lnm: standard input (phone number) holds more than 1024 bytes; not read"


def test_file_growing_past_the_limit_while_read_is_cut_at_the_limit(tmp_path: Path) -> None:
    """The limit holds while reading: a symlink swapped for /dev/zero after the check is still bounded."""
    from toolkit._io import read_regular_file
    from toolkit.errors import InputError

    big = tmp_path / "big.json"
    big.write_bytes(b"x" * 5000)
    with pytest.raises(InputError, match="too large"):
        read_regular_file(big, 4096)
    assert read_regular_file(big, 5000) == b"x" * 5000


# --- class 5: writes only where asked, with the user's umask, one line when impossible ---------------


def test_demo_from_another_folder_writes_only_under_it(tmp_path: Path) -> None:
    before = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    result = lnm("demo", "--no-previews", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "lint-report.txt").is_file()
    assert (tmp_path / "out" / "bodies" / "JP" / "shipment_completed_ja.json").is_file()
    after = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
    assert after == before


def test_new_files_get_the_umask_and_replaced_files_keep_their_mode(tmp_path: Path) -> None:
    spec = _dirty(tmp_path, "body.json")
    code = ("import os, sys; os.umask(int(sys.argv[1], 8)); sys.argv[1:2] = []; "
            "from toolkit.cli import main; main(sys.argv[1:])")
    for umask, expected in (("022", 0o644), ("077", 0o600), ("002", 0o664)):
        out = tmp_path / f"report-{umask}.txt"
        result = lnm(umask, "lint", "--no-config", "-o", str(out), str(spec), code=code)
        assert result.returncode == 1, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == expected
    kept = tmp_path / "kept.json"
    kept.write_text("{}")
    kept.chmod(0o640)
    result = lnm("022", "build", str(spec), "--to", "0" * 64, "-o", str(kept), code=code)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640


@pytest.mark.parametrize(("args", "expected"), [
    (["lint", "--no-config", "SPEC", "-o", "SPEC/report.txt"], "is not a folder"),
    (["lint", "--no-config", "SPEC", "-o", "TMP"], "is a directory"),  # Click's usage error
    (["lint", "--no-config", "SPEC", "--write-baseline", "/proc/lnm-baseline.json"], "cannot write"),
    (["lint", "--no-config", "SPEC", "--write-baseline", "/proc/self/x/baseline.json"], "is not writable"),
    (["lint", "--no-config", "SPEC", "-o", "/dev/full"], "exists and is not a regular file"),
    (["build", "SPEC", "-o", "SPEC/body.json"], "is not a folder"),
    (["new", "shipment_completed_ja", "-o", "SPEC/x/new.json"], "is not a folder"),
    (["preview", "SPEC", "--out", "/proc/self/previews"], "is not writable"),
    (["preview", "SPEC", "--out", "SPEC/previews"], "is not a folder"),
    (["gallery", "--out", "SPEC/gallery"], "is not a folder"),
    (["demo", "--no-previews", "--out", "SPEC/demo"], "is not a folder"),
    (["pack", "SPEC", "--out", "SPEC/pack.zip"], "is not a folder"),
    (["review", "SPEC", "--out", "SPEC/review"], "is not a folder"),
])
def test_unwritable_output_is_one_line_and_nothing_is_left(tmp_path: Path, args: list[str], expected: str) -> None:
    spec = _dirty(tmp_path, "body.json")
    before = sorted(p.name for p in tmp_path.iterdir())
    full = [a.replace("SPEC", str(spec)).replace("TMP", str(tmp_path)) for a in args]
    result = lnm(*full)
    assert result.returncode == 2
    if result.stderr.startswith("Usage:"):  # Click checked the option itself: its usage error
        line = result.stderr.splitlines()[-1]
        assert line.startswith("Error: ") and "Traceback" not in result.stderr
    else:
        line = _one_line(result.stderr)
        assert line.startswith("lnm: ")
    assert expected in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary or half file


# --- class 8: internal errors -------------------------------------------------------------------------

_BOOM = ("import sys, toolkit.lint.engine as lint\n"
         "real = lint._lint_source\n"
         "def boom(source, *a, **k):\n"
         "    if 'boom' in source.path:\n"
         "        raise ValueError('synthetic bug while reading 080-1234-5678')\n"
         "    return real(source, *a, **k)\n"
         "lint._lint_source = boom\n"
         "from toolkit.cli import main\n"
         "main(sys.argv[1:])\n")


def test_bug_on_one_file_is_one_line_exit_3_and_the_others_are_linted(tmp_path: Path) -> None:
    _dirty(tmp_path, "a.json")
    _dirty(tmp_path, "boom.json")
    _dirty(tmp_path, "c.json")
    result = lnm("lint", "--no-config", "--select", "A002", "--format", "json", str(tmp_path), code=_BOOM)
    assert result.returncode == 3
    line = _one_line(result.stderr)
    assert line == (f"lnm: {tmp_path / 'boom.json'}: internal error: ValueError: synthetic bug while reading "
                    "<digits>, please report")
    linted = [Path(e["path"]).name for e in json.loads(result.stdout)["files"] if e["findings"]]
    assert linted == ["a.json", "c.json"]


def test_bug_outside_a_file_is_one_line_exit_3_traceback_only_on_request(tmp_path: Path) -> None:
    code = ("import sys, toolkit.rules as rules\n"
            "def boom(): raise KeyError('synthetic')\n"
            "rules.default_table = boom\n"
            "from toolkit.cli import main\nmain(sys.argv[1:])\n")
    spec = _dirty(tmp_path, "a.json")
    result = lnm("lint", str(spec), code=code)
    assert result.returncode == 3
    assert _one_line(result.stderr).startswith("lnm: internal error: KeyError: 'synthetic', please report")
    for args, env in ((["--debug", "lint", str(spec)], None), (["lint", str(spec)], {"LNM_DEBUG": "1"})):
        debug = lnm(*args, code=code, env=env)
        assert debug.returncode == 3
        assert "Traceback (most recent call last)" in debug.stderr
        assert debug.stderr.splitlines()[-1].startswith("lnm: internal error: KeyError")


@pytest.mark.parametrize("args", [["lint"], ["no-such-command"], ["lint", "--format", "nope", "x.json"],
                                  ["build", "--region", "XX", "x.json"]])
def test_click_usage_errors_keep_exit_2(args: list[str]) -> None:
    result = lnm(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
