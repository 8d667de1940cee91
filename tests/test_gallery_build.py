"""Building a gallery in real Chromium, and the committed gallery's pixels against a fresh render."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from toolkit.render.gallery import build_gallery, check_gallery
from toolkit.render.visual import check_images

from .conftest import EXAMPLES, ROOT

GALLERY = ROOT / "previews"
JP_SPEC = EXAMPLES / "JP" / "shipment_completed_ja.json"
TH_SPEC = EXAMPLES / "TH" / "login_alert_th.json"


def test_build_check_change_and_prune(tmp_path: Path) -> None:
    source = tmp_path / "examples"
    for spec in (JP_SPEC, TH_SPEC):
        (source / spec.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(spec, source / spec.parent.name / spec.name)
    out = tmp_path / "previews"

    first = build_gallery(out, source=source, langs=["ja", "en"])
    assert (first.messages, first.images, first.rendered) == (2, 4, 4)
    assert (out / "JP" / "shipment_completed_ja.ja.png").is_file()
    assert (out / "TH" / "login_alert_th.sheet.png").is_file()
    assert check_gallery(out, source) == [], "a fresh gallery must be current"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "JP/shipment_completed_ja.en.png" in index and "Thailand" in index

    changed = source / "TH" / "login_alert_th.json"
    spec = json.loads(changed.read_text(encoding="utf-8"))
    spec["samples"]["default"]["login"]["device"] = "Firefox บน Windows"
    changed.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    problems = check_gallery(out, source)
    assert any("login_alert_th.json: spec changed" in p for p in problems)
    assert any("login_alert_th.json: ja: rendered HTML changed" in p for p in problems)
    assert not any("shipment_completed_ja" in p for p in problems)

    second = build_gallery(out, source=source, langs=["ja", "en"])
    assert (second.rendered, second.cached) == (2, 2)
    assert check_gallery(out, source) == []

    (source / "JP" / "shipment_completed_ja.json").unlink()
    third = build_gallery(out, source=source, langs=["ja", "en"])
    assert (third.messages, third.rendered, third.launched) == (1, 0, False)
    assert third.removed == 5  # two PNGs, two sidecars, one contact sheet
    assert not list((out / "JP").glob("*.png"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [e["templateKey"] for e in manifest["entries"]] == ["login_alert_th"]


def test_committed_pixels_match_a_fresh_render(tmp_path: Path) -> None:
    """Compared only when the gallery was drawn by the installed Chromium: another build draws other
    pixels, and a browser update must not turn the suite red (see environment.md)."""
    from toolkit.render.browser import browser_version, find_browser
    from toolkit.render.preview import render_previews

    manifest = json.loads((GALLERY / "manifest.json").read_text(encoding="utf-8"))
    installed = browser_version(find_browser())
    recorded = manifest["browserVersion"]
    if installed != recorded:
        pytest.skip(f"previews/ was drawn by Chromium {recorded}, this machine has {installed}: pixels not "
                    "compared (hashes still are); refresh with `make previews`")
    source = tmp_path / "examples"
    for spec in (JP_SPEC, TH_SPEC):
        (source / spec.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(spec, source / spec.parent.name / spec.name)
    out = tmp_path / "out"
    run = render_previews([source], langs=manifest["languages"], out_dir=out, use_cache=False)
    pngs = [image.png for message in run.messages for image in message.images]
    assert len(pngs) == 8
    report = check_images(pngs, out, GALLERY)
    assert report.exit_code == 0, "\n".join(report.lines())
    assert all(r.status == "same" for r in report.results)
