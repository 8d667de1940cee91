"""Placeholders the operating system stops (issue 14, class 1), through the real ``lnm`` command
under a 1.5 GB address-space limit: one long step in C or in Python ends at the file's CPU budget,
a step that needs too much memory ends at the worker's cap, the common hostile cases are refused by
an estimate before they allocate, and ``lnm serve`` keeps answering and stops on Ctrl-C and SIGTERM
while such a spec renders."""

from __future__ import annotations

import copy
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from toolkit.limits import RenderBudget
from toolkit.spec import placeholders
from toolkit.spec._worker import render_batch

from .conftest import EXAMPLES

LNM = str(Path(sys.executable).parent / "lnm")
SPEC: dict[str, Any] = json.loads((EXAMPLES / "JP" / "order_confirmed_ja.json").read_text(encoding="utf-8"))
#: The address space the whole command may use (the acceptance limit of issue 14).
ADDRESS_SPACE = 1536 * 1024 * 1024
#: Generous, for a shared machine: each hostile file alone is stopped at 2 s of CPU time.
TIMEOUT = 240
#: A list whose items share their branches: small in memory, 2**40 leaves when walked.
SHARED = "{% set ns = namespace(a=[0], b=[0]) %}{% for i in range(40) %}{% set ns.a = [ns.a, ns.a] %}" \
         "{% set ns.b = [ns.b, ns.b] %}{% endfor %}"
BIG = "([('x' * 100000)] * 8000)"
TIME = "take more than 2 s of CPU time (one step, stopped by the operating system)"
MEMORY = "needs more than 512 MB of memory"
TEXT = ("would make a text of", "100,000")
#: (name, template, what the one finding says). The first ones run a single step the sandbox cannot
#: interrupt (in C: json, list comparison; in Python: pprint) or allocate past the worker's cap;
#: the others are refused by an estimate before anything is made.
HOSTILE = [
    ("c-step-tojson", SHARED + "{{ ns.a | tojson | length }}", TIME),
    ("python-step-pprint", SHARED + "{{ ns.a | pprint | length }}", TIME),
    ("memory", "{{ " + BIG + " | map('upper') | list | length }}", MEMORY),
    ("sum-of-lists", "{{ ([[0]] * 100000) | sum(start=[]) }}", "sum() of 100,000 lists or texts would copy"),
    ("compare-shared", SHARED + "{{ ns.a == ns.b }}", "compares a value of more than 100,000 items"),
    ("test-shared", SHARED + "{{ ns.a is eq(ns.b) }}", "compares a value of more than 100,000 items"),
    ("sort-shared", SHARED + "{{ [ns.a, ns.b] | sort | length }}", "sorts or compares a value of more than"),
    ("join", "{{ " + BIG + " | join }}", TEXT),
    ("format", "{{ '%s' | format(" + BIG + ") }}", TEXT),
    ("percent", "{{ '%s' % " + BIG + " }}", TEXT),
    ("tilde", "{{ " + BIG + " ~ 'a' }}", TEXT),
    ("string", "{{ " + BIG + " | string | length }}", TEXT),
    ("str-format", "{{ '{}{}'.format(" + BIG + ", 1) }}", TEXT),
]


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LNM, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          preexec_fn=_limited, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"})


def _write(folder: Path, name: str, value: str, index: int = 1) -> str:
    """A spec with ``value`` in one item; returns ``name.json:line:column`` of that value."""
    spec = copy.deepcopy(SPEC)
    spec["body"]["items"][index]["content"] = value
    spec["samples"] = {"default": spec["samples"]["default"]}
    text = json.dumps(spec, ensure_ascii=False, indent=2)
    (folder / f"{name}.json").write_text(text, encoding="utf-8")
    offset = text.index(json.dumps(value, ensure_ascii=False)[:-1])
    return f"{name}.json:{text.count(chr(10), 0, offset) + 1}:{offset - text.rfind(chr(10), 0, offset)}"


