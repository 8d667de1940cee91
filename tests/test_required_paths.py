"""A missing required property is reported at its own path, as LINE's API names it (issue 15, item 3).

LINE's error details name the missing property itself (``messages[0].altText``), not its parent. The
test takes valid messages (the good Flex fixtures, LINE's showcase samples and one message of each
other type), deletes each property of each object in turn, and lints every mutation that the schema
says is now missing something with the real ``lnm lint``: each "must be specified" finding must be at
the deleted property's path. Every property the schema requires must have been tried.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from toolkit.rules._flexschema import check_message, schema_path
from toolkit.rules._text import walk

from .conftest import run_lnm, write_json

ROOT = Path(__file__).resolve().parent.parent
SHOWCASE = ROOT.parent / "shared" / "testdata" / "flex" / "line-showcase"
DIGEST = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"
#: Either-or requirements: without both, the schema names the first (a text's ``text`` or ``contents``).
ALTERNATIVE = {("text", "contents"): "text"}

Path_ = tuple[str | int, ...]


def _valid_messages() -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    files = sorted((ROOT / "tests" / "rules").glob("A0[45]*/good/*.json"))
    files.append(ROOT / "tests" / "data" / "required" / "other-message-types.json")
    for case in files:
        messages.extend(json.loads(case.read_text(encoding="utf-8")).get("messages", []))
    for sample in sorted(SHOWCASE.glob("*.json")):
        messages.append({"type": "flex", "altText": sample.stem, "contents": json.loads(sample.read_text(encoding="utf-8"))})
    return [m for m in messages if not check_message(m, ("messages", 0))]


def _required_by_schema() -> set[tuple[str, str]]:
    """``(type, property)`` for every property a typed definition of the schema requires."""
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    out = set()
    for definition in schema["$defs"].values():
        kind = definition.get("properties", {}).get("type", {}).get("const")
        if kind:
            out.update((kind, key) for key in definition.get("required", ()) if key != "type")
    return out


def _mutations() -> tuple[list[tuple[dict[str, Any], Path_]], set[tuple[str, str]]]:
    """One mutated message per (object type, deleted property) that leaves a required property missing."""
    chosen: dict[tuple[Any, str, bool], tuple[dict[str, Any], Path_]] = {}
    for message in _valid_messages():
        for path, node in list(walk(message, ("messages", 0))):
            for key in list(node):
                kind = node.get("type")
                top = len(path) == 2
                if (kind, key, top) in chosen:
                    continue
                mutated = copy.deepcopy(message)
                target: Any = mutated
                for part in path[2:]:
                    target = target[part]
                del target[key]
                if any(p.kind == "required" for p in check_message(mutated, ("messages", 0))):
                    chosen[(kind, key, top)] = (mutated, (*path, key))
    tried = {(str(kind), key) for kind, key, _ in chosen}
    return list(chosen.values()), tried


def _pointer(path: Path_) -> str:
    return "".join(f"/{part}" for part in path)


def test_every_required_property_is_reported_at_its_own_path(tmp_path: Path) -> None:
    mutations, tried = _mutations()
    assert _required_by_schema() <= tried, sorted(_required_by_schema() - tried)
    where = {}
    for n, (message, deleted) in enumerate(mutations):
        write_json(tmp_path / f"m{n:03d}.json", {"to": DIGEST, "messages": [message]})
        where[f"m{n:03d}.json"] = deleted
    result = run_lnm("lint", "--no-config", "--format", "json", "--select", "api", str(tmp_path))
    assert result.code == 1, result.err
    wrong = []
    for entry in result.json()["files"]:
        deleted = where[Path(entry["path"]).name]
        kind_key = (_kind_at(mutations, deleted), str(deleted[-1]))
        expected = _pointer((*deleted[:-1], ALTERNATIVE[kind_key])) if kind_key in ALTERNATIVE else _pointer(deleted)
        missing = [(f["code"], f["pointer"]) for f in entry["findings"] if "must be specified" in f["message"]]
        if [p for _, p in missing] != [expected]:
            wrong.append((expected, missing))
    assert not wrong, wrong
    assert len(result.json()["files"]) == len(mutations)


def _kind_at(mutations: list[tuple[dict[str, Any], Path_]], deleted: Path_) -> str:
    message = next(m for m, d in mutations if d == deleted)
    node: Any = message
    for part in deleted[2:-1]:
        node = node[part]
    return str(node.get("type"))
