"""Preview speed, whole process against whole process, measured side by side in one run.

    .venv/bin/python bench/preview_bench.py [--sizes 60,244] [--repeat 3] [--naive 20] [--json]

For each size (60 screenshots: 15 example specs spread over the countries x the 4 default app
languages; 244: all 61 example specs x 4) the specs are copied into a temporary folder and the HTML
``lnm preview`` renders for them is written next to them (not timed). Then, ``--repeat`` times, in
alternating order, each as a new process with its start-up included:

1. **lnm**: ``python -m toolkit preview SPECS --out OUT`` into an empty folder: Python start-up,
   catalogue, lint, HTML, Chromium, PNGs, JSON sidecars and contact sheets, everything a user waits
   for. (The machine-wide memo of the browser version and font hashes in ``LNM_CACHE_DIR`` is warm,
   as on any run after a machine's first; an untimed first run fills it.)
2. **plain script** (bench/bare_loop.py, called the bare loop below): ``python bench/bare_loop.py HTML OUT``: Playwright and Chromium started, the same
   HTML pages screenshot on 4 pages in parallel with ``set_content`` + clip screenshot, PNGs written.

Reported per size: best and median seconds, screenshots per second, CPU seconds (the process and
every child it waited for: Playwright's driver, Chromium), the ratio of lnm's screenshots per
second to the bare loop's (aim: at least 1.0, ideally 1.5), and how many of lnm's PNGs are byte for
byte the bare loop's. Also the naive loop (a new browser per screenshot, a ``--naive`` sample) and
a re-run of lnm with nothing changed (must not start a browser). The machine is often shared: the
load average is printed, and only ratios from the same run mean anything.

Last, **flexible vs template**: the bare loop (in this process, start-up not counted) over as many
template pages as there are flexible pages of the examples (like for like: notification messages
of the premade library), and over as many real-world Flex containers (``shared/testdata/flex`` or
``$LNM_FLEX_SAMPLES``: images, carousels; skipped when absent), alternating ``--repeat`` times;
browser time per screenshot of each and the ratios (aim: a flexible message costs no more than a
template message).
"""

from __future__ import annotations

import argparse
import asyncio
import compileall
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.render.gallery import examples_dir
from toolkit.render.preview import DEFAULT_LANGS, build_html
from toolkit.spec.catalogue import load_catalogue

AIM_BARE = 1.0
STRETCH_BARE = 1.5
AIM_NAIVE = 10.0
AIM_RERUN_SECONDS = 1.0
AIM_FLEX_RATIO = 1.0
FLEX_SAMPLES = Path(os.environ.get("LNM_FLEX_SAMPLES") or ROOT.parent / "shared" / "testdata" / "flex")


