"""Bad input through the real entry point: one line on stderr naming the file, exit 2, no traceback,
and the other files still linted."""

from __future__ import annotations

import copy
import ctypes
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SPEC_BODY = json.loads((DATA / "lint" / "line-example.json").read_text(encoding="utf-8"))
Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess


def _good_but_dirty(folder: Path) -> Path:
    """A readable body with one A002 finding, linted beside each bad file."""
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"
    path = folder / "zz-readable.json"
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _deep(depth: int) -> bytes:
    return b'{"kind": "template", "x": ' + b"[" * depth + b"]" * depth + b"}"


CASES: list[tuple[str, bytes | None, str]] = [
    ("invalid.json", b'{\n  "kind": "template",\n  "title": oops\n}\n', ":3:12: invalid JSON: Expecting value"),
    ("trailing-comma.json", b'{"kind": "template",}', ":1:21: invalid JSON: "),
    ("empty.json", b"", ": file is empty"),
    ("blank.json", b"  \n\t\n", ": file is empty"),
    ("bom.json", b'\xef\xbb\xbf{"kind": "template"}', ":1:1: starts with a UTF-8 byte order mark"),
    ("latin1.json", b'{\n "title": "caf\xe9"\n}', ":2:15: byte 0xe9 is not valid UTF-8"),
    ("array.json", b"[1, 2]", ":1:1: top-level value is an array; expected a JSON object"),
    ("string.json", b'"hello"', ":1:1: top-level value is a string; expected a JSON object"),
    ("deep.json", _deep(100_000), ":1:426: JSON nested too deeply (more than 400 levels)"),
    ("huge.json", b'{"kind": "template", "title": "' + b"x" * (2 * 1024 * 1024 + 10) + b'"}', ": file is too large"),
    ("no-message.json", b'{"hello": "world"}', ":1:1: not a LINE notification message"),
]


@pytest.mark.parametrize(("name", "content", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_one_line_and_the_others_are_still_linted(lnm: Run, tmp_path: Path, name: str,
                                                              content: bytes, expected: str) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    good = _good_but_dirty(tmp_path)
    result = lnm("lint", "--select", "A002", str(bad), str(good))
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert line.startswith(f"lnm: {bad}{expected}"), line
    assert "Traceback" not in result.err
    assert f"{good}:2:9: A002 " in result.out  # the readable file's finding is still reported


def test_bad_file_inside_a_folder_in_every_format(lnm: Run, tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_bytes(b"{")
    good = _good_but_dirty(tmp_path)
    for fmt in ("json", "sarif", "junit", "github"):
        result = lnm("lint", "--format", fmt, "--select", "A002", str(tmp_path))
        assert result.code == 2, fmt
        expected = (f"lnm: {tmp_path / 'broken.json'}:1:2: invalid JSON: "
                    "Expecting property name enclosed in double quotes")
        assert result.err.splitlines() == [expected], fmt
        assert "A002" in result.out and good.name in result.out, fmt


def _folder(parent: Path, files: dict[str, str]) -> Path:
    folder = parent / "folder"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize(("make", "expected"), [
    (lambda d: d / "missing.json", "no such file or directory"),
    (lambda d: _folder(d, {"notes.txt": "hi"}), "directory holds no .json files"),
    (lambda d: _folder(d, {"package.json": '{"name": "x"}'}),
     "directory holds no LINE notification messages (specs or API bodies)"),
])
def test_bad_paths(lnm: Run, tmp_path: Path, make: Callable[[Path], Path], expected: str) -> None:
    target = make(tmp_path)
    good = _good_but_dirty(tmp_path)
    result = lnm("lint", "--select", "A002", str(target), str(good))
    assert result.code == 2
    assert result.err.splitlines() == [f"lnm: {target}: {expected}"]
    assert "A002" in result.out


def _drop_file_read_override() -> None:
    """In the child, as root: give up the capabilities that let root read any file."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def test_unreadable_file(tmp_path: Path) -> None:
    secret = tmp_path / "secret.json"
    secret.write_text('{"kind": "template"}', encoding="utf-8")
    secret.chmod(0)
    good = _good_but_dirty(tmp_path)
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("LNM_CATALOGUE", None)
    try:
        proc = subprocess.run([sys.executable, "-m", "toolkit", "lint", "--select", "A002", str(secret), str(good)],
                              cwd=ROOT, capture_output=True, text=True, env=env, timeout=120, check=False,
                              preexec_fn=_drop_file_read_override if os.geteuid() == 0 else None)
    except subprocess.SubprocessError as exc:
        pytest.skip(f"cannot drop root's file-read capability here: {exc}")
    finally:
        secret.chmod(0o600)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [f"lnm: {secret}: permission denied"]
    assert "A002" in proc.stdout
