"""Preview speed, measured side by side in one run.

    .venv/bin/python bench/preview_bench.py [--repeat 2] [--naive 20] [--json]

After an untimed warm-up screenshot, steps 1 and 2 alternate ``--repeat`` times (each gallery run
cold, in its own folder and cache) and the best time of each is kept.

1. **lnm**: the whole gallery (every example spec x the default app languages) rendered with a cold
   cache into a temporary folder, exactly as ``lnm gallery`` does it (HTML, screenshots, sidecars,
   contact sheets, manifest and index included).
2. **bare loop (the ceiling)**: a hand-tuned Playwright loop that screenshots the same HTML pages with
   the same number of pages in parallel and only writes the PNG bytes; building the HTML is not timed.
3. **naive loop**: what a hand-written script does, a new browser for every screenshot (same
   process); a sample of ``--naive`` pages is timed and scaled per screenshot.
4. **re-run**: the gallery again with nothing changed; it must not start a browser.
5. **flexible vs template**: the bare loop over as many template pages as there are flexible pages
   of the examples (like for like: notification messages of the premade library), and over as many
   real-world Flex containers (``shared/testdata/flex`` or ``$LNM_FLEX_SAMPLES``: images, carousels;
   skipped when absent), alternating ``--repeat`` times; browser time per screenshot of each and the
   ratios (aim: a flexible message costs no more than a template message).

Prints screenshots per second for each, and the ratios against the aims (>= 0.8 of the bare loop,
>= 10x the naive loop, re-run within a couple of seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.render import browser as _browser
from toolkit.render.gallery import build_gallery, examples_dir
from toolkit.render.preview import DEFAULT_LANGS, build_html

AIM_BARE = 0.8
AIM_NAIVE = 10.0
AIM_RERUN_SECONDS = 2.0
AIM_FLEX_RATIO = 1.0
FLEX_SAMPLES = Path(os.environ.get("LNM_FLEX_SAMPLES") or ROOT.parent / "shared" / "testdata" / "flex")


def _pages() -> list[tuple[str, str, int]]:
    """``(name, html, width)`` of every gallery screenshot."""
    from toolkit.catalogue import load_catalogue

    catalogue = load_catalogue()
    pages = []
    for spec in sorted(examples_dir().rglob("*.json")):
        document = json.loads(spec.read_text(encoding="utf-8"))
        for lang in DEFAULT_LANGS:
            html = build_html(document, lang=lang, catalogue=catalogue, path=str(spec))
            pages.append((f"{spec.parent.name}-{spec.stem}.{lang}", html, 375))
    return pages


def _example_pages(kind: str) -> list[tuple[str, str, int]]:
    """The gallery pages of the example specs of one ``kind`` (``template`` or ``flexible``)."""
    from toolkit.catalogue import load_catalogue

    catalogue = load_catalogue()
    pages = []
    for spec in sorted(examples_dir().rglob("*.json")):
        document = json.loads(spec.read_text(encoding="utf-8"))
        if document.get("kind", "flexible" if "messages" in document else "template") != kind:
            continue
        for lang in DEFAULT_LANGS:
            html = build_html(document, lang=lang, catalogue=catalogue, path=str(spec))
            pages.append((f"{kind}-{spec.stem}.{lang}", html, 375))
    return pages


def _sample_pages(count: int) -> list[tuple[str, str, int]]:
    """``count`` chat pages of one real-world Flex container each (the samples, cycled)."""
    files = sorted(FLEX_SAMPLES.rglob("*.json")) if FLEX_SAMPLES.is_dir() else []
    pages = []
    for index in range(count if files else 0):
        path = files[index % len(files)]
        document = {"messages": [{"type": "flex", "altText": path.stem,
                                  "contents": json.loads(path.read_text(encoding="utf-8"))}]}
        pages.append((f"sample-{index}-{path.stem}", build_html(document, lang="en"), 375))
    return pages


def _compare_kinds(executable: str, work: Path, repeat: int) -> dict[str, Any] | None:
    """Bare-loop seconds per screenshot of template, flexible-example and real-world Flex pages."""
    flexible = _example_pages("flexible")
    if not flexible:
        return None
    sets = {"template": _sample(_example_pages("template"), len(flexible)), "flexible": flexible,
            "samples": _sample_pages(len(flexible))}
    best: dict[str, float] = {}
    for attempt in range(repeat):
        for name, pages in sets.items():
            if pages:
                seconds = asyncio.run(_bare_loop(executable, pages, work / f"{name}-{attempt}", _browser.PAGES))
                best[name] = min(best.get(name, seconds), seconds / len(pages))
    out: dict[str, Any] = {"screenshots": len(flexible)}
    out.update({f"{name}_ms": round(1000 * value, 1) for name, value in best.items()})
    out["ratio"] = round(best["flexible"] / best["template"], 2)
    if "samples" in best:
        out["samples_ratio"] = round(best["samples"] / best["template"], 2)
    return out


def _launch_args() -> list[str]:
    args = list(_browser.LAUNCH_ARGS)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")
    return args


# The same clip box the page pool measures, so both loops screenshot the same region.
_BOX = _browser._BOX_JS


async def _bare_loop(executable: str, pages: list[tuple[str, str, int]], out: Path, workers: int) -> float:
    """One browser, ``workers`` pages in parallel, set_content + clip screenshot; returns seconds."""
    from playwright.async_api import async_playwright

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=executable, headless=True, args=_launch_args())
        context = await browser.new_context(viewport={"width": 375, "height": 800}, device_scale_factor=2)
        queue: asyncio.Queue[tuple[str, str, int]] = asyncio.Queue()
        for item in pages:
            queue.put_nowait(item)

        async def work() -> None:
            page = await context.new_page()
            while not queue.empty():
                name, html, _width = queue.get_nowait()
                await page.set_content(html, wait_until="load")
                x, y, w, h = await page.evaluate(_BOX)
                png = await page.screenshot(clip={"x": x, "y": y, "width": w, "height": h}, full_page=True,
                                            omit_background=True, animations="disabled", caret="hide")
                (out / f"{name}.png").write_bytes(png)

        await asyncio.gather(*(work() for _ in range(workers)))
        await browser.close()
    return time.perf_counter() - started


def _naive_loop(executable: str, pages: list[tuple[str, str, int]], out: Path) -> float:
    """A new browser for each screenshot, element screenshot, written to a file; returns seconds."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with sync_playwright() as pw:
        for name, html, width in pages:
            browser = pw.chromium.launch(executable_path=executable, headless=True, args=_launch_args())
            page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=2)
            page.set_content(html, wait_until="load")
            page.locator("#phone").screenshot(path=str(out / f"{name}.png"), animations="disabled")
            browser.close()
    return time.perf_counter() - started


