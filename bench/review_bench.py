"""Review tools speed: ``lnm serve`` start-up and the ``lnm review`` report of the whole gallery.

    .venv/bin/python bench/review_bench.py [--repeat 3] [--json]

1. **serve start-up**: ``lnm serve template_library/examples --port 0`` started as a subprocess; the
   time from starting it to the first page (``/``) answering, and to the first chat screen
   (``/frame``) answering. Best of ``--repeat``. The aim is under two seconds to the first page.
2. **review report**: ``lnm review template_library/examples --out DIR`` once (every example in five
   app languages, light and dark; rendering is timed too, cold), then the report opened from the
   disk in headless Chromium: time to DOMContentLoaded and to the load event (lazy images below
   the fold do not hold it up), best of ``--repeat``.

Numbers mean something only on an otherwise idle machine.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "template_library" / "examples"


def _lnm(*args: str) -> list[str]:
    return [sys.executable, "-m", "toolkit", *args]


def serve_startup() -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen(_lnm("serve", str(EXAMPLES), "--port", "0"), stderr=subprocess.PIPE, text=True,
                            cwd=ROOT)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()
        url = line.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
        page = time.perf_counter() - started
        with urllib.request.urlopen(url + "frame?path=" + str(EXAMPLES / "JP" / "shipment_completed_ja.json"),
                                    timeout=30) as response:
            response.read()
        frame = time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        if proc.stderr is not None:
            proc.stderr.close()
    return page, frame


def report_load(index: Path, repeat: int) -> tuple[float, float]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from toolkit.render.preview import find_browser

    best = (float("inf"), float("inf"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=find_browser(), headless=True,
                                     args=["--no-sandbox"] if os.geteuid() == 0 else [])
        for _ in range(repeat):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(index.as_uri(), wait_until="load")
            timing = page.evaluate("(() => { const t = performance.getEntriesByType('navigation')[0];"
                                   " return [t.domContentLoadedEventEnd, t.loadEventEnd]; })()")
            best = min(best, (timing[0] / 1000, timing[1] / 1000))
            page.close()
        browser.close()
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    startups = [serve_startup() for _ in range(options.repeat)]
    page, frame = min(startups)
    with tempfile.TemporaryDirectory(prefix="lnm-review-bench-") as scratch:
        began = time.perf_counter()
        done = subprocess.run(_lnm("review", str(EXAMPLES), "--out", scratch), cwd=ROOT, capture_output=True,
                              text=True)
        if done.returncode:
            sys.exit(f"lnm review failed ({done.returncode}): {done.stderr.strip()}")
        render = time.perf_counter() - began
        images = len(list(Path(scratch, "images").rglob("*.png")))
        size = Path(scratch, "index.html").stat().st_size
        dom, load = report_load(Path(scratch) / "index.html", options.repeat)
    result = {"serve_first_page_s": round(page, 3), "serve_first_frame_s": round(frame, 3),
              "review_render_s": round(render, 1), "review_images": images, "review_index_bytes": size,
              "report_domcontentloaded_s": round(dom, 3), "report_load_s": round(load, 3)}
    if options.json:
        print(json.dumps(result))
        return
    print(f"lnm serve: first page {page:.2f} s, first chat screen {frame:.2f} s after start (aim < 2 s)")
    print(f"lnm review of the gallery: rendered in {render:.1f} s ({images} PNGs incl. contact sheets), "
          f"index.html {size / 1024:.0f} KiB")
    print(f"report in Chromium: DOMContentLoaded {dom * 1000:.0f} ms, load {load * 1000:.0f} ms")


if __name__ == "__main__":
    main()
