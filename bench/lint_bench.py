"""Benchmark: ``lnm lint`` against ``check-jsonschema``, and specs against the bodies they build.

The two aims of issue 13, each side by side in one run (ratios are only comparable within a run:
the machine may be shared, so CPU time is printed beside wall-clock time):

* **template bodies:** ``lnm lint DIR`` with every rule on, on 2,000 template request bodies built
  from the shipped catalogue (half clean, half dirty), against ``check-jsonschema`` validating the
  same files against ``pnp-templated-request`` (schema only). Aim: lnm at least 2x as fast.
* **specs with placeholders:** the shipped examples (template and flexible) copied 20 times, against
  the request bodies they build copied as often: the default sample's body (one per spec, as the
  issue measured it) and every sample's body (what ``lnm lint`` checks of a spec). Aim: the specs
  take at most 1.5x the time of their bodies.

``--mixed N`` also times the earlier mixed batch of N files (specs and raw bodies, template and
flexible, clean and dirty, JP, TH and TW) against ``check-jsonschema`` with one schema per shape, and
``--startup-runs`` the start-up of ``lnm lint FILE`` on one file (what a pre-commit hook pays per
call), interleaved with a bare ``python -c "import jsonschema"``: the median of each and their ratio
(aim: at most 2x). Python's bytecode cache is written first, as an installed package has it.

Usage: ``python bench/lint_bench.py [--bodies 2000] [--copies 20] [--mixed 0] [--jobs N] [--repeat 1]``
(``make bench``).
"""

from __future__ import annotations

import argparse
import compileall
import copy
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolkit.builder import build
from toolkit.rules import default_table
from toolkit.scaffold.starter import new_spec
from toolkit.spec.catalogue import load_catalogue
from toolkit.spec.message import Shape, document_shape

DIGEST = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"  # LINE's test number, hashed
SCHEMAS = {
    Shape.TEMPLATE_BODY: ROOT / "schemas" / "pnp-templated-request.schema.json",
    Shape.FLEXIBLE_BODY: ROOT / "schemas" / "pnp-flexible-request.schema.json",
    Shape.SPEC: ROOT / "schemas" / "message-spec.schema.json",
}
TEXTS = {  # (a transactional line, a promotional line) per country
    "JP": ("ご注文の商品を発送しました。お届け予定日は8月10日です。", "【期間限定】全品50%OFFセール開催中！クーポンをお見逃しなく!!!"),
    "TH": ("เราได้จัดส่งสินค้าของคุณแล้ว กำหนดส่งวันที่ 10 ส.ค. 2567", "โปรโมชั่นลดราคาพิเศษ 50% รีบซื้อด่วนวันนี้เท่านั้น!!!"),
    "TW": ("您的訂單已出貨，預計8月10日送達。", "限時優惠全館五折！立即領取折價券!!!"),
}


def _flex_body(country: str, rng: random.Random, dirty: bool) -> dict[str, Any]:
    clean, promo = TEXTS[country]
    text = promo if dirty else clean
    bubble: dict[str, Any] = {
        "type": "bubble",
        "body": {"type": "box", "layout": "vertical", "contents": [
            {"type": "text", "text": text, "wrap": True, "weight": "bold"},
            {"type": "text", "text": f"#{rng.randrange(10**8):08d}", "size": "sm", "color": "#888888"},
        ]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "action": {
                "type": "uri", "label": "OK",
                "uri": "http://bit.ly/x1" if dirty else "https://www.shop-notice.jp/orders/123"}},
        ]},
    }
    if dirty:
        bubble["hero"] = {"type": "image", "url": "https://www.shop-notice.jp/banner.png", "size": "full"}
    alt = "Flex Message" if dirty else clean
    messages = [{"type": "text", "text": clean}, {"type": "flex", "altText": alt, "contents": bubble}]
    return {"to": DIGEST, "messages": messages}


def _dirty_template(body: dict[str, Any], country: str, rng: random.Random) -> None:
    inner = body.setdefault("body", {})
    items = inner.get("items") or []
    choice = rng.randrange(4)
    if choice == 0 and items:
        items[0]["content"] = TEXTS[country][1]
    elif choice == 1 and inner.get("buttons"):
        inner["buttons"][0]["url"] = "http://bit.ly/abc"
    elif choice == 2 and items:
        items[-1]["itemKey"] += "x"
    else:
        body["to"] = "not-a-digest" if "to" in body else body.get("to", "")
        inner.setdefault("buttons", []).extend(copy.deepcopy(inner.get("buttons", []))[:1] * 2)


