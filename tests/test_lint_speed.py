"""Speed-related behaviour: a light import path, and the same report serial or in parallel."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SPEC_BODY = json.loads((DATA / "lint" / "line-example.json").read_text(encoding="utf-8"))
Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess


def test_linting_imports_no_browser_imaging_or_schema_library(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps(SPEC_BODY, ensure_ascii=False), encoding="utf-8")
    code = (
        "import sys\n"
        "from toolkit import LintSettings, default_table, lint_paths, load_catalogue\n"
        "from toolkit.lint.report import FORMATTERS\n"
        f"report = lint_paths([{str(path)!r}], default_table(), load_catalogue(), LintSettings())\n"
        "assert report.summary()['files'] == 1\n"
        "for name in ('text', 'json', 'junit', 'github', 'sarif'):\n"
        "    FORMATTERS[name](report, table=default_table())\n"
        "from toolkit.cli import main\n"
        f"sys.argv = ['lnm', 'lint', '--no-config', {str(path)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('playwright', 'PIL', 'jsonschema', 'multiprocessing.pool') if m in sys.modules]\n"
        "print('LOADED=' + ','.join(loaded), file=sys.stderr)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.stderr.strip().splitlines()[-1] == "LOADED=", proc.stderr


def _modules_loaded_by_lint(path: Path) -> tuple[list[str], str]:
    """Run ``lnm lint --no-config PATH`` (the real entry point) in a fresh interpreter; return the
    modules it imported and its report."""
    code = (
        "import contextlib, io, runpy, sys\n"
        f"sys.argv = ['lnm', 'lint', '--no-config', {str(path)!r}]\n"
        "out = io.StringIO()\n"
        "try:\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        runpy.run_module('toolkit', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print(out.getvalue(), file=sys.stderr)\n"
        "print('\\n'.join(sorted(sys.modules)))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=False)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split(), proc.stderr


#: What ``lnm lint FILE`` (a pre-commit hook's call) must not pay for on a file that does not need it.
#: (``toolkit.render.cli`` and ``toolkit.render.gallery`` only register their commands: click alone.)
NOT_FOR_A_PLAIN_LINT = ("jinja2", "babel", "playwright", "PIL", "jsonschema", "multiprocessing", "tomllib",
                        "tempfile", "difflib", "toolkit.builder", "toolkit.spec.schemas", "toolkit.render.preview",
                        "toolkit.render.chat", "toolkit.render.browser", "toolkit.render.flex",
                        "toolkit.render.contact_sheet", "toolkit.render.visual")


def test_lint_of_one_plain_file_imports_no_template_engine_builder_or_renderer(tmp_path: Path) -> None:
    path = tmp_path / "template.json"
    path.write_text(json.dumps(SPEC_BODY, ensure_ascii=False), encoding="utf-8")
    loaded, report = _modules_loaded_by_lint(path)
    assert "G025" in report  # it really linted the file (two example.com links)
    heavy = [m for m in loaded if m.split(".")[0] in NOT_FOR_A_PLAIN_LINT or m in NOT_FOR_A_PLAIN_LINT
             or any(m.startswith(prefix + ".") for prefix in NOT_FOR_A_PLAIN_LINT)]
    assert heavy == [], heavy


def test_placeholders_and_formatting_load_jinja_and_babel_only_when_a_value_has_one(tmp_path: Path) -> None:
    spec = ROOT / "template_library" / "examples" / "TH" / "shipment_completed_th.json"
    assert "{{" in spec.read_text(encoding="utf-8")
    loaded, report = _modules_loaded_by_lint(spec)
    assert "jinja2" in loaded and "babel" in loaded, report
    assert "toolkit.render.preview" not in loaded and "playwright" not in loaded


def test_the_public_names_load_on_first_use() -> None:
    code = ("import sys, toolkit\n"
            "before = sorted(m for m in sys.modules if m.startswith('toolkit.'))\n"
            "from toolkit import Severity\n"
            "assert toolkit.render_string('{{ n|number }}', {'n': 1234}, 'en') == '1,234'\n"
            "print(before, 'toolkit.builder' in sys.modules, sorted(set(toolkit.__all__) - set(dir(toolkit))))\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          check=True)
    assert proc.stdout.split() == ["[]", "False", "[]"], proc.stdout


def test_a_flexible_message_is_linted_without_reading_the_catalogue(tmp_path: Path) -> None:
    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.rules import default_table
    from toolkit.spec.catalogue import load_catalogue

    path = tmp_path / "flex.json"
    path.write_text(json.dumps({"to": SPEC_BODY["to"], "messages": [{"type": "text", "text": "Hello"}]}),
                    encoding="utf-8")
    catalogue = load_catalogue.__wrapped__()  # a fresh one, not the process-wide cached catalogue
    lint_paths([str(path)], default_table(), catalogue, LintSettings())
    assert catalogue._tables is None
    assert "shipment_completed_ja" in catalogue.templates  # read on first use


def _batch(folder: Path, count: int) -> None:
    for n in range(count):
        body = copy.deepcopy(SPEC_BODY)
        if n % 3 == 0:
            body["to"] = "not-a-digest"
        if n % 5 == 0:
            body["body"]["buttons"].append({"buttonKey": "contact_ja", "url": "https://example.com/x"})
        sub = folder / f"{n % 7}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"m{n:04d}.json").write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
    (folder / "3" / "broken.json").write_text("{", encoding="utf-8")


def test_parallel_batch_gives_the_same_report_in_the_same_order(lnm: Run, tmp_path: Path) -> None:
    _batch(tmp_path, 400)  # above the parallel threshold (256 files)
    serial = lnm("lint", "--format", "json", "--select", "A002,A016", "--jobs", "1", str(tmp_path))
    parallel = lnm("lint", "--format", "json", "--select", "A002,A016", "--jobs", "2", str(tmp_path))
    assert serial.code == parallel.code == 2
    assert serial.err == parallel.err and "broken.json:1:2: invalid JSON" in serial.err
    assert serial.out == parallel.out
    paths = [entry["path"] for entry in serial.json()["files"]]
    assert len(paths) == 401 and paths == sorted(paths, key=lambda p: (Path(p).parent.name, Path(p).name))


def test_a_dead_worker_is_one_clear_error_not_a_hang(tmp_path: Path) -> None:
    import os
    from collections.abc import Iterator

    from toolkit.errors import LnmError
    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.rules import Hit, RuleSet, RuleTable
    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import Message

    parent = os.getpid()
    rules = RuleSet("guideline")

    @rules.rule("G991", "worker-killer", "info", "n/a")
    def worker_killer(msg: Message) -> Iterator[Hit]:
        """Ends the process it runs in, unless that is the parent (test rule)."""
        if os.getpid() != parent:
            os._exit(3)
        return iter(())

    _batch(tmp_path, 300)
    with pytest.raises(LnmError, match="worker process died"):
        lint_paths([str(tmp_path)], RuleTable(rules.freeze()), load_catalogue(), LintSettings(), jobs=2)


def _reference(paths: list[Path], table: Any, catalogue: Any, settings: Any) -> list[Any]:
    """Each file through the public ``lint_source`` (every finding made), then folded once per run."""
    from toolkit.lint.engine import FileResult, fold_once_per_run, lint_source
    from toolkit.spec.source import load_source

    results = []
    for path in paths:
        count, findings = lint_source(load_source(str(path)), table, catalogue, settings)
        results.append(FileResult(str(path), findings, messages=count))
    fold_once_per_run(results, table)
    return [(r.path, r.findings) for r in results]


@pytest.mark.parametrize("cap", [None, 3])
def test_once_per_run_findings_folded_while_linting_read_as_when_all_are_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int | None) -> None:
    """Findings of a once-per-run rule that an earlier file of the batch already shows are only
    counted; the report (first finding, count, files) is the one made from every finding, serial
    or in parallel, and a file over the per-file cap still counts them in its summary."""
    from toolkit import limits
    from toolkit.lint.engine import LintSettings, lint_paths
    from toolkit.rules import default_table
    from toolkit.spec.catalogue import load_catalogue

    if cap is not None:
        monkeypatch.setattr(limits, "FINDINGS_PER_FILE", cap)
    catalogue = load_catalogue()
    illustrative = sorted(k for k, t in catalogue.templates.items() if t.provenance == "illustrative")
    assert illustrative
    paths = []
    for n in range(300):  # above the parallel threshold; the first files have no template at all
        if n < 5:
            body: dict[str, Any] = {"to": SPEC_BODY["to"], "messages": [{"type": "text", "text": "Hello"}]}
        else:
            body = copy.deepcopy(SPEC_BODY)
            body["templateKey"] = illustrative[n % len(illustrative)]
            if n % 4 == 0:
                body["body"]["buttons"][0]["url"] = "http://bit.ly/x"
        path = tmp_path / f"m{n:04d}.json"
        path.write_text(json.dumps(body, ensure_ascii=False, indent=1), encoding="utf-8")
        paths.append(path)
    table, settings = default_table(), LintSettings()
    expected = _reference(paths, table, catalogue, settings)
    assert any("more like this in" in f.message for _, findings in expected for f in findings if f.code == "G002")
    for jobs in (1, 2):
        report = lint_paths([str(tmp_path)], table, catalogue, settings, jobs=jobs)
        assert [(r.path, r.findings) for r in report.files] == expected


@pytest.mark.parametrize(("files", "workers"), [(300, 2), (1_976, 2), (300_000, 2), (300_000, 128)])
def test_batch_tasks_cover_every_file_in_order_and_are_bounded_in_number(files: int, workers: int) -> None:
    from toolkit.lint.engine import _MAX_CHUNKS, _chunks

    rest = [(i, (f"m{i}.json", False)) for i in range(files)]
    chunks = _chunks(rest, workers)
    assert [entry for chunk in chunks for entry in chunk] == rest
    assert len(chunks) <= _MAX_CHUNKS and all(chunks)
    assert len(chunks[-2]) < len(chunks[0])  # smaller at the end, so the processes finish together


@pytest.mark.skipif(not hasattr(__import__("fcntl"), "F_SETPIPE_SZ"), reason="pipe sizes are set only on Linux")
def test_task_numbers_never_block_on_a_small_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pipe may hold as little as one page (a user past the kernel's pipe budget; 512 bytes on
    macOS): handing out more task numbers than it holds must not hang the batch."""
    import fcntl
    import os
    import signal

    from toolkit.lint import _fork

    real_pipe = os.pipe

    def small_pipe() -> tuple[int, int]:
        read_end, write_end = real_pipe()
        fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
        return read_end, write_end

    monkeypatch.setattr(_fork.os, "pipe", small_pipe)
    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("map_forked hung on a small pipe")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(60)  # a hang fails the test instead of stopping the suite
    try:
        squares = _fork.map_forked(list(range(3_000)), lambda n: n * n, 2, lambda r: r, lambda r: r)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert squares == [n * n for n in range(3_000)]


