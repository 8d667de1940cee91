"""``lnm preview --check``: visual regression through the real CLI and the real Chromium."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from .conftest import EXAMPLES, run_lnm

SPEC = EXAMPLES / "JP" / "shipment_completed_ja.json"


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A spec rendered once in ja and accepted as the baseline (``base/``), its output in ``out/``."""
    root = tmp_path_factory.mktemp("approved")
    shutil.copy(SPEC, root / "order.json")
    result = run_lnm("preview", str(root / "order.json"), "--lang", "ja", "--out", str(root / "out"),
                     "--check", str(root / "base"), "--update")
    assert result.code == 0, result.err
    assert (root / "base" / "order.ja.png").is_file() and (root / "base" / "order.ja.json").is_file()
    return root


@pytest.fixture
def work(approved: Path, tmp_path: Path) -> Path:
    """A private copy of the approved spec, output and baseline."""
    shutil.copytree(approved, tmp_path, dirs_exist_ok=True)
    return tmp_path


def check(work: Path, *extra: str) -> tuple[int, str]:
    result = run_lnm("preview", str(work / "order.json"), "--lang", "ja", "--out", str(work / "out"),
                     "--check", str(work / "base"), *extra)
    return result.code, result.err


def test_unchanged_render_passes(work: Path) -> None:
    code, err = check(work)
    assert code == 0, err
    assert "passed" in err
    assert not (work / "out" / "order.ja.diff.png").exists()


def test_one_changed_word_fails_with_a_diff_image(work: Path) -> None:
    spec = json.loads((work / "order.json").read_text(encoding="utf-8"))
    sample = spec["samples"]["default"]["order"]
    assert "スープ" in sample["item_name"]
    sample["item_name"] = sample["item_name"].replace("スープ", "カレー")
    (work / "order.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    code, err = check(work)
    assert code == 1, err
    assert "order.ja.png" in err and "pixel(s) changed" in err and "1 failed" in err
    diff = work / "out" / "order.ja.diff.png"
    assert diff.is_file()
    with Image.open(diff) as image, Image.open(work / "base" / "order.ja.png") as base:
        assert image.size == base.size
        red = image.convert("RGB").getcolors(maxcolors=1 << 20) or []
        assert any(colour == (230, 0, 38) for _, colour in red), "changed pixels are not marked red"
    # Accepting the change makes the next check pass.
    code, err = check(work, "--update")
    assert code == 0 and "accepted 1 image" in err
    assert check(work)[0] == 0


def test_size_change_fails(work: Path) -> None:
    code, err = check(work, "--width", "320", "--max-diff-ratio", "1")
    assert code == 1, err
    assert "size changed from 750x" in err and "to 640x" in err
    assert (work / "out" / "order.ja.diff.png").is_file()


def test_other_browser_version_is_reported_and_does_not_fail(work: Path) -> None:
    sidecar = work / "base" / "order.ja.json"
    meta = json.loads(sidecar.read_text(encoding="utf-8"))
    installed = meta["browser"]["version"]
    meta["browser"]["version"] = "99.0.1.2"
    sidecar.write_text(json.dumps(meta), encoding="utf-8")
    with Image.open(work / "base" / "order.ja.png") as image:  # another browser draws other pixels
        image.convert("RGB").point(lambda v: max(0, v - 40)).save(work / "base" / "order.ja.png")
    code, err = check(work)
    assert code == 0, err
    assert f"baseline made with browser 99.0.1.2, this run uses {installed}" in err
    assert "--update" in err


def test_update_needs_a_baseline_dir(work: Path) -> None:
    result = run_lnm("preview", str(work / "order.json"), "--lang", "ja", "--out", str(work / "out"), "--update")
    assert result.code == 2
    assert result.err.count("\n") == 1 and "--check" in result.err