def generate(folder: Path, count: int, seed: int = 7) -> dict[str, list[str]]:
    """Write ``count`` message files under ``folder``; returns file names grouped by shape."""
    rng = random.Random(seed)
    catalogue = load_catalogue()
    table = default_table()
    examples = sorted((ROOT / "template_library" / "examples").rglob("*.json"))
    specs = [json.loads(p.read_text(encoding="utf-8")) for p in examples]
    specs += [new_spec(catalogue, key, schema_ref="../schemas/message-spec.schema.json")
              for key in sorted(catalogue.templates)]
    specs = [s for s in specs if s.get("kind") == "template" and s.get("templateKey") in catalogue.templates]
    if not specs:
        raise SystemExit("bench: the catalogue has no templates to build messages from")
    bodies = [build(spec, catalogue, table, to=DIGEST).body for spec in specs]
    countries = sorted({catalogue.templates[s["templateKey"]].country for s in specs})
    groups: dict[str, list[str]] = {shape: [] for shape in SCHEMAS}
    for n in range(count):
        dirty = n % 2 == 1
        kind = n % 10  # 0-2 template specs, 3-6 template bodies, 7 flexible specs, 8-9 flexible bodies
        country = countries[n % len(countries)]
        if kind <= 6:
            pool = [i for i, s in enumerate(specs) if catalogue.templates[s["templateKey"]].country == country]
            index = rng.choice(pool)
            document = copy.deepcopy(specs[index] if kind <= 2 else bodies[index])
            document.pop("$schema", None)
            if dirty:
                _dirty_template(document, country, rng)
        else:
            document = _flex_body(country, rng, dirty)
            if kind == 7:
                document = {"kind": "flexible", "title": "bench", "messages": document["messages"]}
        name = f"{n // 1000:02d}/m{n:05d}-{country.lower()}-{'dirty' if dirty else 'clean'}.json"
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
        shape = document_shape(document)
        assert shape is not None
        groups[shape].append(name)
    return groups


@dataclass
class Timing:
    """Wall-clock and CPU seconds (user + system, the command and every process it waited for)."""

    wall: float = 0.0
    cpu: float = 0.0

    def __add__(self, other: Timing) -> Timing:
        return Timing(self.wall + other.wall, self.cpu + other.cpu)


def _timed(command: list[str], cwd: Path,
           env: dict[str, str] | None = None) -> tuple[Timing, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu), proc


AIM_STARTUP = 2.0
#: The installed ``lnm`` command, as a user and a pre-commit hook run it (``python -m toolkit`` where
#: the environment has no console script).
_SCRIPT = Path(sys.executable).parent / "lnm"
LNM = [str(_SCRIPT)] if os.access(_SCRIPT, os.X_OK) else [sys.executable, "-m", "toolkit"]


