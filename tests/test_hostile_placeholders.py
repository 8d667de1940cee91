"""Unbounded work in placeholders, through the installed ``lnm`` command: each budget a template
exceeds is an A090 finding at the value's line and column, the run over a folder goes on and ends
promptly, and build refuses the spec."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from .conftest import EXAMPLES

LNM = str(Path(sys.executable).parent / "lnm")
SPEC: dict[str, Any] = json.loads((EXAMPLES / "JP" / "order_confirmed_ja.json").read_text(encoding="utf-8"))
#: The whole folder run must end within this many seconds; before the budgets one file alone
#: never ended (string multiplication to a gigabyte, or nested loops over 10**10 iterations).
TIMEOUT = 120


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([LNM, *args], cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT,
                          env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1", **(env or {})})


def _spec_with(where: tuple[str | int, ...], value: str, **sample: Any) -> dict[str, Any]:
    spec = copy.deepcopy(SPEC)
    node: Any = spec
    for part in where[:-1]:
        node = node[part]
    node[where[-1]] = value
    spec["samples"] = {"default": {**spec["samples"]["default"], **sample}}
    return spec


def _write(folder: Path, name: str, spec: dict[str, Any], marker: str) -> str:
    """Write the spec; return ``name.json:line:column`` of the string holding ``marker``."""
    text = json.dumps(spec, ensure_ascii=False, indent=2)
    (folder / f"{name}.json").write_text(text, encoding="utf-8")
    offset = text.index(json.dumps(marker, ensure_ascii=False)[:-1])  # the opening quote of the value
    line = text.count("\n", 0, offset) + 1
    return f"{name}.json:{line}:{offset - text.rfind(chr(10), 0, offset)}"


ITEM = ("body", "items")
#: 100,000 steps take a fraction of a second; on a machine too busy for that the time budget ends them.
STEPS = ("more than 100,000 steps", "take more than 2 s of CPU time")
HOSTILE = [
    ("multiply", (*ITEM, 1, "content"), '{{ "a" * 10**9 }}', {}, "would make a text of 1,000,000,000 characters"),
    ("sample-count", ("body", "buttons", 0, "url"), "https://www.kumoya-shop.jp/{{ order.number * count }}",
     {"count": 10**9}, "would make a text of 7,000,000,000 characters"),
    ("decimals", ("body", "emphasizedItem", "content"), "{{ order.total | number(10**9) }}", {},
     "number() takes 0 to 20 decimals"),
    ("money-digits", (*ITEM, 5, "content"), "{{ amount | money('JPY') }}", {"amount": "1e999999999"},
     "more than 30 digits"),
    ("date-format", (*ITEM, 0, "content"), "{{ order.date | date('y' * 5000) }}", {}, "format of 5,000 characters"),
    ("nested-loops", (*ITEM, 2, "content"),
     "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}{% endfor %}点", {}, STEPS),
    ("range", (*ITEM, 2, "content"), "{{ range(10**9) | length }}点", {}, "range() of 1,000,000,000 items"),
    ("lipsum", (*ITEM, 1, "content"), "{{ lipsum(10**6) }}", {}, "lipsum() of 100,000,000 words"),
    ("doubling", (*ITEM, 1, "content"),
     '{% set ns = namespace(t="ab") %}{% for i in range(64) %}{% set ns.t = ns.t ~ ns.t %}{% endfor %}{{ ns.t }}',
     {}, "would make a text of 131,072 characters"),
    ("power", (*ITEM, 2, "content"), "{{ 7 ** (10**8) }}点", {}, "an integer of more than 1,000 bits"),
    ("width", (*ITEM, 1, "content"), '{{ "%0999999999d" % 1 }}', {}, "a width or precision of 999,999,999"),
    ("center", (*ITEM, 1, "content"), "{{ order.item_name | center(10**9) }}", {}, "a width in center of 1,000,000,000"),
    ("recursion", (*ITEM, 1, "content"),
     "{% macro f(n) %}{% if n %}{{ f(n - 1) }}{{ f(n - 1) }}{% endif %}{% endmacro %}{{ f(60) }}", {}, STEPS),
    ("nesting", (*ITEM, 1, "content"), "{% if 1 %}" * 40 + "x" + "{% endif %}" * 40, {}, "nested more than 32 levels"),
    ("object", (*ITEM, 1, "content"), "{{ order }}", {}, "gives an object (a JSON object), not text"),
    ("list", (*ITEM, 1, "content"), "{{ names }}", {"names": ["a", "b"]}, "gives a list, not text"),
    ("null", (*ITEM, 1, "content"), "{{ nothing }}", {"nothing": None}, "gives null, not text"),
]


def test_each_budget_is_a_finding_at_the_value_and_the_folder_run_goes_on(tmp_path: Path) -> None:
    expected = {}
    for name, where, value, sample, message in HOSTILE:
        expected[name] = (_write(tmp_path, name, _spec_with(where, value, **sample), value), message)
    (tmp_path / "zz-good.json").write_text(json.dumps(SPEC, ensure_ascii=False, indent=2), encoding="utf-8")
    result = run("lint", "--show-info", "--select", "A090,G051", ".", cwd=tmp_path)  # G051 is an info note
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    for name, (location, message) in expected.items():
        found = [line for line in result.stdout.splitlines() if line.startswith(f"./{name}.json:")
                 and " A090 " in line]
        assert len(found) == 1, (name, found)
        assert found[0].startswith(f"./{location}: A090 "), (found[0], location)
        assert any(m in found[0] for m in ((message,) if isinstance(message, str) else message)), found[0]
    assert "./zz-good.json:18:20: G051 " in result.stdout  # the good file is still linted


def test_time_budget_is_the_backstop_and_one_finding_is_enough(tmp_path: Path) -> None:
    loop = "{% for i in range(9999) %}{{ i }}{% endfor %}"
    spec = _spec_with((*ITEM, 1, "content"), loop)
    spec["body"]["emphasizedItem"]["content"] = "1234567"
    for item in spec["body"]["items"]:
        item["content"] = "x" if item["content"] != loop else loop
    spec["body"]["items"][5]["content"] = loop + " "
    spec["body"]["buttons"][0]["url"] = "https://www.kumoya-shop.jp/"
    location = _write(tmp_path, "slow", spec, loop)
    result = run("lint", "--select", "A090", "slow.json", cwd=tmp_path, env={"LNM_PLACEHOLDER_SECONDS": "0.001"})
    assert result.returncode == 1
    findings = [line for line in result.stdout.splitlines() if " A090 " in line]
    assert len(findings) == 1, findings  # the second value is left unfilled, not reported again
    assert findings[0].startswith(f"{location}: A090 placeholders of this file take more than 0.001 s of CPU time")


def test_build_refuses_a_spec_over_budget(tmp_path: Path) -> None:
    location = _write(tmp_path, "spec", _spec_with((*ITEM, 1, "content"), '{{ "a" * 10**9 }}'), '{{ "a" * 10**9 }}')
    result = run("build", "spec.json", "-o", "body.json", cwd=tmp_path)
    assert result.returncode != 0
    assert f"{location}: A090 placeholder would make a text of 1,000,000,000 characters" in result.stderr
    assert "lnm: not built" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "body.json").exists()


def test_ordinary_placeholders_still_fill(tmp_path: Path) -> None:
    spec = _spec_with((*ITEM, 1, "content"),
                      '{{ order.item_name | truncate(20) }} {{ "%05d" | format(7) }} {{ "{:,}".format(1234567) }}'
                      "{% for i in range(3) %}{{ i }}{% endfor %}")
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    result = run("build", "spec.json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)
    assert body["body"]["items"][1]["content"].startswith("波佐見焼 取り皿 5枚組 00007 1,234,567012")
