"""`lnm init`: configuration, the schema copy, an example message and the CI snippets, through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import jsonschema
from referencing import Registry, Resource

from .conftest import ROOT, run_lnm


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_init_sets_up_an_empty_folder_and_writes_nothing_elsewhere(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("x", encoding="utf-8")
    repo = tmp_path / "repo"
    result = run_lnm("init", str(repo))
    assert result.code == 0, result.err
    written = _files(repo)
    schemas = sorted(p.relative_to(ROOT / "schemas").as_posix() for p in (ROOT / "schemas").rglob("*.schema.json"))
    assert sorted(written) == sorted(["lnm.toml", "messages/shipment_completed_ja.json",
                                      *(f".lnm/schemas/{s}" for s in schemas)])
    assert sorted(_files(tmp_path)) == ["outside.txt", *(f"repo/{p}" for p in sorted(written))]
    config = tomllib.loads(written["lnm.toml"].decode("utf-8"))
    assert config == {}  # every setting commented out, at its default
    assert "# fail-on = " in written["lnm.toml"].decode("utf-8")
    # The snippets: a pre-commit hook, and a workflow that uploads SARIF to code scanning.
    assert "repo: local" in result.out and "entry: lnm lint --skip-other-json" in result.out
    assert "lnm lint messages/ --format sarif -o lnm.sarif" in result.out
    assert "github/codeql-action/upload-sarif" in result.out and "security-events: write" in result.out
    assert "LNM_PACKAGE: lnm-toolkit" in result.out  # our distribution, not the unrelated `lnm`
    lint = run_lnm("lint", "messages/", cwd=repo)
    assert (lint.code, lint.out, lint.err) == (0, "", "")


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    assert run_lnm("init", str(tmp_path)).code == 0
    (tmp_path / "lnm.toml").write_text('fail-on = "warning"\n', encoding="utf-8")
    example = tmp_path / "messages" / "shipment_completed_ja.json"
    example.write_text("{}", encoding="utf-8")
    again = run_lnm("init", str(tmp_path))
    assert again.code == 0 and "kept" in again.out and "lnm.toml" in again.out
    assert (tmp_path / "lnm.toml").read_text(encoding="utf-8") == 'fail-on = "warning"\n'
    assert example.read_text(encoding="utf-8") == "{}"
    forced = run_lnm("init", "--force", str(tmp_path))
    assert forced.code == 0 and "wrote lnm.toml" in forced.out
    assert json.loads(example.read_text(encoding="utf-8"))["templateKey"] == "shipment_completed_ja"


def test_init_appends_a_commented_table_to_an_existing_pyproject(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "shop"\n', encoding="utf-8")
    assert run_lnm("init", "--country", "TH", str(tmp_path)).code == 0
    text = pyproject.read_text(encoding="utf-8")
    assert text.startswith('[project]\nname = "shop"\n') and not (tmp_path / "lnm.toml").exists()
    assert tomllib.loads(text) == {"project": {"name": "shop"}, "tool": {"lnm": {}}}
    assert (tmp_path / "messages" / "shipment_completed_th.json").is_file()
    assert run_lnm("init", str(tmp_path)).code == 0
    assert pyproject.read_text(encoding="utf-8") == text  # a [tool.lnm] table is never touched again
    lint = run_lnm("lint", "messages", cwd=tmp_path)
    assert (lint.code, lint.out) == (0, "")


def test_update_schemas_refreshes_only_the_copy(tmp_path: Path) -> None:
    assert run_lnm("init", str(tmp_path)).code == 0
    copy = tmp_path / ".lnm" / "schemas" / "values" / "ja.schema.json"
    copy.write_text("{}", encoding="utf-8")
    (tmp_path / "lnm.toml").write_text("# mine\n", encoding="utf-8")
    result = run_lnm("init", "--update-schemas", str(tmp_path))
    assert result.code == 0 and "upload-sarif" not in result.out
    assert copy.read_bytes() == (ROOT / "schemas" / "values" / "ja.schema.json").read_bytes()
    assert (tmp_path / "lnm.toml").read_text(encoding="utf-8") == "# mine\n"


def test_init_files_follow_the_umask(tmp_path: Path) -> None:
    code = f"import os, sys; os.umask(0o027); sys.argv = ['lnm', 'init', {str(tmp_path)!r}]\n" \
           "from toolkit.cli import main\nmain()\n"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True, timeout=120)
    for path in (tmp_path / "lnm.toml", tmp_path / ".lnm" / "schemas" / "message-spec.schema.json"):
        assert path.stat().st_mode & 0o777 == 0o640, path


def test_the_schema_copy_resolves_its_references_by_relative_file_urls(tmp_path: Path) -> None:
    """What an editor does: load a schema by its file URL and follow its relative $refs."""
    assert run_lnm("init", str(tmp_path)).code == 0
    copy = tmp_path / ".lnm" / "schemas"

    def retrieve(uri: str) -> Resource[Any]:
        assert uri.startswith(copy.as_uri() + "/"), uri  # every reference stays inside the copy
        return Resource.from_contents(json.loads(Path(uri[len("file://"):]).read_text(encoding="utf-8")))

    def validator(name: str) -> jsonschema.protocols.Validator:
        registry: Registry[Any] = Registry(retrieve=retrieve)  # type: ignore[call-arg]
        return jsonschema.Draft202012Validator({"$ref": (copy / name).as_uri()}, registry=registry)

    spec_path = tmp_path / "messages" / "shipment_completed_ja.json"
    spec = json.loads(spec_path.read_text(encoding="utf-8"))
    assert (spec_path.parent / spec["$schema"]).resolve() == copy / "message-spec.schema.json"
    assert list(validator("message-spec.schema.json").iter_errors(spec)) == []
    items = json.loads((ROOT / "template_library" / "catalogue" / "JP" / "items.json").read_text(encoding="utf-8"))
    assert list(validator("catalogue-items.schema.json").iter_errors(items)) == []
    items["items"][0]["country"] = "XX"  # checked through a $ref into catalogue-common.schema.json
    assert list(validator("catalogue-items.schema.json").iter_errors(items))
