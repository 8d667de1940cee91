"""Pathological text for the rules, through the installed ``lnm`` command: megabyte values in every
field a rule reads are linted promptly, and no value pattern backtracks without end.

No timing is asserted (CI machines are shared): each run must end within a generous subprocess
timeout, far above what it takes and far below what the super-linear patterns took (a 25 KB value
of repeated words kept the ``name`` pattern busy for seconds, a megabyte for hours).
"""

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
SIZE = 1_000_000
WORDS = ("word " * SIZE)[:SIZE] + " "  # the example: repeated words with a trailing space
MIXED = "".join(part * (SIZE // 10 // len(part)) for part in (
    "word ", "1 ", "x1 ", "สวัสดี ", "😀", "!?", "https://a.jp/%", "a", "090-1234-", "名前　")) + " "


def _template_files() -> dict[str, dict[str, Any]]:
    files = {}
    base = {"to": "0" * 64, "templateKey": SPEC["templateKey"], "body": SPEC["body"]}
    for i, item in enumerate(SPEC["body"]["items"]):  # every item kind: date, name, quantity, price...
        body = copy.deepcopy(base)
        body["body"]["items"][i]["content"] = WORDS if i % 2 else MIXED
        files[f"item-{i}-{item['itemKey']}"] = body
    body = copy.deepcopy(base)
    body["body"]["emphasizedItem"]["content"] = WORDS
    files["emphasized"] = body
    body = copy.deepcopy(base)
    body["body"]["buttons"][0]["url"] = "https://www.kumoya-shop.jp/" + ("a." * SIZE)[:SIZE] + " "
    files["button-url"] = body
    body = copy.deepcopy(base)
    body["body"]["buttons"][1]["url"] = "https://[" + ":" * SIZE + "x"
    files["button-host"] = body
    return files


def _flexible_files() -> dict[str, dict[str, Any]]:
    bubble = {"type": "bubble", "hero": {"type": "image", "url": "https://a.jp/x.png"},
              "body": {"type": "box", "layout": "vertical", "contents": [
                  {"type": "text", "text": "T"},
                  {"type": "text", "contents": [{"type": "span", "text": "S"}]},
                  {"type": "button", "action": {"type": "uri", "label": "L", "uri": "https://a.jp/"}}]}}
    base = {"to": "0" * 64, "messages": [
        {"type": "text", "text": "T"},
        {"type": "flex", "altText": "A", "contents": bubble,
         "quickReply": {"items": [{"type": "action", "action": {"type": "message", "label": "Q", "text": "M"}}]}}]}
    inner = ("messages", 1, "contents", "body", "contents")
    fields: list[tuple[str, tuple[str | int, ...], str]] = [
        ("text", ("messages", 0, "text"), MIXED),
        ("alt-text", ("messages", 1, "altText"), WORDS),
        ("image-url", ("messages", 1, "contents", "hero", "url"), "https://a.jp/" + "%" * SIZE),
        ("flex-text", (*inner, 0, "text"), MIXED),
        ("span", (*inner, 1, "contents", 0, "text"), WORDS),
        ("button-label", (*inner, 2, "action", "label"), WORDS),
        ("uri", (*inner, 2, "action", "uri"), "https://a.jp/?" + ("a=1&" * SIZE)[:SIZE]),
        ("quick-reply-label", ("messages", 1, "quickReply", "items", 0, "action", "label"), MIXED),
        ("quick-reply-text", ("messages", 1, "quickReply", "items", 0, "action", "text"), WORDS),
    ]
    files = {}
    for name, path, value in fields:
        body = copy.deepcopy(base)
        node: Any = body
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        files[f"flexible-{name}"] = body
    return files


def test_megabyte_values_in_every_field_are_linted_promptly(tmp_path: Path) -> None:
    files = {**_template_files(), **_flexible_files()}
    for name, body in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    spec = copy.deepcopy(SPEC)
    spec["samples"]["default"]["order"]["item_name"] = WORDS  # a megabyte through a placeholder too
    (tmp_path / "spec.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "zz-good.json").write_text(json.dumps(SPEC, ensure_ascii=False, indent=2), encoding="utf-8")
    # 21 files of a megabyte; a few seconds on an idle machine. The old patterns took hours.
    result = subprocess.run([LNM, "lint", "--show-info", "--jobs", "1", "."], cwd=tmp_path, capture_output=True, text=True,
                            timeout=240, env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "NO_COLOR": "1"})
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    for name in files:
        assert f"./{name}.json:" in result.stdout, name  # each file is linted and has its findings
    assert "./spec.json:" in result.stdout
    assert "./zz-good.json:18:20: G051 " in result.stdout
    assert f"{len(files) + 2} files," in result.stdout
    for line in result.stdout.splitlines():  # excerpts of megabyte lines are cut, not printed whole
        assert len(line) < 1000


PATTERNS_SCRIPT = """
import json, sys
from toolkit.spec.catalogue import value_patterns
n = 5_000
shapes = [("word " * n)[:n] + " ", ("x1 " * n)[:n] + "!", ("a." * n)[:n] + " ", ("1 " * n)[:n] + "x",
          ("สวัสดี " * n)[:n] + " ", ("上午1點 " * n)[:n] + "!", ("2点・" * n)[:n] + "!", " " * n + "a",
          ("1,000" * n)[:n] + "x", ("AB-" * n)[:n] + "\\x00"]
count = 0
for language in ("ja", "th", "zh-Hant"):
    for kind, pattern in value_patterns(language).items():
        for text in shapes:
            pattern.fullmatch(text)
            pattern.search(text)
            count += 1
print(count)
"""


def test_no_value_pattern_backtracks_on_long_text() -> None:
    """Editors run these patterns too (the JSON Schemas carry them), on text of any length. Before the
    rewrite, the ``name`` pattern alone took about half a minute here; now the whole script takes
    about a second."""
    result = subprocess.run([sys.executable, "-c", PATTERNS_SCRIPT], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 300