def startup(one: str, runs: int) -> tuple[Timing, Timing]:
    """Median ``lnm lint FILE`` and bare ``import jsonschema`` start-up, runs interleaved."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    lnm = [*LNM, "lint", "--no-config", one]
    bare = [sys.executable, "-c", "import jsonschema"]
    for command in (lnm, bare):  # bytecode cache and OS file cache, not timed
        subprocess.run(command, cwd=ROOT, capture_output=True, check=False, env=env)
    lnm_t, bare_t = [], []
    for _ in range(runs):
        lnm_t.append(_timed(lnm, ROOT, env)[0])
        bare_t.append(_timed(bare, ROOT, env)[0])

    def median(ts: list[Timing]) -> Timing:
        return Timing(statistics.median(t.wall for t in ts), statistics.median(t.cpu for t in ts))

    return median(lnm_t), median(bare_t)


def template_bodies(folder: Path, count: int, seed: int = 11) -> list[str]:
    """``count`` template request bodies (half of them dirty) under ``folder``; returns their names."""
    rng = random.Random(seed)
    catalogue = load_catalogue()
    table = default_table()
    specs = [new_spec(catalogue, key, schema_ref="x") for key in sorted(catalogue.templates)]
    examples = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((ROOT / "template_library" / "examples").rglob("*.json"))]
    specs += [s for s in examples if s.get("kind") == "template"]
    bodies = [build(spec, catalogue, table, to=DIGEST).body for spec in specs]
    names = []
    for n in range(count):
        body = copy.deepcopy(bodies[n % len(bodies)])
        if n % 2:
            _dirty_template(body, catalogue.templates[body["templateKey"]].country, rng)
        name = f"b{n:05d}.json"
        (folder / name).write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
        names.append(name)
    return names


def specs_and_bodies(folder: Path, copies: int) -> tuple[Path, Path, Path]:
    """The shipped examples copied ``copies`` times, the default sample's body of each copied as
    often, and every sample's body copied as often: three folders under ``folder``."""
    catalogue = load_catalogue()
    table = default_table()
    dirs = (folder / "specs", folder / "default-bodies", folder / "sample-bodies")
    for d in dirs:
        d.mkdir(parents=True, exist_ok=True)
    for path in sorted((ROOT / "template_library" / "examples").rglob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        spec.pop("$schema", None)
        samples = list(spec.get("samples", {})) or [None]
        built = {name: build(spec, catalogue, table, sample=name, to=DIGEST).body for name in samples}
        default = "default" if "default" in built else samples[0]
        for n in range(copies):
            stem = f"{path.parent.name}-{path.stem}-{n:02d}"
            (dirs[0] / f"{stem}.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
            (dirs[1] / f"{stem}.json").write_text(json.dumps(built[default], ensure_ascii=False, indent=2),
                                                  encoding="utf-8")
            for name, body in built.items():
                (dirs[2] / f"{stem}-{name}.json").write_text(json.dumps(body, ensure_ascii=False, indent=2),
                                                             encoding="utf-8")
    return dirs


def _best(command: list[str], cwd: Path, repeat: int) -> Timing:
    best = Timing(float("inf"), float("inf"))
    for _ in range(repeat):
        seconds, proc = _timed(command, cwd)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"bench: {command[0]} failed:\n{proc.stderr.decode()[-2000:]}")
        best = min(best, seconds, key=lambda t: t.wall)
    return best


def _row(name: str, n: int, t: Timing) -> None:
    print(f"{name:44} {n:6d} {t.wall:7.2f}s {n / t.wall:9.0f} {t.cpu:7.2f}s {n / t.cpu:12.0f}")


def _header() -> None:
    print(f"{'':44} {'files':>6} {'wall':>8} {'files/s':>9} {'CPU':>8} {'files/CPU-s':>12}")


AIM_SCHEMA = 2.0
AIM_SPECS = 1.5


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bodies", type=int, default=2_000, help="template request bodies (0: skip)")
    parser.add_argument("--copies", type=int, default=20, help="copies of each example spec (0: skip)")
    parser.add_argument("--mixed", type=int, default=0, help="files of the earlier mixed batch (0: skip)")
    parser.add_argument("--jobs", type=int, help="passed to lnm lint --jobs (default: all cores)")
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--startup-runs", type=int, default=7, help="0: skip")
    parser.add_argument("--repeat", type=int, default=1, help="run each tool this many times; keep the best")
    args = parser.parse_args(argv)
    # An installed package has its bytecode compiled; a checkout may have none, or stale files
    # (PYTHONDONTWRITEBYTECODE=1 keeps Python from writing them), and lnm would pay for compiling.
    compileall.compile_dir(str(ROOT / "toolkit"), quiet=1)
    bindir = Path(sys.executable).parent
    checker = shutil.which("check-jsonschema", path=str(bindir)) or shutil.which("check-jsonschema")
    if checker is None:
        raise SystemExit("bench: check-jsonschema not found; install the test extras (pip install -e '.[test]')")
    load = os.getloadavg()[0]
    folder = args.keep or Path(tempfile.mkdtemp(prefix="lnm-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    lnm = [*LNM, "lint", "--no-config", "-q", "."]
    if args.jobs:
        lnm += ["--jobs", str(args.jobs)]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"cores: {cores}; load average before the run: {load:.2f}; best of {args.repeat}; "
          "ratios compare timings of this run only")
    try:
        if args.bodies:
            where = folder / "bodies"
            where.mkdir(parents=True, exist_ok=True)
            names = template_bodies(where, args.bodies)
            schema = SCHEMAS[Shape.TEMPLATE_BODY]
            lnm_t = schema_t = Timing(float("inf"), float("inf"))
            for _ in range(args.repeat):  # interleaved, best of each
                lnm_t = min(lnm_t, _best(lnm, where, 1), key=lambda t: t.wall)
                schema_t = min(schema_t, _best([checker, "--base-uri", schema.as_uri(), "--schemafile", str(schema),
                                                *names], where, 1), key=lambda t: t.wall)
            print(f"\n1. {args.bodies} template request bodies")
            _header()
            _row("lnm lint DIR (all rules)", args.bodies, lnm_t)
            _row("check-jsonschema (schema only)", args.bodies, schema_t)
            ratio = schema_t.wall / lnm_t.wall
            print(f"lnm / check-jsonschema: {ratio:.2f}x (wall), {schema_t.cpu / lnm_t.cpu:.2f}x (CPU); "
                  f"aim >= {AIM_SCHEMA:g}x: {'met' if ratio >= AIM_SCHEMA else 'MISSED'}")
        if args.copies:
            specs, default_bodies, sample_bodies = specs_and_bodies(folder / "pairs", args.copies)
            counts = {d: len(list(d.iterdir())) for d in (specs, default_bodies, sample_bodies)}
            times = {d: Timing(float("inf"), float("inf")) for d in counts}
            for _ in range(args.repeat):
                for d in counts:
                    times[d] = min(times[d], _best(lnm, d, 1), key=lambda t: t.wall)
            print(f"\n2. the {counts[specs] // args.copies} example specs x {args.copies}, and the bodies they build")
            _header()
            _row("lnm lint: specs with placeholders", counts[specs], times[specs])
            _row("lnm lint: their default sample's bodies", counts[default_bodies], times[default_bodies])
            _row("lnm lint: every sample's bodies", counts[sample_bodies], times[sample_bodies])
            for label, d in (("the default sample's bodies", default_bodies), ("every sample's bodies", sample_bodies)):
                ratio = times[specs].wall / times[d].wall
                print(f"specs / {label}: {ratio:.2f}x the time (wall), {times[specs].cpu / times[d].cpu:.2f}x (CPU); "
                      f"aim <= {AIM_SPECS:g}x: {'met' if ratio <= AIM_SPECS else 'MISSED'}")
        if args.mixed:
            _mixed(folder / "mixed", args.mixed, lnm, checker, args.repeat)
        if args.startup_runs:
            one = folder / "one.json"
            one.write_text(json.dumps(build(new_spec(load_catalogue(), "shipment_completed_ja", schema_ref="x"),
                                            load_catalogue(), default_table(), to=DIGEST).body), encoding="utf-8")
            lnm_start, bare_start = startup(str(one), args.startup_runs)
            ratio = lnm_start.wall / bare_start.wall
            print(f"\nlnm lint FILE start-up (median of {args.startup_runs}, interleaved): "
                  f"{lnm_start.wall * 1000:.0f} ms ({lnm_start.cpu * 1000:.0f} ms CPU); bare `import jsonschema`: "
                  f"{bare_start.wall * 1000:.0f} ms ({bare_start.cpu * 1000:.0f} ms CPU); {ratio:.2f}x (wall), "
                  f"{lnm_start.cpu / bare_start.cpu:.2f}x (CPU); aim <= {AIM_STARTUP:.0f}x: "
                  f"{'met' if ratio <= AIM_STARTUP else 'MISSED'}")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"load average after the run: {os.getloadavg()[0]:.2f}")
    return 0


def _mixed(folder: Path, count: int, lnm: list[str], checker: str, repeat: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    groups = generate(folder, count)
    lnm_best = schema_best = Timing(float("inf"), float("inf"))
    for _ in range(repeat):
        lnm_best = min(lnm_best, _best(lnm, folder, 1), key=lambda t: t.wall)
        total = Timing()
        for shape, names in groups.items():
            if names:
                # --base-uri: the schemas' relative $ids and $refs resolve against the schema file.
                schema = SCHEMAS[shape]
                total = total + _timed([checker, "--base-uri", schema.as_uri(), "--schemafile", str(schema),
                                        *names], folder)[0]
        schema_best = min(schema_best, total, key=lambda t: t.wall)
    print(f"\n3. {count} mixed files: " + ", ".join(f"{len(v)} {k}" for k, v in groups.items()))
    _header()
    _row("lnm lint DIR (all rules)", count, lnm_best)
    _row("check-jsonschema (schema only)", count, schema_best)
    print(f"lnm / check-jsonschema: {schema_best.wall / lnm_best.wall:.2f}x (wall), "
          f"{schema_best.cpu / lnm_best.cpu:.2f}x (CPU)")


if __name__ == "__main__":
    sys.exit(main())