def _sample(pages: list[Any], count: int) -> list[Any]:
    if count >= len(pages):
        return pages
    step = len(pages) / count
    return [pages[int(i * step)] for i in range(count)]


def run(naive_count: int, repeat: int = 1) -> dict[str, Any]:
    """Measure everything; the gallery and the bare loop alternate ``repeat`` times, best time kept."""
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="lnm-bench-") as tmp:
        work = Path(tmp)
        executable = _browser.find_browser()
        pages = _pages()
        # Warm-up, not timed: Chromium's and the fonts' files into the OS cache, for both contestants.
        asyncio.run(_bare_loop(executable, pages[:1], work / "warm", 1))
        lnm_times, bare_times = [], []
        for attempt in range(repeat):
            # A cold cache: no previews on disk, no remembered browser version or font hashes.
            os.environ["LNM_CACHE_DIR"] = str(work / f"cache-{attempt}")
            started = time.perf_counter()
            gallery = build_gallery(work / f"gallery-{attempt}")
            lnm_times.append(time.perf_counter() - started)  # manifest and index included
            if len(pages) != gallery.images or gallery.cached:
                raise SystemExit(f"bench: {len(pages)} pages but the gallery rendered {gallery.rendered} images")
            bare_times.append(asyncio.run(_bare_loop(executable, pages, work / f"bare-{attempt}",
                                                     _browser.PAGES)))
        kinds = _compare_kinds(executable, work, repeat)
        sample = _sample(pages, naive_count)
        naive = _naive_loop(executable, sample, work / "naive")
        started = time.perf_counter()
        again = build_gallery(work / f"gallery-{repeat - 1}")
        rerun = time.perf_counter() - started
    lnm_best, bare_best = min(lnm_times), min(bare_times)
    lnm_rate = gallery.images / lnm_best
    bare_rate = len(pages) / bare_best
    naive_rate = len(sample) / naive
    return {
        "screenshots": len(pages), "messages": gallery.messages, "pages": _browser.PAGES,
        "browser": gallery.browser_version, "cpus": os.cpu_count(), "repeat": repeat,
        "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "lnm": {"seconds": round(lnm_best, 2), "per_second": round(lnm_rate, 2),
                "all_seconds": [round(t, 2) for t in lnm_times]},
        "bare": {"seconds": round(bare_best, 2), "per_second": round(bare_rate, 2),
                 "all_seconds": [round(t, 2) for t in bare_times]},
        "naive": {"screenshots": len(sample), "seconds": round(naive, 2), "per_second": round(naive_rate, 2)},
        "rerun": {"seconds": round(rerun, 2), "rendered": again.rendered, "browser_started": again.launched},
        "flex": kinds,
        "ratio_to_bare": round(lnm_rate / bare_rate, 2),
        "ratio_to_naive": round(lnm_rate / naive_rate, 1),
    }


