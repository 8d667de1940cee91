"""Visual comparison on small drawn images: tolerance, changed share, size change, browser versions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from toolkit.render.visual import check_images, compare_images, diff_path_for, update_baselines


def card(text: str, size: tuple[int, int] = (200, 120), shade: int = 0) -> Image.Image:
    image = Image.new("RGB", size, (255 - shade, 255 - shade, 255 - shade))
    ImageDraw.Draw(image).text((20, 50), text, fill=(0, 0, 0))
    return image


def save(directory: Path, name: str, image: Image.Image, *, browser: str = "156.0", input_hash: str = "in-1") -> Path:
    png = directory / name
    png.parent.mkdir(parents=True, exist_ok=True)
    image.save(png)
    png.with_suffix(".json").write_text(json.dumps({"inputHash": input_hash, "browserVersion": browser}))
    return png


def test_identical_images_have_no_changed_pixels() -> None:
    diff, mask = compare_images(card("Soup set"), card("Soup set"))
    assert diff.changed == 0 and diff.bbox is None and not diff.size_changed and mask is not None


def test_small_channel_noise_stays_within_tolerance() -> None:
    diff, _ = compare_images(card("Soup set", shade=10), card("Soup set"), tolerance=16)
    assert diff.changed == 0
    diff, _ = compare_images(card("Soup set", shade=10), card("Soup set"), tolerance=5)
    assert diff.changed > 0.9 * diff.total  # every background pixel, not the black glyphs


def test_changed_word_is_counted_and_boxed() -> None:
    diff, _ = compare_images(card("Soup set"), card("Stew set"))
    assert diff.changed > 0
    left, top, right, bottom = diff.bbox or (0, 0, 0, 0)
    assert 20 <= left and right <= 80 and 50 <= top and bottom <= 64


def test_size_change_is_reported_without_pixels() -> None:
    diff, mask = compare_images(card("x", size=(200, 130)), card("x"))
    assert diff.size_changed and diff.ratio == 1.0 and mask is None


def test_check_fails_on_a_changed_word_and_writes_a_diff_image(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    save(base, "JP/a.ja.png", card("Order: Soup"))
    new = save(out, "JP/a.ja.png", card("Order: Stew"), input_hash="in-2")
    report = check_images([new], out, base)
    assert report.exit_code == 1
    [result] = report.results
    assert result.status == "changed" and result.diff_image == diff_path_for(new)
    diff = result.diff
    assert diff is not None and diff.bbox is not None
    with Image.open(diff_path_for(new)) as diff_image:
        assert diff_image.size == (200, 120)
        colours = {colour for _, colour in diff_image.getcolors(maxcolors=1 << 16) or []}
        assert (230, 0, 38) in colours, "changed pixels are red"
        left, top = diff.bbox[0] - 6, diff.bbox[1] - 6
        assert diff_image.getpixel((left, top)) == (255, 0, 200), "the changed region is outlined"
        unchanged_ink = next((x, y) for x in range(diff.bbox[0] - 8) for y in range(120)
                             if card("Order: Stew").getpixel((x, y))[0] < 20)
        assert 170 <= diff_image.getpixel(unchanged_ink)[0] <= 190, "unchanged text is dimmed, not hidden"
    assert "JP/a.ja.png" in report.lines()[0]


def test_check_passes_an_unchanged_image_and_removes_an_old_diff(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    save(base, "a.png", card("Soup set"))
    new = save(out, "a.png", card("Soup set"))
    diff_path_for(new).write_bytes(b"old")
    report = check_images([new], out, base)
    assert report.exit_code == 0 and report.results[0].status == "same"
    assert not diff_path_for(new).exists()


def test_size_change_fails_at_once_with_side_by_side_diff(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    save(base, "a.png", card("Soup set"))
    new = save(out, "a.png", card("Soup set", size=(200, 140)))
    report = check_images([new], out, base, max_diff_ratio=1.0)
    assert report.exit_code == 1 and report.results[0].status == "size-changed"
    assert "size changed from 200x120 to 200x140" in report.results[0].message
    with Image.open(diff_path_for(new)) as diff_image:
        assert diff_image.width > 400


def test_missing_baseline_fails_and_update_accepts_it(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    new = save(out, "TH/a.th.png", card("Soup set"))
    report = check_images([new], out, base)
    assert report.results[0].status == "missing-baseline" and report.exit_code == 1
    assert update_baselines([new], out, base) == [base / "TH/a.th.png"]
    assert (base / "TH/a.th.json").is_file()
    assert check_images([new], out, base).exit_code == 0


def test_other_browser_version_is_reported_not_failed(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    save(base, "a.png", card("Soup set"), browser="155.0")
    new = save(out, "a.png", card("Soup sot"), browser="156.0")
    report = check_images([new], out, base)
    assert report.exit_code == 0
    [result] = report.results
    assert result.status == "browser-changed"
    assert "155.0" in result.message and "156.0" in result.message
    assert any("--update" in line for line in report.lines())


def test_other_browser_with_changed_input_fails(tmp_path: Path) -> None:
    base, out = tmp_path / "base", tmp_path / "out"
    save(base, "a.png", card("Soup set"), browser="155.0")
    new = save(out, "a.png", card("Stew set"), browser="156.0", input_hash="in-2")
    report = check_images([new], out, base)
    assert report.exit_code == 1 and report.results[0].status == "input-changed"


@pytest.mark.parametrize("kwargs", [{"tolerance": 300}, {"max_diff_ratio": 2.0}])
def test_out_of_range_settings_are_refused(tmp_path: Path, kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        check_images([], tmp_path, tmp_path, **kwargs)  # type: ignore[arg-type]