def _spread(items: list[Any], count: int) -> list[Any]:
    if count >= len(items):
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _prepare(work: Path, shots: int) -> tuple[Path, Path, int]:
    """Copy ``shots / 4`` example specs into ``work/specs`` and write their pages into ``work/html``."""
    catalogue = load_catalogue()
    specs = _spread(sorted(examples_dir().rglob("*.json")), -(-shots // len(DEFAULT_LANGS)))
    spec_dir, html_dir = work / "specs", work / "html"
    html_dir.mkdir(parents=True)
    for spec in specs:
        target = spec_dir / spec.parent.name / spec.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(spec, target)
        document = json.loads(spec.read_text(encoding="utf-8"))
        for lang in DEFAULT_LANGS:
            page = build_html(document, lang=lang, catalogue=catalogue, path=str(spec))
            (html_dir / f"{spec.parent.name}-{spec.stem}.{lang}.html").write_text(page, encoding="utf-8")
    return spec_dir, html_dir, len(specs) * len(DEFAULT_LANGS)


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the process tree, standard error."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.stderr


def _same_pngs(lnm_out: Path, bare_out: Path) -> tuple[int, int]:
    same = total = 0
    for png in sorted(bare_out.glob("*.png")):
        country, name = png.name.split("-", 1)
        total += 1
        mine = lnm_out / country / name
        same += mine.is_file() and mine.read_bytes() == png.read_bytes()
    return same, total


def _summary(times: list[tuple[float, float]], shots: int) -> dict[str, Any]:
    walls = [w for w, _ in times]
    return {"best_seconds": round(min(walls), 2), "median_seconds": round(statistics.median(walls), 2),
            "per_second": round(shots / min(walls), 2), "median_per_second": round(shots / statistics.median(walls), 2),
            "cpu_seconds": round(statistics.median(c for _, c in times), 2),
            "all_seconds": [round(w, 2) for w in walls]}


def _example_pages(kind: str) -> list[tuple[str, str]]:
    """The gallery pages of the example specs of one ``kind`` (``template`` or ``flexible``)."""
    catalogue = load_catalogue()
    pages = []
    for spec in sorted(examples_dir().rglob("*.json")):
        document = json.loads(spec.read_text(encoding="utf-8"))
        if document.get("kind", "flexible" if "messages" in document else "template") != kind:
            continue
        for lang in DEFAULT_LANGS:
            pages.append((f"{kind}-{spec.stem}.{lang}", build_html(document, lang=lang, catalogue=catalogue,
                                                                    path=str(spec))))
    return pages


def _sample_pages(count: int) -> list[tuple[str, str]]:
    """``count`` chat pages of one real-world Flex container each (the samples, cycled)."""
    files = sorted(FLEX_SAMPLES.rglob("*.json")) if FLEX_SAMPLES.is_dir() else []
    pages = []
    for index in range(count if files else 0):
        path = files[index % len(files)]
        document = {"messages": [{"type": "flex", "altText": path.stem,
                                  "contents": json.loads(path.read_text(encoding="utf-8"))}]}
        pages.append((f"sample-{index}-{path.stem}", build_html(document, lang="en")))
    return pages


def _bare_in_process(pages: list[tuple[str, str]], out: Path) -> float:
    """bench/bare_loop.py's loop in this process (no start-up); returns seconds."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bare_loop import shoot_all

    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    asyncio.run(shoot_all(pages, out, 4))
    return time.perf_counter() - started


def _compare_kinds(work: Path, repeat: int) -> dict[str, Any] | None:
    """Bare-loop seconds per screenshot of template, flexible-example and real-world Flex pages."""
    flexible = _example_pages("flexible")
    if not flexible:
        return None
    sets = {"template": _spread(_example_pages("template"), len(flexible)), "flexible": flexible,
            "samples": _sample_pages(len(flexible))}
    best: dict[str, float] = {}
    for attempt in range(repeat):
        for name, pages in sets.items():
            if pages:
                seconds = _bare_in_process(pages, work / f"{name}-{attempt}")
                best[name] = min(best.get(name, seconds), seconds / len(pages))
    out: dict[str, Any] = {"screenshots": len(flexible)}
    out.update({f"{name}_ms": round(1000 * value, 1) for name, value in best.items()})
    out["ratio"] = round(best["flexible"] / best["template"], 2)
    if "samples" in best:
        out["samples_ratio"] = round(best["samples"] / best["template"], 2)
    return out


def _naive_loop(html_dir: Path, out: Path, count: int) -> tuple[int, float]:
    """A new browser for each screenshot (same process), element screenshot; returns (shots, seconds)."""
    from playwright.sync_api import sync_playwright

    from toolkit.render.browser import LAUNCH_ARGS, find_browser

    args = list(LAUNCH_ARGS) + (["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])
    pages = _spread(sorted(html_dir.glob("*.html")), count)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    with sync_playwright() as pw:
        for path in pages:
            browser = pw.chromium.launch(executable_path=find_browser(), headless=True, args=args)
            page = browser.new_page(viewport={"width": 375, "height": 800}, device_scale_factor=2)
            page.set_content(path.read_text(encoding="utf-8"), wait_until="load")
            page.locator("#phone").screenshot(path=str(out / f"{path.stem}.png"), animations="disabled")
            browser.close()
    return len(pages), time.perf_counter() - started


def run(sizes: list[int], repeat: int, naive_count: int) -> dict[str, Any]:
    load_before = os.getloadavg()
    figures: dict[str, Any] = {"repeat": repeat, "cpus": os.cpu_count(), "pages": 4, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="lnm-bench-") as tmp:
        work = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["LNM_CACHE_DIR"] = str(work / "cache")
        prepared = {size: _prepare(work / f"size-{size}", size) for size in sizes}
        lnm = [sys.executable, "-m", "toolkit", "preview"]
        bare = [sys.executable, str(ROOT / "bench" / "bare_loop.py")]
        # Untimed: the browser memo, the bytecode caches and the OS file cache, for both contestants.
        first_specs, first_html, _ = prepared[sizes[0]]
        _timed([*lnm, str(first_specs), "--out", str(work / "warm-lnm"), "--no-cache"], env)
        _timed([*bare, str(first_html), str(work / "warm-bare")], env)
        times: dict[int, dict[str, list[tuple[float, float]]]] = {s: {"lnm": [], "bare": []} for s in sizes}
        last: dict[int, tuple[Path, Path]] = {}
        for attempt in range(repeat):
            for size in sizes:
                specs, html, _ = prepared[size]
                lnm_out, bare_out = work / f"lnm-{size}-{attempt}", work / f"bare-{size}-{attempt}"
                order = ("lnm", "bare") if attempt % 2 == 0 else ("bare", "lnm")
                for who in order:
                    if who == "lnm":
                        wall, cpu, _err = _timed([*lnm, str(specs), "--out", str(lnm_out)], env)
                    else:
                        wall, cpu, _err = _timed([*bare, str(html), str(bare_out)], env)
                    times[size][who].append((wall, cpu))
                last[size] = (lnm_out, bare_out)
        for size in sizes:
            shots = prepared[size][2]
            lnm_fig, bare_fig = _summary(times[size]["lnm"], shots), _summary(times[size]["bare"], shots)
            same, total = _same_pngs(*last[size])
            figures["sizes"][str(size)] = {
                "screenshots": shots, "lnm": lnm_fig, "bare": bare_fig,
                "ratio_best": round(bare_fig["best_seconds"] / lnm_fig["best_seconds"], 2),
                "ratio_median": round(bare_fig["median_seconds"] / lnm_fig["median_seconds"], 2),
                "ratio_cpu": round(bare_fig["cpu_seconds"] / lnm_fig["cpu_seconds"], 2),
                "identical_pngs": [same, total]}
        biggest = max(sizes)
        rerun_wall, _cpu, err = _timed([*lnm, str(prepared[biggest][0]), "--out", str(last[biggest][0])], env)
        figures["rerun"] = {"seconds": round(rerun_wall, 2), "browser_started": "browser not started" not in err,
                            "line": err.strip().splitlines()[-1] if err.strip() else ""}
        figures["flex"] = _compare_kinds(work, repeat)
        shots, seconds = _naive_loop(prepared[sizes[0]][1], work / "naive", naive_count)
        figures["naive"] = {"screenshots": shots, "seconds": round(seconds, 2), "per_second": round(shots / seconds, 2)}
        from toolkit.render.browser import browser_version, find_browser

        figures["browser"] = browser_version(find_browser())
    figures["load_average"] = [round(load_before[0], 1), round(os.getloadavg()[0], 1)]
    return figures


def report(figures: dict[str, Any]) -> list[str]:
    """The human-readable table and verdicts."""
    lines = [f"Chromium {figures['browser']}, {figures['cpus']} CPUs; best and median of {figures['repeat']} "
             f"alternating runs; load average {figures['load_average'][0]} before, {figures['load_average'][1]} after",
             f"{'whole process':<34} {'shots':>6} {'best s':>7} {'median s':>9} {'shots/s':>8} {'CPU s':>7}"]
    for size, fig in figures["sizes"].items():
        for name, key in ((f"lnm preview ({size})", "lnm"), (f"plain Playwright script, 4 pages ({size})", "bare")):
            f = fig[key]
            lines.append(f"{name:<34} {fig['screenshots']:>6} {f['best_seconds']:>7.2f} {f['median_seconds']:>9.2f} "
                         f"{f['per_second']:>8.2f} {f['cpu_seconds']:>7.2f}")
    naive = figures["naive"]
    lines.append(f"{'naive: browser per screenshot':<34} {naive['screenshots']:>6} {naive['seconds']:>7.2f} "
                 f"{'':>9} {naive['per_second']:>8.2f}")
    for size, fig in figures["sizes"].items():
        ratio = fig["ratio_best"]
        verdict = "met" if ratio >= AIM_BARE else "MISSED"
        stretch = "met" if ratio >= STRETCH_BARE else "not reached"
        lines.append(f"lnm / plain script, {size} shots: {ratio:.2f}x best, {fig['ratio_median']:.2f}x median, "
                     f"{fig['ratio_cpu']:.2f}x CPU (aim >= {AIM_BARE:.1f}: {verdict}; stretch {STRETCH_BARE}x: {stretch}); "
                     f"{fig['identical_pngs'][0]}/{fig['identical_pngs'][1]} PNGs byte-identical")
    biggest = max(figures["sizes"].values(), key=lambda f: f["screenshots"])
    to_naive = biggest["lnm"]["per_second"] / naive["per_second"]
    lines.append(f"lnm / naive loop: {to_naive:.1f}x (aim >= {AIM_NAIVE:.0f}x: "
                 f"{'met' if to_naive >= AIM_NAIVE else 'MISSED'})")
    rerun = figures["rerun"]
    fast = rerun["seconds"] <= AIM_RERUN_SECONDS and not rerun["browser_started"]
    lines.append(f"re-run, nothing changed: {rerun['seconds']:.2f} s, "
                 f"{'browser started' if rerun['browser_started'] else 'no browser'} "
                 f"(aim <= {AIM_RERUN_SECONDS:.0f} s, no browser: {'met' if fast else 'MISSED'})")
    flex = figures.get("flex")
    if flex:
        samples = (f", real-world Flex {flex['samples_ms']:.1f} ms ({flex['samples_ratio']:.2f}x)"
                   if "samples_ms" in flex else f" (no Flex samples at {FLEX_SAMPLES})")
        lines.append(f"bare loop per screenshot, {flex['screenshots']} pages each: template {flex['template_ms']:.1f} ms, "
                     f"flexible examples {flex['flexible_ms']:.1f} ms{samples}")
        lines.append(f"flexible / template: {flex['ratio']:.2f} (aim <= {AIM_FLEX_RATIO:.1f}: "
                     f"{'met' if flex['ratio'] <= AIM_FLEX_RATIO else 'MISSED'})")
    else:
        lines.append("flexible vs template: skipped (no flexible example specs)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60,244", help="screenshot counts, comma-separated (default 60,244)")
    parser.add_argument("--repeat", type=int, default=3, help="alternating runs of each contestant (default 3)")
    parser.add_argument("--naive", type=int, default=20, help="screenshots in the naive sample (default 20)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        sizes = sorted({int(part) for part in args.sizes.split(",") if part.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers such as 60,244")
    if args.repeat < 1 or args.naive < 1 or not sizes or min(sizes) < len(DEFAULT_LANGS):
        parser.error("--repeat and --naive must be at least 1, each size at least 4")
    # An installed package has its bytecode compiled; a checkout may have none, or stale files
    # (PYTHONDONTWRITEBYTECODE=1 keeps Python from writing them), and lnm would pay for compiling.
    compileall.compile_dir(str(ROOT / "toolkit"), quiet=1)
    figures = run(sizes, args.repeat, args.naive)
    print(json.dumps(figures, indent=2) if args.json else "\n".join(report(figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
