"""render_previews end to end in real Chromium: files, sidecars, cache, atomic writes, sheets."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from toolkit.errors import RenderError
from toolkit.render import contact_sheet
from toolkit.render.preview import _shard, input_hash_for, render_previews
from toolkit.spec.catalogue import load_catalogue

from .preview_support import FLEXIBLE, spec, write_catalogue, write_json


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("lnm-cache")


@pytest.fixture(autouse=True)
def _cache_env(monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    monkeypatch.setenv("LNM_CACHE_DIR", str(cache_dir))
    monkeypatch.delenv("LNM_CHROMIUM", raising=False)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalogue((str(write_catalogue(tmp_path_factory.mktemp("cat"))),))


def _inputs(root: Path) -> Path:
    write_json(root / "in" / "JP" / "shipment.json", spec())
    write_json(root / "in" / "chat.json", FLEXIBLE)
    (root / "in" / "notes.json").write_text('{"not": "a message"}', encoding="utf-8")  # skipped
    return root / "in"


def _size(path: Path) -> tuple[int, int]:
    with Image.open(path) as image:
        return image.size


def _tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def test_render_cache_and_outputs(tmp_path: Path, catalogue: Any) -> None:
    inputs, out = _inputs(tmp_path), tmp_path / "out"
    ticks: list[tuple[int, int]] = []
    run = render_previews([inputs], langs=["ja", "th"], out_dir=out, html=True, catalogue=catalogue,
                          progress=lambda done, total: ticks.append((done, total)))
    assert run.launched and run.rendered == 4 and run.cached == 0
    assert ticks == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert sorted(m.stem for m in run.messages) == [out / "JP" / "shipment", out / "chat"]
    version = subprocess.run(["/usr/bin/chromium", "--version"], capture_output=True, text=True).stdout
    assert run.browser_version in version

    shipment = next(m for m in run.messages if m.stem.name == "shipment")
    assert shipment.language == "ja" and shipment.sample == "default"
    png = out / "JP" / "shipment.th.png"
    with Image.open(png) as image:
        assert image.size[0] == 750 and image.size[1] >= 1334 and image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0, "rounded corners are transparent"
    side = json.loads((out / "JP" / "shipment.th.json").read_text(encoding="utf-8"))
    assert side["appLanguage"] == "th" and side["chromeLanguage"] == "th" and side["messageLanguage"] == "ja"
    assert side["viewport"] == {"width": 375, "deviceScaleFactor": 2} and side["theme"] == "light"
    assert side["browser"]["version"] == run.browser_version and side["sample"] == "default"
    assert side["clock"] == "2024-08-09T18:30:00+09:00"
    assert re.fullmatch(r"[0-9a-f]{64}", side["inputHash"]) and re.fullmatch(r"[0-9a-f]{64}", side["rendererHash"])
    assert {"NotoSansCJK-Regular.ttc", "NotoSansThai-Regular.ttf"} <= set(side["fonts"])
    assert all(re.fullmatch(r"[0-9a-f]{64}", h) for h in side["fonts"].values())
    import hashlib

    assert side["image"]["sha256"] == hashlib.sha256(png.read_bytes()).hexdigest()
    assert side["inputHash"] == input_hash_for(inputs / "JP" / "shipment.json", lang="th", sidecar=side,
                                               catalogue=catalogue)
    html = (out / "JP" / "shipment.th.html").read_text(encoding="utf-8")
    assert "การแจ้งเตือนสำคัญ" in html and "<script" not in html

    with Image.open(shipment.sheet) as sheet:  # type: ignore[arg-type]
        sizes = [_size(p) for p in (out / "JP" / "shipment.ja.png", png)]
        assert sheet.size == contact_sheet.sheet_size(sizes)
        assert sheet.size == (2 * contact_sheet.PAD + 2 * 375 + contact_sheet.GAP,
                              2 * contact_sheet.PAD + contact_sheet.TITLE_H + contact_sheet.CAPTION_H
                              + max(h for _, h in sizes) // 2)
    assert not _tmp_files(tmp_path)

    # nothing changed: no browser, no writes
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    again = render_previews([inputs], langs=["ja", "th"], out_dir=out, html=True, catalogue=catalogue)
    assert not again.launched and again.rendered == 0 and again.cached == 4
    assert all(image.cached and image.size[0] == 750 for m in again.messages for image in m.images)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps

    # one input changed, one PNG damaged: exactly those are rendered again
    write_json(inputs / "chat.json", {"messages": [{"type": "text", "text": "変更しました"}]})
    (out / "JP" / "shipment.ja.png").write_bytes(b"broken")
    third = render_previews([inputs], langs=["ja", "th"], out_dir=out, catalogue=catalogue)
    fresh = sorted((m.stem.name, i.lang) for m in third.messages for i in m.images if not i.cached)
    assert fresh == [("chat", "ja"), ("chat", "th"), ("shipment", "ja")] and third.rendered == 3
    # --no-cache renders again what is cached
    again = render_previews([inputs / "chat.json"], langs=["ja"], out_dir=out, use_cache=False,
                            catalogue=catalogue)
    assert again.launched and again.rendered == 1 and again.cached == 0


def test_interrupted_write_keeps_the_old_file(tmp_path: Path, catalogue: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    source = write_json(tmp_path / "m.json", FLEXIBLE)
    out = tmp_path / "out"
    render_previews([source], langs=["en"], out_dir=out, catalogue=catalogue)
    before = (out / "m.en.png").read_bytes()
    write_json(source, {"messages": [{"type": "text", "text": "new text"}]})

    real_replace = os.replace

    def failing_replace(src: Any, dst: Any) -> None:
        if str(dst).endswith(".png"):
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr("toolkit._io.os.replace", failing_replace)
    with pytest.raises(RenderError, match="cannot write .*m.en.png: No space left on device"):
        render_previews([source], langs=["en"], out_dir=out, catalogue=catalogue)
    assert (out / "m.en.png").read_bytes() == before
    assert not _tmp_files(tmp_path)


def test_progress_bar_text(capsys: pytest.CaptureFixture[str]) -> None:
    from toolkit.render.preview import _progress_bar

    _progress_bar(3, 12)
    _progress_bar(12, 12)
    err = capsys.readouterr().err
    assert "\rlnm preview [#######" in err and " 3/12" in err and err.endswith("12/12\n")


def test_shards_split_the_sorted_inputs_stably() -> None:
    files = list(range(10))
    for n in (1, 2, 3, 4, 10, 12):
        slices = [_shard(files, (k, n)) for k in range(1, n + 1)]
        assert [x for s in slices for x in s] == files
        assert max(map(len, slices)) - min(map(len, slices)) <= 1
