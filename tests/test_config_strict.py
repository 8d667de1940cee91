"""Issue 8, class 6 through the real ``lnm`` command: configuration that cannot be read is an error
(never a silent fall-back to the defaults), and unknown keys in configuration and specs are named
with the closest known key."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from toolkit.spec.message import unknown_keys
from toolkit.spec.schemas import load_schema

from .conftest import EXAMPLES, SPEC_BODY, write_json

Run = Callable[..., Any]


def _dirty(folder: Path) -> Path:
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"
    return write_json(folder / "body.json", body)


@pytest.mark.parametrize(("name", "text", "where", "problem"), [
    ("pyproject.toml", '[project]\nname = "x"\n\n[tool.lnm\nselect = ["A002"]\n', ":4:10:", "invalid TOML"),
    ("pyproject.toml", '[tool . lnm]\nselect = ["A002"\n', ":3:1:", "invalid TOML"),
    ("pyproject.toml", '[tool]\nlnm = { select = ["A002"] \n', ":2:", "invalid TOML"),
    ("pyproject.toml", '[tool."lnm"]\nfail-on = warning\n', ":2:11:", "invalid TOML"),
    ("lnm.toml", 'this is not toml\n', ":1:6:", "invalid TOML"),
    ("lnm.toml", 'select = ["A002"]\n\xff\n', "", "not UTF-8"),
])
def test_broken_configuration_is_an_error_not_the_defaults(lnm: Run, tmp_path: Path, name: str, text: str,
                                                           where: str, problem: str) -> None:
    spec = _dirty(tmp_path)
    (tmp_path / name).write_bytes(text.encode("utf-8", errors="surrogateescape") if "\xff" not in text
                                  else text.replace("\xff", "").encode() + b"\xff\n")
    result = lnm("lint", str(spec))
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"lnm: {tmp_path / name}{where}"), line
    assert problem in line


def test_an_unrelated_broken_pyproject_above_is_not_read(lnm: Run, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.black\n", encoding="utf-8")
    spec = _dirty(tmp_path / "messages")
    result = lnm("lint", "--select", "A002", str(spec))
    assert result.code == 1, result.err


@pytest.mark.parametrize(("text", "expected"), [
    ('sellect = ["A002"]\n', "sellect: unknown key (did you mean 'select'?)"),
    ('failon = "warning"\n', "failon: unknown key (did you mean 'fail-on'?)"),
    ('[options]\nallowed-domain = ["shop.jp"]\n', "options.allowed-domain: unknown option (did you mean 'allowed-domains'?)"),
    ('[tool]\nx = 1\n', "tool: unknown key; known: "),
])
def test_unknown_configuration_key_names_the_closest_known_one(lnm: Run, tmp_path: Path, text: str,
                                                               expected: str) -> None:
    spec = _dirty(tmp_path)
    (tmp_path / "lnm.toml").write_text(text, encoding="utf-8")
    result = lnm("lint", str(spec))
    assert result.code == 2
    (line,) = result.err.splitlines()
    assert expected in line and line.startswith(f"lnm: {tmp_path / 'lnm.toml'}:")


def test_unknown_spec_keys_are_findings_at_their_line_with_the_closest_key(lnm: Run, tmp_path: Path) -> None:
    spec = json.loads((EXAMPLES / "JP" / "shipment_completed_ja.json").read_text(encoding="utf-8"))
    spec["preview"] = {"clok": "2024-08-10T09:00:00+09:00"}
    spec["sampels"] = spec.pop("samples")
    spec["templatekey"] = "x"
    spec["suppress"] = [{"rule": "G002", "reason": "illustrative keys are fine here", "reasn": "x"}]
    path = write_json(tmp_path / "spec.json", spec)
    text = path.read_text(encoding="utf-8").splitlines()
    result = lnm("lint", "--select", "A091", "--format", "json", str(path))
    assert result.code == 1, result.err
    found = {(f["line"], f["message"].split(";")[0]) for e in result.json()["files"] for f in e["findings"]}

    def line_of(needle: str) -> int:
        return next(i for i, line in enumerate(text, 1) if needle in line)

    assert found == {
        (line_of('"clok"'), "unknown key 'clok' in preview (did you mean 'clock'?)"),
        (line_of('"sampels"'), "unknown key 'sampels' (did you mean 'samples'?)"),
        (line_of('"templatekey"'), "unknown key 'templatekey' (did you mean 'templateKey'?)"),
        (line_of('"reasn"'), "unknown key 'reasn' in suppress/0 (did you mean 'reason'?)"),
    }


def test_known_spec_keys_come_from_the_schema() -> None:
    """A key added to schemas/message-spec.schema.json is known at once: no second list to update."""
    schema = copy.deepcopy(load_schema("message-spec.schema.json"))
    spec = {"kind": "template", "newKey": 1, "preview": {"newPreviewKey": 2}}
    assert [p for p, _ in unknown_keys(spec)] == [("preview", "newPreviewKey"), ("newKey",)] or \
        sorted(p for p, _ in unknown_keys(spec)) == [("newKey",), ("preview", "newPreviewKey")]
    schema["properties"]["newKey"] = {"type": "integer"}
    schema["properties"]["preview"]["properties"]["newPreviewKey"] = {"type": "integer"}
    assert list(unknown_keys(spec, schema)) == []


def test_every_example_spec_has_only_known_keys() -> None:
    for path in sorted(EXAMPLES.rglob("*.json")):
        assert list(unknown_keys(json.loads(path.read_text(encoding="utf-8")))) == [], path


def test_spec_fields_of_the_wrong_type_are_findings_not_crashes(lnm: Run, tmp_path: Path) -> None:
    """Found by the fuzz test: a deliveryTag that is a list crashed lint and build (exit 3)."""
    path = write_json(tmp_path / "spec.json", {"kind": "flexible", "deliveryTag": [], "title": 5,
                                               "preview": {"clock": [1]}, "messages": [{"type": "text", "text": "x"}]})
    result = lnm("lint", "--select", "A091", "--format", "json", str(path))
    assert result.code == 1, result.err
    found = sorted(f["message"] for e in result.json()["files"] for f in e["findings"])
    assert found == ["deliveryTag must be a string", "preview/clock must be a string", "title must be a string"]
    built = lnm("build", str(path), "--to", "0" * 64)
    assert built.code == 1 and "internal error" not in built.err and "Traceback" not in built.err