def test_a_rules_count_is_the_number_of_hits_its_check_gives() -> None:
    """A once-per-run rule with a ``count`` is only counted once a batch shows its first finding;
    the count must be what its check would have given, on every message the suite has."""
    from toolkit.rules import default_table
    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import messages_from_document

    catalogue = load_catalogue()
    counting = [rule for rule in default_table().rules() if rule.count is not None]
    assert counting and all(rule.once_per_run for rule in counting)
    files = [*sorted((Path(__file__).parent / "rules").glob("*/*/*.json")),
             *sorted((ROOT / "template_library" / "examples").glob("*.json"))]
    counted = 0
    for path in files:
        if path.name.endswith(".expected.json"):
            continue
        try:
            messages = messages_from_document(json.loads(path.read_text(encoding="utf-8")), catalogue, path=str(path))
        except Exception:  # noqa: BLE001 - not a message (a rule fixture of broken input)
            continue
        for msg in messages:
            for rule in counting:
                if msg.kind in rule.applies_to:
                    hits = list(rule.check(msg))
                    assert rule.count(msg) == len(hits), (rule.code, path.name)
                    counted += len(hits)
    assert counted > 50


def test_the_lnm_command_leaves_quickly_but_runs_its_exit_handlers_and_writes_everything(tmp_path: Path) -> None:
    """``lnm lint`` skips the interpreter's slow teardown; what is registered to run at exit still
    runs, and a large report through a pipe arrives whole, with the right exit code."""
    _batch(tmp_path, 300)
    (tmp_path / "3" / "broken.json").unlink()
    code = ("import atexit, sys\n"
            "atexit.register(lambda: print('exit handler ran', file=sys.stderr))\n"
            f"sys.argv = ['lnm', 'lint', '--no-config', '--format', 'json', {str(tmp_path)!r}]\n"
            "from toolkit.cli import run\nrun()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == "exit handler ran\n"
    assert len(json.loads(proc.stdout)["files"]) == 300
    # Started with standard output closed (Python then has no sys.stdout): the report to a file is
    # whole, and the exit code is lint's, not a crash's.
    report = tmp_path / "report.json"
    code = ("import sys\n"
            f"sys.argv = ['lnm', 'lint', '--no-config', '--format', 'json', '-o', {str(report)!r}, {str(tmp_path)!r}]\n"
            "from toolkit.cli import run\nrun()\n")
    closed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, timeout=120, check=False, close_fds=True,
                            preexec_fn=lambda: __import__("os").close(1))
    assert closed.returncode == 1 and closed.stderr == "", closed.stderr
    assert len(json.loads(report.read_text(encoding="utf-8"))["files"]) == 300
