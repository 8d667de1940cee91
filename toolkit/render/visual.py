"""Visual regression: compare rendered previews with approved baseline images.

A baseline directory holds approved PNGs under the same relative names as a preview run's output,
each with its JSON sidecar. A check compares every new PNG with its baseline:

- a size change fails at once, without looking at pixels;
- otherwise a pixel counts as changed when any channel differs by more than ``tolerance`` (0-255),
  and the image fails when the share of changed pixels exceeds ``max_diff_ratio``;
- a failing image gets a ``<name>.diff.png`` beside it: the new image dimmed, changed pixels in red
  and the changed region outlined.

Pixels from different Chromium builds differ, so a baseline made with another browser version is
reported as such and its pixels do not fail the check; the input hashes are compared whatever the
browser (a changed input with a different browser cannot be judged by pixels, so it fails and asks
for a review and ``--update``).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from PIL import Image, ImageChops, ImageDraw

from .._io import atomic_write_bytes
from ..errors import InputError
from ..i18n import N_, _

__all__ = [
    "DEFAULT_MAX_DIFF_RATIO",
    "DEFAULT_TOLERANCE",
    "CheckReport",
    "CheckResult",
    "PixelDiff",
    "check_images",
    "compare_images",
    "diff_path_for",
    "render_diff",
    "sidecar_path_for",
    "update_baselines",
]

DEFAULT_TOLERANCE = 16
"""Channel difference (0-255) a pixel may show before it counts as changed (anti-aliasing noise)."""

DEFAULT_MAX_DIFF_RATIO = 0.0001
"""Share of changed pixels an image may show and still pass; one changed word is well above this."""

_RED = (230, 0, 38, 255)
_OUTLINE = (255, 0, 200, 255)


@dataclass(frozen=True)
class PixelDiff:
    """How two images differ: sizes, the number of changed pixels and their bounding box."""

    size: tuple[int, int]
    baseline_size: tuple[int, int]
    changed: int = 0
    bbox: tuple[int, int, int, int] | None = None

    @property
    def size_changed(self) -> bool:
        return self.size != self.baseline_size

    @property
    def total(self) -> int:
        return self.size[0] * self.size[1]

    @property
    def ratio(self) -> float:
        """Share of pixels that changed (1.0 when the size changed)."""
        if self.size_changed:
            return 1.0
        return self.changed / self.total if self.total else 0.0


def _changed_mask(new: Image.Image, baseline: Image.Image, tolerance: int) -> Image.Image:
    """An ``L`` mask, 255 where any channel differs by more than ``tolerance``."""
    difference = ImageChops.difference(new.convert("RGBA"), baseline.convert("RGBA"))
    bands = difference.split()
    strongest = bands[0]
    for band in bands[1:]:
        strongest = ImageChops.lighter(strongest, band)
    threshold = max(0, min(255, tolerance))
    return strongest.point([0] * (threshold + 1) + [255] * (255 - threshold))


def compare_images(new: Image.Image, baseline: Image.Image, *,
                   tolerance: int = DEFAULT_TOLERANCE) -> tuple[PixelDiff, Image.Image | None]:
    """Compare two images; returns the measurements and the changed-pixel mask (None on a size change)."""
    if new.size != baseline.size:
        return PixelDiff(size=new.size, baseline_size=baseline.size), None
    mask = _changed_mask(new, baseline, tolerance)
    changed = mask.histogram()[255]
    bbox = mask.getbbox() if changed else None
    return PixelDiff(size=new.size, baseline_size=baseline.size, changed=changed, bbox=bbox), mask


def render_diff(new: Image.Image, baseline: Image.Image, diff: PixelDiff,
                mask: Image.Image | None) -> Image.Image:
    """A picture of the difference a reviewer can read at a glance.

    Same size: the new image dimmed, changed pixels in red, the changed region outlined.
    Size change: baseline and new image side by side, each outlined, with a band on top.
    """
    if mask is None or diff.size_changed:
        gap = 16
        width = baseline.width + new.width + gap
        height = max(baseline.height, new.height) + 40
        canvas = Image.new("RGBA", (width, height), (255, 255, 255, 255))
        canvas.paste(baseline.convert("RGBA"), (0, 40))
        canvas.paste(new.convert("RGBA"), (baseline.width + gap, 40))
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((0, 0, width - 1, 35), fill=_RED)
        draw.text((8, 12), f"size changed: baseline {baseline.width}x{baseline.height} (left), "
                           f"new {new.width}x{new.height} (right)", fill=(255, 255, 255, 255))
        draw.rectangle((0, 40, baseline.width - 1, 40 + baseline.height - 1), outline=_OUTLINE, width=3)
        left = baseline.width + gap
        draw.rectangle((left, 40, left + new.width - 1, 40 + new.height - 1), outline=_OUTLINE, width=3)
        return canvas.convert("RGB")
    base = new.convert("RGBA")
    dimmed = Image.blend(base, Image.new("RGBA", base.size, (255, 255, 255, 255)), 0.7)
    dimmed.paste(Image.new("RGBA", base.size, _RED), (0, 0), mask)
    if diff.bbox is not None:
        left, top, right, bottom = diff.bbox
        pad = 6
        box = (max(0, left - pad), max(0, top - pad), min(base.width - 1, right + pad),
               min(base.height - 1, bottom + pad))
        ImageDraw.Draw(dimmed).rectangle(box, outline=_OUTLINE, width=4)
    return dimmed.convert("RGB")


#: The file name ending of a carousel's whole-row image (see toolkit.render.preview).
ROW_SUFFIX = ".row.png"


def diff_path_for(png: Path) -> Path:
    """Where the diff image of ``png`` goes: ``name.diff.png`` beside it."""
    return png.with_name(f"{png.stem}.diff.png")


def sidecar_path_for(png: Path) -> Path:
    """The JSON sidecar that describes a rendered PNG (``name.json`` beside it); a carousel's whole-row
    image ``<stem>.<lang>.row.png`` is described by its chat screenshot's sidecar ``<stem>.<lang>.json``."""
    if png.name.endswith(ROW_SUFFIX):
        return png.with_name(png.name[: -len(ROW_SUFFIX)] + ".json")
    return png.with_suffix(".json")