def report(figures: dict[str, Any]) -> list[str]:
    """The human-readable table and verdicts."""
    n = figures["screenshots"]
    rows = [
        ("lnm gallery, cold cache", n, figures["lnm"]["seconds"], figures["lnm"]["per_second"]),
        (f"bare Playwright loop, {figures['pages']} pages", n, figures["bare"]["seconds"],
         figures["bare"]["per_second"]),
        ("naive: browser per screenshot", figures["naive"]["screenshots"], figures["naive"]["seconds"],
         figures["naive"]["per_second"]),
    ]
    lines = [(f"{figures['messages']} messages x {len(DEFAULT_LANGS)} languages = {n} screenshots; "
              f"Chromium {figures['browser']}, {figures['cpus']} CPUs"),
             (f"best of {figures['repeat']} alternating run(s); load average {figures['load_average'][0]} "
              f"before, {figures['load_average'][1]} after"),
             f"{'approach':<36} {'shots':>6} {'seconds':>8} {'shots/s':>8}"]
    lines += [f"{name:<36} {shots:>6} {seconds:>8.2f} {rate:>8.2f}" for name, shots, seconds, rate in rows]
    rerun = figures["rerun"]
    lines.append(f"{'re-run, nothing changed':<36} {rerun['rendered']:>6} {rerun['seconds']:>8.2f} "
                 f"{'browser started' if rerun['browser_started'] else 'no browser':>8}")

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    lines.append(f"lnm / bare loop:  {figures['ratio_to_bare']:.2f} (aim >= {AIM_BARE}: "
                 f"{verdict(figures['ratio_to_bare'] >= AIM_BARE)})")
    lines.append(f"lnm / naive loop: {figures['ratio_to_naive']:.1f}x (aim >= {AIM_NAIVE:.0f}x: "
                 f"{verdict(figures['ratio_to_naive'] >= AIM_NAIVE)})")
    fast = rerun["seconds"] <= AIM_RERUN_SECONDS and not rerun["browser_started"] and rerun["rendered"] == 0
    lines.append(f"re-run: {rerun['seconds']:.2f} s, {rerun['rendered']} rendered (aim <= {AIM_RERUN_SECONDS:.0f} s, "
                 f"no browser: {verdict(fast)})")
    flex = figures.get("flex")
    if flex:
        samples = (f", real-world Flex {flex['samples_ms']:.1f} ms ({flex['samples_ratio']:.2f}x)"
                   if "samples_ms" in flex else f" (no Flex samples at {FLEX_SAMPLES})")
        lines.append(f"bare loop per screenshot, {flex['screenshots']} pages each: template {flex['template_ms']:.1f} ms, "
                     f"flexible examples {flex['flexible_ms']:.1f} ms{samples}")
        lines.append(f"flexible / template: {flex['ratio']:.2f} (aim <= {AIM_FLEX_RATIO:.1f}: "
                     f"{verdict(flex['ratio'] <= AIM_FLEX_RATIO)})")
    else:
        lines.append("flexible vs template: skipped (no flexible example specs)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--naive", type=int, default=20, help="screenshots in the naive sample (default 20)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="alternate the gallery and the bare loop this many times, keep the best (default 2)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.naive < 1:
        parser.error("--repeat and --naive must be at least 1")
    figures = run(args.naive, args.repeat)
    print(json.dumps(figures, indent=2) if args.json else "\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
