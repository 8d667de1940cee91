"""Values JSON allows and LINE cannot take, through the installed ``lnm`` command: each is one line
naming file, line and column with exit 2, and the other files of a folder are still linted."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import EXAMPLES

LNM = str(Path(sys.executable).parent / "lnm")
GOOD = (EXAMPLES / "JP" / "order_confirmed_ja.json").read_text(encoding="utf-8")
QUANTITY = '"quantity": 2,'  # line 62, column 9 of the example; its value starts at column 21


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LNM, *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"})


def _with(replacement: str) -> str:
    assert QUANTITY in GOOD
    return GOOD.replace(QUANTITY, replacement)


CASES = [
    ("nan", '"quantity": NaN,', ":62:21: NaN is not valid JSON"),
    ("infinity", '"quantity": Infinity,', ":62:21: Infinity is not valid JSON"),
    ("minus-infinity", '"quantity": -Infinity,', ":62:21: -Infinity is not valid JSON"),
    ("overflow", '"quantity": 1e400,', ":62:21: number 1e400 is too large"),
    ("huge-int", '"quantity": ' + "9" * 5000 + ",", ":62:21: integer of 5,000 digits; the limit is 64 digits"),
    ("huge-negative-int", '"quantity": -' + "1" * 70 + ",", ":62:21: integer of 70 digits"),
    ("duplicate-key", '"quantity": 2,\n        "total": 1,',
     ':65:9: duplicate key "total" (first at line 63, column 9)'),
    ("lone-high-surrogate", '"quantity": 2, "note": "bad \\ud800 end",', ":62:32: string holds a lone UTF-16 surrogate"),
    ("lone-low-surrogate", '"quantity": 2, "\\udc00": 1,', ":62:24: string holds a lone UTF-16 surrogate"),
]


def test_each_value_line_cannot_take_is_one_line_and_the_folder_run_goes_on(tmp_path: Path) -> None:
    for name, replacement, _ in CASES:
        (tmp_path / f"{name}.json").write_text(_with(replacement), encoding="utf-8")
    (tmp_path / "a-good.json").write_text(GOOD, encoding="utf-8")
    (tmp_path / "zz-good.json").write_text(GOOD, encoding="utf-8")
    result = run("lint", "--show-info", "--select", "G051", ".", cwd=tmp_path)  # G051 is an info note
    assert result.returncode == 2
    lines = sorted(result.stderr.splitlines())
    assert len(lines) == len(CASES), result.stderr
    for line, (name, _, expected) in zip(lines, sorted(CASES), strict=True):
        assert line.startswith(f"lnm: ./{name}.json{expected}"), line
    assert "Traceback" not in result.stderr
    for good in ("a-good.json", "zz-good.json"):  # both neighbours are still linted and reported
        assert f"./{good}:18:20: G051 " in result.stdout
    assert f"{len(CASES) + 2} files, 4 samples" in result.stdout


def test_paired_surrogates_and_escaped_backslashes_are_fine(tmp_path: Path) -> None:
    spec = _with('"quantity": 2, "emoji": "\\ud83d\\ude00", "text": "\\\\ud800 is how you write it",')
    (tmp_path / "fine.json").write_text(spec, encoding="utf-8")
    result = run("lint", "--select", "A", "fine.json", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")


@pytest.mark.parametrize(("replacement", "expected"), [
    ('"quantity": NaN,', "lnm: spec.json:62:21: NaN is not valid JSON"),
    ('"quantity": 2, "note": "\\udfff",', "lnm: spec.json:62:32: string holds a lone UTF-16 surrogate (\\udfff)"),
    ('"quantity": 2,\n        "quantity": 3,', 'lnm: spec.json:63:9: duplicate key "quantity"'),
])
def test_build_refuses_with_one_line(tmp_path: Path, replacement: str, expected: str) -> None:
    (tmp_path / "spec.json").write_text(_with(replacement), encoding="utf-8")
    result = run("build", "spec.json", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(expected), line
    assert not (tmp_path / "out.json").exists()


def test_catalogue_file_with_a_duplicate_key_is_named(tmp_path: Path) -> None:
    extra = tmp_path / "cat"
    extra.mkdir()
    (extra / "items.json").write_text('{\n  "items": [],\n  "items": []\n}\n', encoding="utf-8")
    (tmp_path / "spec.json").write_text(GOOD, encoding="utf-8")
    result = run("lint", "--catalogue", str(extra), "spec.json", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"lnm: {extra / 'items.json'}:3:3: catalogue file cannot be read: duplicate key"), line
