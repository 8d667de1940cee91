"""Configuration in [tool.lnm] / lnm.toml and suppression in a spec, through the real CLI."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from toolkit.lint.config import Config, resolve_settings
from toolkit.lint.engine import lint_paths
from toolkit.rules import Hit, RuleSet, RuleTable, default_table
from toolkit.spec.catalogue import load_catalogue
from toolkit.spec.message import Message

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
SPEC_BODY = json.loads((DATA / "lint" / "line-example.json").read_text(encoding="utf-8"))
Run = Callable[..., Any]  # conftest's ``lnm`` fixture: the real CLI in a subprocess


def _dirty(folder: Path, name: str = "dirty.json") -> Path:
    """A body with an A002 (recipient) and an A016 (three buttons) error."""
    body = copy.deepcopy(SPEC_BODY)
    body["to"] = "not-a-digest"
    body["body"]["buttons"].append({"buttonKey": "contact_ja", "url": "https://example.com/x"})
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(json.dumps(body, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _codes(lnm: Run, *args: str, cwd: Path | None = None) -> list[str]:
    result = lnm("lint", "--format", "json", *args, cwd=cwd)
    assert result.code in (0, 1), result.err
    return sorted({f["code"] for entry in result.json()["files"] for f in entry["findings"]})


def test_config_schema_is_draft_2020_12_with_an_id() -> None:
    schema = json.loads((ROOT / "schemas" / "lnm-config.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == "lnm-config.schema.json"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_pyproject_table_found_from_the_linted_folder_upwards(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path / "messages" / "deep")
    assert _codes(lnm, "--select", "A002,A016", str(path)) == ["A002", "A016"]
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.ruff]\nselect = ["E"]\n\n[tool.lnm]\nselect = ["A002", "A016"]\n'
        'ignore = ["too-many-buttons"]\n', encoding="utf-8")
    assert _codes(lnm, str(path)) == ["A002"]
    assert _codes(lnm, "--no-config", "--select", "A002,A016", str(path)) == ["A002", "A016"]
    # The command line's --select replaces the file's; --ignore adds to it.
    assert _codes(lnm, "--select", "A016,A002", "--ignore", "A002", str(path)) == []


def test_lnm_toml_wins_over_pyproject_and_extend_select_adds(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.lnm]\nselect = ["A016"]\n', encoding="utf-8")
    (tmp_path / "lnm.toml").write_text('select = ["A002"]\n', encoding="utf-8")
    assert _codes(lnm, str(path)) == ["A002"]
    assert _codes(lnm, "--extend-select", "A016", str(path)) == ["A002", "A016"]
    (tmp_path / "lnm.toml").write_text('select = ["A002"]\nextend-select = ["invalid-recipient", "A016"]\n',
                                       encoding="utf-8")
    assert _codes(lnm, str(path)) == ["A002", "A016"]


def test_explicit_config_and_severity_and_fail_on(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path / "m")
    config = tmp_path / "elsewhere" / "ci.toml"
    config.parent.mkdir()
    config.write_text('select = ["A002"]\nfail-on = "warning"\n[severity]\ninvalid-recipient = "info"\n',
                      encoding="utf-8")
    result = lnm("lint", "--config", str(config), "--format", "json", str(path))
    assert result.json()["files"][0]["findings"] == [] and result.code == 0  # info: counted, not shown
    assert result.json()["summary"]["hidden"] == 1
    shown = lnm("lint", "--config", str(config), "--format", "json", "--show-info", str(path))
    (finding,) = shown.json()["files"][0]["findings"]
    assert finding["severity"] == "info" and shown.code == 0
    failing = lnm("lint", "--config", str(config), "--fail-on", "info", str(path))
    assert failing.code == 1 and " A002 " in failing.out  # a finding that fails the run is shown


def test_per_file_ignores_match_globs_relative_to_the_config(lnm: Run, tmp_path: Path) -> None:
    _dirty(tmp_path / "legacy" / "2023")
    _dirty(tmp_path / "current")
    (tmp_path / "lnm.toml").write_text(
        'select = ["A002", "A016"]\n[per-file-ignores]\n"legacy/**" = ["A016"]\n"*.json" = ["A002"]\n',
        encoding="utf-8")
    result = lnm("lint", "--format", "json", str(tmp_path))
    codes = {Path(e["path"]).parent.name: sorted(f["code"] for f in e["findings"]) for e in result.json()["files"]}
    assert codes == {"2023": [], "current": ["A016"]}


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("lnm.toml", 'select = ["A002", "G999"]\n', "lnm.toml:1: select: unknown rule 'G999'; see lnm rules"),
    ("pyproject.toml", '[tool.ruff]\nselect = ["X"]\n\n[tool.lnm.options]\nallowed-domains = ["shop.jp"]\nextra-wordz = []\n',
     "pyproject.toml:6: tool.lnm.options.extra-wordz: unknown option; known: "),
    ("lnm.toml", 'sellect = ["A002"]\n', "lnm.toml:1: sellect: unknown key (did you mean 'select'?); known: "),
    ("lnm.toml", '[severity]\nA002 = "loud"\n', "lnm.toml:2: severity.A002: 'loud' is not one of error, warning, info"),
    ("lnm.toml", '[severity]\nno-such-rule = "error"\n', "lnm.toml:2: severity.no-such-rule: unknown rule"),
    ("lnm.toml", '[per-file-ignores]\n"old/*" = ["A999"]\n',
     "lnm.toml:2: per-file-ignores.\"old/*\": unknown rule 'A999'"),
    ("lnm.toml", '[options]\nmin-app-version = 15\n', "lnm.toml:2: options.min-app-version: 15 is not of type 'string'"),
    ("lnm.toml", 'select = ["A002"\n', "lnm.toml:2:1: invalid TOML: "),
])
def test_bad_configuration_is_one_line_with_file_and_key(lnm: Run, tmp_path: Path, name: str, text: str,
                                                         expected: str) -> None:
    path = _dirty(tmp_path)
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = lnm("lint", str(path))
    assert result.code == 2
    assert result.out == ""
    (line,) = result.err.splitlines()
    assert line.startswith(f"lnm: {tmp_path / expected}"), line
    assert "Traceback" not in result.err


def test_bad_config_option_and_missing_table(lnm: Run, tmp_path: Path) -> None:
    path = _dirty(tmp_path / "m")
    missing = lnm("lint", "--config", str(tmp_path / "nope.toml"), str(path))
    assert missing.code == 2 and "nope.toml: configuration file not found" in missing.err
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    no_table = lnm("lint", "--config", str(tmp_path / "pyproject.toml"), str(path))
    assert no_table.code == 2 and "no [tool.lnm] table" in no_table.err
    unknown = lnm("lint", "--select", "A002,nope", str(path))
    assert unknown.code == 2 and "--select: unknown rule 'nope'" in unknown.err


# --- options reach the rules ------------------------------------------------------------------------


def _option_echo_table() -> RuleTable:
    rules = RuleSet("guideline")

    @rules.rule("G990", "option-echo", "warning", "n/a")
    def option_echo(msg: Message) -> Iterator[Hit]:
        """Reports the options it was given (test rule)."""
        yield Hit(("templateKey",), json.dumps(dict(msg.options), sort_keys=True))

    return RuleTable(rules.freeze())


def test_rule_options_from_the_config_reach_every_rule(tmp_path: Path) -> None:
    path = _dirty(tmp_path)
    options = {"allowed-domains": ["shop.example.jp"], "max-display-width": 40}
    settings, _, _ = resolve_settings(Config(path=str(tmp_path / "lnm.toml"), data={"options": options}),
                                      _option_echo_table())
    report = lint_paths([str(path)], _option_echo_table(), load_catalogue(), settings)
    (finding,) = report.findings()
    assert json.loads(finding.message) == options


# --- suppression in a spec -----------------------------------------------------------------------


def _spec(lnm: Run, tmp_path: Path, suppress: list[dict[str, str]] | None) -> Path:
    """A spec made by ``lnm new`` for an illustrative template, so undocumented-key fires."""
    catalogue = load_catalogue()
    template = next(t for t in sorted(catalogue.templates.values(), key=lambda t: t.key)
                    if t.provenance == "illustrative")
    made = lnm("new", template.key)
    assert made.code == 0, made.err
    spec = json.loads(made.out)
    if suppress is not None:
        spec["suppress"] = suppress
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _findings(lnm: Run, path: Path) -> list[dict[str, Any]]:
    result = lnm("lint", "--format", "json", "--show-info", "--select", "A091,undocumented-key", str(path))
    assert result.code in (0, 1), result.err
    findings: list[dict[str, Any]] = result.json()["files"][0]["findings"]
    return findings


def test_suppression_with_a_reason_silences_the_rule_for_that_spec(lnm: Run, tmp_path: Path) -> None:
    code = default_table()["undocumented-key"].code
    assert {f["code"] for f in _findings(lnm, _spec(lnm, tmp_path, None))} == {code}
    quiet = _spec(lnm, tmp_path, [{"rule": code, "reason": "our account's catalogue has these keys"}])
    assert _findings(lnm, quiet) == []
    by_name = _spec(lnm, tmp_path, [{"rule": "undocumented-key", "reason": "keys checked with LINE on 2024-08-01"}])
    assert _findings(lnm, by_name) == []


@pytest.mark.parametrize(("entry", "pointer", "words"), [
    ({"rule": "undocumented-key"}, "/suppress/0/reason", "needs a written reason"),
    ({"rule": "undocumented-key", "reason": "ok"}, "/suppress/0/reason", "needs a written reason"),
    ({"rule": "G999", "reason": "a long enough reason here"}, "/suppress/0/rule", "unknown rule 'G999'"),
    ({"rule": "A002", "reason": "we really want to send this anyway"}, "/suppress/0/rule", "cannot be suppressed"),
])
def test_bad_suppression_is_an_invalid_spec_finding(lnm: Run, tmp_path: Path, entry: dict[str, str],
                                                    pointer: str, words: str) -> None:
    findings = _findings(lnm, _spec(lnm, tmp_path, [entry]))
    invalid = [f for f in findings if f["code"] == "A091"]
    assert len(invalid) == 1 and invalid[0]["pointer"] == pointer and words in invalid[0]["message"]
    if entry["rule"] == "undocumented-key":  # not suppressed without a reason
        assert any(f["code"] == default_table()["undocumented-key"].code for f in findings)


def test_documented_example_configuration_is_valid(lnm: Run, tmp_path: Path) -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    example = doc.split("```toml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    path = _dirty(tmp_path / "messages")
    result = lnm("lint", "--format", "json", str(path))
    assert result.code == 1, result.err  # the A002 and A016 errors, and no configuration error
    assert {"A002", "A016"} <= {f["code"] for f in result.json()["files"][0]["findings"]}
