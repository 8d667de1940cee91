"""The 70 real-world Flex containers of ``shared/testdata/flex``, rendered in one browser.

Used by tests/test_flex_render.py, and run as a script for a contact sheet of all of them for a person
to look at (``make flex-sheet``; written under the current folder, never committed). The sheet shows
each chat screenshot, then the whole row of every carousel (the chat screen cuts it off, as the app
does):

    .venv/bin/python -m tests.flex_samples [--samples DIR] [--out flex-sheet.png] [--theme dark]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(os.environ.get("LNM_FLEX_SAMPLES") or ROOT.parent / "shared" / "testdata" / "flex")
#: The 13 reconstructions of LINE's Flex Message Simulator showcase (see NOTICE.md there).
SHOWCASE = "line-showcase"


@dataclass
class Sample:
    """One container file and its chat page."""

    name: str
    path: Path
    contents: Any
    html: str = ""
    #: A carousel's whole-row page and its width (CSS px), when asked for.
    row: tuple[str, int] | None = None


def load_samples(root: Path = SAMPLES) -> list[Sample]:
    """Every ``*.json`` container under ``root``, sorted by folder and name."""
    return [Sample(f"{p.parent.name}/{p.stem}", p, json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(root.rglob("*.json"))]


def flex_document(contents: Any, alt: str = "Flex Message") -> dict[str, Any]:
    """A flexible message body holding one Flex message with ``contents``."""
    return {"messages": [{"type": "flex", "altText": alt, "contents": contents}]}


def page_for(sample: Sample, *, lang: str = "en", width: int = 375, theme: str = "light") -> str:
    from toolkit.render.preview import build_html

    return build_html(flex_document(sample.contents, sample.name), lang=lang, width=width, theme=theme,
                      path=str(sample.path))


def row_for(sample: Sample, *, lang: str = "en", width: int = 375, theme: str = "light") -> tuple[str, int] | None:
    """The whole-row page of a carousel sample (every bubble) and its width, else None."""
    from toolkit.render.chat import ChatScreen, build_carousel_row
    from toolkit.render.preview import preview_message

    msg = preview_message(flex_document(sample.contents, sample.name), path=str(sample.path))
    row = build_carousel_row(msg, ChatScreen(app_language=lang, width=width, theme=theme))
    return (row.html, row.width) if row is not None else None


#: The name under which a carousel's whole row is rendered (``rows=True``).
ROW_SUFFIX = " (whole row)"


async def render_all(samples: Sequence[Sample], *, pool: Any, width: int = 375, theme: str = "light",
                     rows: bool = False) -> tuple[dict[str, bytes], str]:
    """Screenshot every sample on ``pool`` (a started BrowserPool): (PNG per name, browser version).
    With ``rows``, each carousel's whole row too, named ``name + ROW_SUFFIX``."""
    from toolkit.render.browser import Job

    for sample in samples:
        sample.html = page_for(sample, width=width, theme=theme)
        sample.row = row_for(sample, width=width, theme=theme) if rows else None
    shots: dict[str, bytes] = {}
    jobs = [Job(s.name, s.html, width) for s in samples]
    jobs += [Job(s.name + ROW_SUFFIX, s.row[0], s.row[1]) for s in samples if s.row is not None]
    await pool.render(jobs, lambda job, png: shots.__setitem__(job.key, png))
    return shots, str(pool.version)


async def _render_with_new_pool(samples: Sequence[Sample], theme: str) -> tuple[dict[str, bytes], list[str], str]:
    from toolkit.render.browser import BrowserPool, find_browser

    async with BrowserPool(find_browser()) as pool:
        shots, version = await render_all(samples, pool=pool, theme=theme, rows=True)
        return shots, list(pool.blocked), version


def contact_sheet(shots: dict[str, bytes], out: Path, *, columns: int = 10) -> Path:
    """All screenshots at a quarter of their pixels in a grid, each captioned with its sample name;
    then the carousels' whole rows, one a line, at the same scale."""
    from PIL import Image, ImageDraw

    from toolkit._io import atomic_write_bytes

    pictures, whole_rows = [], []
    for name, data in sorted(shots.items()):
        with Image.open(io.BytesIO(data)) as image:
            (whole_rows if name.endswith(ROW_SUFFIX) else pictures).append((name, image.convert("RGB").reduce(4)))
    cell_w = max(p.width for _, p in pictures) + 12
    rows = [pictures[i:i + columns] for i in range(0, len(pictures), columns)]
    heights = [max(p.height for _, p in row) + 28 for row in rows]
    width = max(cell_w * min(columns, len(pictures)) + 12, *(p.width + 24 for _, p in whole_rows))
    height = sum(heights) + sum(p.height + 28 for _, p in whole_rows) + 12
    sheet = Image.new("RGB", (width, height), (244, 245, 247))
    draw = ImageDraw.Draw(sheet)
    y = 12
    for row, row_height in zip(rows, heights, strict=True):
        for index, (name, picture) in enumerate(row):
            x = 12 + index * cell_w
            draw.text((x, y), name, fill=(34, 38, 46))
            sheet.paste(picture, (x, y + 16))
        y += row_height
    for name, picture in whole_rows:
        draw.text((12, y), name, fill=(34, 38, 46))
        sheet.paste(picture, (12, y + 16))
        y += picture.height + 28
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG")
    atomic_write_bytes(out, buffer.getvalue())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Contact sheet of the real-world Flex samples.")
    parser.add_argument("--samples", type=Path, default=SAMPLES, help=f"folder of containers (default {SAMPLES})")
    parser.add_argument("--out", type=Path, default=Path("flex-sheet.png"), help="sheet to write (default ./flex-sheet.png)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    args = parser.parse_args(argv)
    if not args.samples.is_dir():
        print(f"flex-sheet: no sample folder {args.samples}; pass --samples DIR", file=sys.stderr)
        return 2
    samples = load_samples(args.samples)
    shots, blocked, version = asyncio.run(_render_with_new_pool(samples, args.theme))
    contact_sheet(shots, args.out)
    carousels = sum(1 for name in shots if name.endswith(ROW_SUFFIX))
    print(f"{len(shots) - carousels} samples ({carousels} carousels, shown whole below), Chromium {version}, "
          f"{len(blocked)} blocked requests -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
