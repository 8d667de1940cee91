"""The bare Playwright loop the preview benchmark compares ``lnm`` with, run as its own process.

    python bench/bare_loop.py HTML_DIR OUT_DIR [--pages 4]

Screenshots every ``*.html`` in ``HTML_DIR`` (written beforehand by bench/preview_bench.py: the very
pages ``lnm preview`` renders) the way a plain hand-written script does: one Chromium, four pages
in parallel (asyncio), ``set_content`` then a screenshot clipped to ``#phone`` at device scale 2 with
a transparent background (what makes it the same picture as lnm's), each PNG written to ``OUT_DIR``.
No other options: ``animations="disabled"`` and ``caret="hide"`` make Playwright do work in every
frame, which a user writing the alternative would not ask for and lnm does not need. Nothing else:
no sidecars, no contact sheets, no cache.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.render.browser import _BOX_JS, LAUNCH_ARGS, find_browser  # light: no Playwright import


async def shoot_all(pages: list[tuple[str, str]], out: Path, workers: int) -> None:
    from playwright.async_api import async_playwright

    args = list(LAUNCH_ARGS) + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=find_browser(), headless=True, args=args)
        context = await browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
        queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        for item in pages:
            queue.put_nowait(item)

        async def work() -> None:
            page = await context.new_page()
            while not queue.empty():
                name, html = queue.get_nowait()
                await page.set_content(html, wait_until="load")
                x, y, w, h = await page.evaluate(_BOX_JS)
                png = await page.screenshot(clip={"x": x, "y": y, "width": w, "height": h}, full_page=True,
                                            omit_background=True)
                (out / f"{name}.png").write_bytes(png)

        await asyncio.gather(*(work() for _ in range(workers)))
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("html_dir", type=Path)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pages", type=int, default=4)
    args = parser.parse_args()
    pages = [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(args.html_dir.glob("*.html"))]
    args.out_dir.mkdir(parents=True, exist_ok=True)
    asyncio.run(shoot_all(pages, args.out_dir, args.pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