def test_each_hostile_step_is_one_finding_at_its_value_under_an_address_space_limit(tmp_path: Path) -> None:
    where = {name: _write(tmp_path, name, value) for name, value, _ in HOSTILE}
    loop = "{% for i in range(3) %}{{ i }}{% endfor %}件"  # not bounded: rendered in the worker
    _write(tmp_path, "zz-after", loop)
    result = run("lint", "-q", "--select", "A090,G001", ".", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    findings = [line for line in result.stdout.splitlines() if " A090 " in line]
    for name, _, message in HOSTILE:
        mine = [line for line in findings if line.startswith(f"./{name}.json:")]
        assert len(mine) == 1, (name, mine)
        assert mine[0].startswith(f"./{where[name]}: A090 "), (mine[0], where[name])
        assert all(part in mine[0] for part in ((message,) if isinstance(message, str) else message)), mine[0]
    assert not [line for line in result.stdout.splitlines() if line.startswith("./zz-after.json:")]


def test_build_refuses_a_spec_whose_step_the_system_stopped(tmp_path: Path) -> None:
    where = _write(tmp_path, "spec", SHARED + "{{ ns.a | tojson | length }}")
    result = run("build", "spec.json", "-o", "body.json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # a finding, as lnm build reports any API error
    assert f"{where}: A090 placeholders of this file {TIME}" in result.stderr
    assert result.stderr.splitlines()[-1].startswith("lnm: not built")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "body.json").exists()


def test_the_worker_is_replaced_after_a_kill_and_fills_the_next_values() -> None:
    data = {"name": "佐藤", "items": [1, 2, 3]}
    hostile = SHARED + "{{ ns.a | tojson | length }}"
    with pytest.raises(placeholders.BudgetExceeded, match="stopped by the operating system"):
        placeholders.render_string(hostile, data, "ja", RenderBudget(0.5))
    assert placeholders.render_string("{% for i in items %}{{ i }}{% endfor %}{{ name }}", data, "ja") == "123佐藤"


def test_bounded_values_fill_in_process_exactly_as_the_worker_fills_them() -> None:
    """Every placeholder of the shipped examples is of the bounded kind (so it never pays for the
    worker), and gives the same text in the worker."""
    for path in sorted(EXAMPLES.rglob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        texts: list[str] = []
        stack: list[Any] = [spec.get("body"), spec.get("messages")]
        while stack:
            value = stack.pop()
            if isinstance(value, str) and placeholders.has_placeholder(value):
                texts.append(value)
            elif isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
        language = {"JP": "ja", "TH": "th", "TW": "zh-Hant"}[path.parent.name]
        for name, data in spec["samples"].items():
            for text in texts:
                assert placeholders.prepare(text) is not None, (path.name, text)
            here = [placeholders.render_here(t, data, language, RenderBudget()) for t in texts]
            there = render_batch(language, 2.0, [data], [(0, t) for t in texts])
            assert there == [("ok", text, None) for text in here], (path.name, name)


class _Serve:
    def __init__(self, folder: Path) -> None:
        self.proc = subprocess.Popen([LNM, "serve", ".", "--port", "0"], cwd=folder, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, preexec_fn=_limited)
        assert self.proc.stderr is not None
        first = self.proc.stderr.readline()
        assert " at http://127.0.0.1:" in first, first
        self.url = first.split(" at ")[1].split()[0]

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_answers_while_a_hostile_spec_renders_and_stops_on_a_signal(tmp_path: Path, stop: int) -> None:
    _write(tmp_path, "hostile", SHARED + "{{ ns.a | pprint | length }}")
    _write(tmp_path, "good", "{% for i in range(3) %}{{ i }}{% endfor %}件")
    server = _Serve(tmp_path)
    try:
        slow: dict[str, tuple[int, str]] = {}
        threads = [threading.Thread(target=lambda: slow.update(spec=server.get("api/spec?path=./hostile.json")))]
        threads[0].start()
        time.sleep(0.3)  # the hostile spec is rendering now
        status, listing = server.get("api/specs")
        assert status == 200 and "./hostile.json" in listing
        status, page = server.get("api/spec?path=./good.json")
        assert status == 200 and "012件" in page
        threads[0].join(timeout=120)
        assert slow["spec"][0] == 200 and "stopped by the operating system" in slow["spec"][1]
        # again, and stop the server while it renders: it ends promptly, with its last line
        threading.Thread(target=lambda: server.get("frame?path=./hostile.json"), daemon=True).start()
        time.sleep(0.5)
        server.proc.send_signal(stop)
        code = server.proc.wait(timeout=30)
        assert server.proc.stderr is not None
        rest = server.proc.stderr.read()
        assert code == 0, rest
        assert rest.rstrip().endswith("lnm serve: stopped"), rest
        assert "Traceback" not in rest
    finally:
        if server.proc.poll() is None:
            server.proc.kill()
            server.proc.wait()
        if server.proc.stderr is not None:
            server.proc.stderr.close()


def test_a_worker_that_cannot_start_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    from toolkit.spec import _worker

    monkeypatch.setattr(_worker, "_idle", [])
    monkeypatch.setattr(_worker, "_command", lambda: ["/nonexistent/python3"])
    with pytest.raises(placeholders.BudgetExceeded, match="the process that renders them could not start"):
        placeholders.render_string("{% for i in items %}{{ i }}{% endfor %}", {"items": [1]}, "ja")
    assert placeholders.render_string("{{ name }}様", {"name": "佐藤"}, "ja") == "佐藤様"  # in process