def _read_sidecar(png: Path) -> dict[str, Any] | None:
    from .._io import read_regular_file

    path = sidecar_path_for(png)
    if not os.path.lexists(path):
        return None
    try:
        data = json.loads(read_regular_file(path, 1024 * 1024).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(N_("unreadable sidecar: {reason}", reason=str(exc)), path=str(path)) from None
    return data if isinstance(data, dict) else None


def _field(sidecar: Mapping[str, Any] | None, *names: str) -> str | None:
    if not sidecar:
        return None
    for name in names:
        value = sidecar.get(name)
        if isinstance(value, str):
            return value
        if isinstance(value, Mapping) and isinstance(value.get("version"), str):
            return str(value["version"])
    return None


def browser_version(sidecar: Mapping[str, Any] | None) -> str | None:
    """The browser version a sidecar records."""
    return _field(sidecar, "browserVersion", "browser_version", "browser")


def input_hash(sidecar: Mapping[str, Any] | None) -> str | None:
    """The input hash a sidecar records."""
    return _field(sidecar, "inputHash", "input_hash")


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one image."""

    name: str
    status: str
    """``same``, ``changed``, ``size-changed``, ``missing-baseline``, ``browser-changed`` or ``input-changed``."""
    failed: bool
    message: str
    diff: PixelDiff | None = None
    diff_image: Path | None = None


@dataclass
class CheckReport:
    """The verdicts on a whole run, and the browser versions seen."""

    baseline_dir: Path
    results: list[CheckResult] = field(default_factory=list)

    @property
    def failed(self) -> list[CheckResult]:
        return [r for r in self.results if r.failed]

    @property
    def browser_changed(self) -> list[CheckResult]:
        return [r for r in self.results if r.status in ("browser-changed", "input-changed")]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def lines(self) -> list[str]:
        """One line per image worth mentioning, then a summary line."""
        out = [_("{image}: {message}", image=r.name, message=r.message) for r in self.results if r.status != "same"]
        counts: dict[str, int] = {}
        for r in self.results:
            counts[r.status] = counts.get(r.status, 0) + 1
        # The statuses (same, changed, size-changed...) are names, as in the sidecars: not translated.
        args = {"folder": str(self.baseline_dir), "count": len(self.results), "failed": len(self.failed),
                "detail": ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))}
        if self.failed:
            # Translators: {detail} counts the images by status ("3 same, 1 changed"); statuses stay in English.
            out.append(_("check against {folder}: {count} image(s), {detail}: {failed} failed", **args))
        else:
            out.append(_("check against {folder}: {count} image(s), {detail}: passed", **args))
        if self.browser_changed:
            out.append(_("pixels of baselines made with another browser version were not judged; after reviewing "
                         "the new images, refresh the baselines with --update"))
        return out


def _load(path: Path) -> Image.Image:
    from ._images import load_png

    return load_png(path)  # a FIFO, a device or an image too large to decode among them: one line


def _write_png(path: Path, image: Image.Image, root: Path) -> None:
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    atomic_write_bytes(path, buffer.getvalue(), root=root)


def _check_one(png: Path, name: str, baseline_dir: Path, tolerance: int, max_diff_ratio: float,
               installed_browser: str | None, out_dir: Path) -> CheckResult:
    baseline_png = baseline_dir / name
    stale_diff = diff_path_for(png)
    if stale_diff.exists():
        stale_diff.unlink()
    if not baseline_png.is_file():
        return CheckResult(name, "missing-baseline", True,
                           N_("no approved baseline {path}; review the image and accept it with --update",
                              path=str(baseline_png)))
    new_side, base_side = _read_sidecar(png), _read_sidecar(baseline_png)
    new_browser = browser_version(new_side) or installed_browser
    base_browser = browser_version(base_side)
    other_browser = bool(base_browser and new_browser and base_browser != new_browser)
    new_input, base_input = input_hash(new_side), input_hash(base_side)
    input_changed = bool(new_input and base_input and new_input != base_input)

    new_image, base_image = _load(png), _load(baseline_png)
    diff, mask = compare_images(new_image, base_image, tolerance=tolerance)
    over = diff.size_changed or diff.ratio > max_diff_ratio
    if over:
        _write_png(stale_diff, render_diff(new_image, base_image, diff, mask), out_dir)
    measured = _measured(diff, max_diff_ratio)
    if over:
        measured = N_("{measured} (diff: {path})", measured=measured, path=str(stale_diff))
    if other_browser:
        versions = N_("baseline made with browser {old}, this run uses {new}", old=base_browser, new=new_browser)
        if input_changed:
            return CheckResult(name, "input-changed", True,
                               N_("input changed since the baseline and {versions}, so pixels cannot tell whether the "
                                  "change is right; {measured}", versions=versions, measured=measured),
                               diff, stale_diff if over else None)
        unjudged = (N_("{versions}; input unchanged, pixels not judged ({measured}) (diff: {path})", versions=versions,
                       measured=_measured(diff, max_diff_ratio), path=str(stale_diff)) if over else
                    N_("{versions}; input unchanged, pixels not judged ({measured})", versions=versions,
                       measured=measured))
        return CheckResult(name, "browser-changed", False, unjudged, diff, stale_diff if over else None)
    if over:
        status = "size-changed" if diff.size_changed else "changed"
        return CheckResult(name, status, True, measured, diff, stale_diff)
    if input_changed:
        return CheckResult(name, "same", False, N_("input changed but the image is the same") if not diff.changed
                           else N_("input changed but the image is within tolerance"), diff)
    return CheckResult(name, "same", False, N_("same") if not diff.changed else N_("within tolerance"), diff)


def _measured(diff: PixelDiff, max_diff_ratio: float) -> str:
    """What changed, in numbers: the size, or the changed pixels and where they are."""
    if diff.size_changed:
        old, new = (f"{w}x{h}" for w, h in (diff.baseline_size, diff.size))
        return N_("size changed from {old} to {new}", old=old, new=new)
    args = {"count": diff.changed, "ratio": f"{diff.ratio:.4%}", "allowed": f"{max_diff_ratio:.4%}"}
    if diff.bbox:
        left, top, right, bottom = diff.bbox
        region = f"{right - left}x{bottom - top}+{left}+{top}"
        return N_("{count} pixel(s) changed ({ratio}, allowed {allowed}) in region {region}", region=region, **args)
    return N_("{count} pixel(s) changed ({ratio}, allowed {allowed})", **args)


def check_images(pngs: Iterable[Path], out_dir: Path, baseline_dir: Path, *,
                 tolerance: int = DEFAULT_TOLERANCE, max_diff_ratio: float = DEFAULT_MAX_DIFF_RATIO,
                 installed_browser: str | None = None) -> CheckReport:
    """Compare each PNG (named by its path relative to ``out_dir``) with ``baseline_dir``'s copy."""
    if not 0 <= tolerance <= 255:
        raise ValueError("tolerance must be between 0 and 255")
    if not 0 <= max_diff_ratio <= 1:
        raise ValueError("max_diff_ratio must be between 0 and 1")
    report = CheckReport(baseline_dir=baseline_dir)
    for png in pngs:
        name = png.resolve().relative_to(out_dir.resolve()).as_posix()
        report.results.append(_check_one(png, name, baseline_dir, tolerance, max_diff_ratio, installed_browser,
                                         out_dir))
    return report


def update_baselines(pngs: Iterable[Path], out_dir: Path, baseline_dir: Path) -> list[Path]:
    """Accept the new images: copy each PNG and its sidecar into ``baseline_dir``; returns the PNGs written.

    Every target is checked first: a folder inside ``baseline_dir`` that is a symbolic link out of it
    stops the update before any baseline is replaced.
    """
    from .._io import check_inside, read_regular_file
    from ..limits import IMAGE_MAX_BYTES

    pairs = [(png, baseline_dir / png.resolve().relative_to(out_dir.resolve())) for png in pngs]
    for _png, target in pairs:
        check_inside(target.parent, baseline_dir)
    written = []
    for png, target in pairs:
        for source, dest in ((png, target), (sidecar_path_for(png), sidecar_path_for(target))):
            if source.is_file():
                atomic_write_bytes(dest, read_regular_file(source, IMAGE_MAX_BYTES), root=baseline_dir)
        stale = diff_path_for(png)
        if stale.exists():
            stale.unlink()
        written.append(target)
    return written
