"""CI where lnm's users run it: the GitHub Action (``action.yml``) played step by step with bash in a
temporary repository, and the GitLab job with its code quality report, both written by
``lnm init --ci``.

The action's ``run`` steps run as GitHub runs them (``bash --noprofile --norc -eo pipefail``, inputs
in environment variables, step outputs through ``$GITHUB_OUTPUT``, ``if:`` conditions evaluated,
a failed step skipping the rest but ``always()``). The steps that need the network (Python set-up,
``pip install``, the browser and fonts) are not run: the installed ``lnm`` of this checkout is on
``PATH`` instead. The ``uses:`` steps (SARIF upload, artifact upload) are checked for what they would
be given.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT, run_lnm

BIN = str(Path(sys.executable).parent)
#: GitLab's code quality severities (its documentation: info, minor, major, critical, blocker).
GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}
_TOKEN = re.compile(r"\s*('[^']*'|&&|\|\||==|!=|!|\(|\)|[A-Za-z_][\w.-]*(?:\(\))?)")


def _evaluate(expression: str, context: dict[str, Any]) -> Any:
    """A GitHub expression of the kinds action.yml uses (references, ==, !=, &&, ||, !, always())."""
    out, position = [], 0
    expression = expression.strip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        assert match, f"cannot read {expression[position:]!r}"
        token, position = match.group(1), match.end()
        if token.startswith("'"):
            out.append(repr(token[1:-1]))
        elif token in ("&&", "||", "!"):
            out.append({"&&": " and ", "||": " or ", "!": " not "}[token])
        elif token in ("==", "!=", "(", ")"):
            out.append(token)
        elif token == "always()":
            out.append("True")
        else:
            value: Any = context
            for part in token.split("."):
                value = value.get(part, "") if isinstance(value, dict) else ""
            out.append(repr(value))
    return eval("".join(out), {"__builtins__": {}})  # noqa: S307 - our own tokens only


def _substitute(text: str, context: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(_evaluate(m.group(1), context)), text)


def run_action(repo: Path, inputs: dict[str, str]) -> dict[str, Any]:
    """Play action.yml's steps in ``repo``; returns outputs, logs, skipped and ``uses`` steps."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert action["runs"]["using"] == "composite"
    given = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    given.update(inputs)
    temp = repo / "_runner_temp"
    temp.mkdir(exist_ok=True)
    context: dict[str, Any] = {"inputs": given, "steps": {}, "runner": {"temp": str(temp), "os": "Linux"}}
    result: dict[str, Any] = {"logs": {}, "uses": [], "skipped": [], "failed": None}
    for number, step in enumerate(action["runs"]["steps"]):
        name = step.get("id") or step.get("name") or f"step{number}"
        condition = step.get("if")
        wanted = _evaluate(condition, context) if condition else True
        if result["failed"] is not None and "always()" not in (condition or ""):
            wanted = False
        if not wanted:
            result["skipped"].append(name)
            continue
        if "uses" in step:
            result["uses"].append((step["uses"], {k: _substitute(str(v), context)
                                                  for k, v in (step.get("with") or {}).items()}))
            continue
        if step.get("id") in ("install", "browser"):  # the network: pip and the browser download
            result["skipped"].append(name)
            continue
        assert step["shell"] == "bash"
        output = temp / f"output-{number}"
        output.write_text("", encoding="utf-8")
        env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "GITHUB_OUTPUT": str(output),
               "RUNNER_TEMP": str(temp), "NO_COLOR": "1",
               **{k: _substitute(str(v), context) for k, v in (step.get("env") or {}).items()}}
        env.pop("LNM_CATALOGUE", None)
        script = temp / f"step-{number}.sh"
        script.write_text(step["run"], encoding="utf-8")
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=600)
        result["logs"][name] = (proc.returncode, proc.stdout, proc.stderr)
        outputs = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        if step.get("id"):
            context["steps"][step["id"]] = {"outputs": outputs}
        if proc.returncode != 0:
            result["failed"] = (name, proc.returncode)
    result["outputs"] = {k: _substitute(v["value"], context) for k, v in action["outputs"].items()}
    return result


def _repo(tmp_path: Path, *args: str) -> Path:
    repo = tmp_path / "repo"
    made = run_lnm("init", str(repo), *args)
    assert made.code == 0, made.err
    return repo


def test_init_ci_github_writes_the_action_and_a_workflow_that_uses_it(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "--ci", "github")
    copy = repo / ".github" / "actions" / "lnm" / "action.yml"
    assert copy.read_bytes() == (ROOT / "action.yml").read_bytes()
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "lnm.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["lnm"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@") and steps[1]["uses"] == "./.github/actions/lnm"
    assert workflow["permissions"]["security-events"] == "write"
    from toolkit._paths import DISTRIBUTION

    assert steps[1]["with"]["package"] == DISTRIBUTION and steps[1]["with"]["paths"] == "messages/"
    action = yaml.safe_load(copy.read_text(encoding="utf-8"))
    install = next(s for s in action["runs"]["steps"] if s.get("id") == "install")
    assert action["inputs"]["package"]["default"] == DISTRIBUTION and '"$LNM_PACKAGE"' in install["run"]


def test_the_action_lints_uploads_sarif_renders_previews_and_fails_on_findings(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    spec = json.loads((repo / "messages" / "shipment_completed_ja.json").read_text(encoding="utf-8"))
    spec["body"]["items"][0]["content"] = "本日限りのセール開催中"  # promotional wording: a warning
    (repo / "messages" / "sale.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    result = run_action(repo, {"fail-on": "warning", "previews": "true"})
    code, out, err = result["logs"]["lint"]
    assert code == 0, err
    assert "::warning file=messages/sale.json" in out and "G010" in out
    sarif = json.loads(Path(result["outputs"]["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"G010"}
    assert result["outputs"]["exit-code"] == "1"
    uses = dict(result["uses"])
    assert uses["github/codeql-action/upload-sarif@v3"]["sarif_file"] == result["outputs"]["sarif-file"]
    assert result["logs"]["previews"][0] == 0, result["logs"]["previews"][2]
    folder = Path(uses["actions/upload-artifact@v4"]["path"])
    assert uses["actions/upload-artifact@v4"]["name"] == "lnm-previews"
    assert len(list(folder.rglob("*.png"))) >= 4 and list(folder.rglob("*.html"))
    assert result["skipped"] == ["install", "browser"] and result["failed"] == ("Fail on findings", 1)


def test_the_action_on_clean_messages_passes_without_previews(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    result = run_action(repo, {"upload-sarif": "false"})
    assert result["logs"]["lint"][0] == 0 and result["outputs"]["exit-code"] == "0"
    assert "::" not in result["logs"]["lint"][1]  # no annotation on a clean run
    assert [uses for uses, _ in result["uses"]] == ["actions/setup-python@v5"]  # no upload asked for
    assert "previews" in result["skipped"] and result["failed"] is None


def test_init_ci_gitlab_job_writes_gitlabs_code_quality_report(tmp_path: Path) -> None:
    repo = _repo(tmp_path, "--ci", "gitlab")
    assert yaml.safe_load((repo / ".gitlab-ci.yml").read_text(encoding="utf-8")) == {
        "include": [{"local": ".gitlab/lnm.gitlab-ci.yml"}]}
    job = yaml.safe_load((repo / ".gitlab" / "lnm.gitlab-ci.yml").read_text(encoding="utf-8"))["lnm-lint"]
    assert job["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert job["artifacts"]["when"] == "always"
    spec = json.loads((repo / "messages" / "shipment_completed_ja.json").read_text(encoding="utf-8"))
    spec["body"]["items"][0]["content"] = "本日限りのセール開催中"  # a warning
    spec["body"]["buttons"][0]["url"] = "http://kumoya-shop.jp/o/{{ order.number }}"  # a warning
    spec["templateKey"] = "shipment_completed_jp"  # an error: no such template
    (repo / "messages" / "bad.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    (repo / "messages" / "broken.json").write_text("{oops", encoding="utf-8")
    install, *script = job["script"]
    assert install.startswith("python -m pip install") and '"$LNM_PACKAGE"' in install
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"], "NO_COLOR": "1",
           **{k: str(v) for k, v in job["variables"].items()}}
    env.pop("LNM_CATALOGUE", None)
    codes = [subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", line], cwd=repo, env=env,
                            capture_output=True, text=True, timeout=300).returncode for line in script]
    assert codes == [0, 2]  # the report is always written; the job fails (2: a file does not parse)
    report = json.loads((repo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    lint = run_lnm("lint", "messages/", "--format", "json", cwd=repo).json()
    expected = sorted((f["code"], f["line"]) for entry in lint["files"] for f in entry["findings"])
    assert isinstance(report, list) and len(report) == len(expected) + 1  # and the unreadable file
    for issue in report:
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert isinstance(issue["description"], str) and issue["description"]
        assert isinstance(issue["check_name"], str) and issue["severity"] in GITLAB_SEVERITIES
        assert set(issue["location"]) == {"path", "lines"} and set(issue["location"]["lines"]) == {"begin"}
        assert (repo / issue["location"]["path"]).is_file() and not Path(issue["location"]["path"]).is_absolute()
        assert isinstance(issue["location"]["lines"]["begin"], int) and issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in report}) == len(report)
    got = sorted((i["check_name"].split()[0], i["location"]["lines"]["begin"]) for i in report)
    assert [k for k in got if k[0] != "lnm/unreadable"] == expected
    severities = {i["check_name"].split()[0]: i["severity"] for i in report}
    assert severities["A010"] == "critical" and severities["G010"] == "minor"
    assert severities["lnm/unreadable"] == "blocker"


def test_gitlab_fingerprints_survive_moved_lines_and_info_notes_map_to_info(tmp_path: Path) -> None:
    spec = json.loads((ROOT / "template_library/examples/JP/shipment_completed_ja.json").read_text(encoding="utf-8"))
    del spec["$schema"]  # it points into lnm's checkout (G070)
    (tmp_path / "m.json").write_text(json.dumps(spec, ensure_ascii=False, indent=2), encoding="utf-8")
    first = run_lnm("lint", "m.json", "--format", "gitlab", "--show-info", cwd=tmp_path)
    assert first.code == 0 and first.err == ""
    issues = first.json()
    assert issues and {i["severity"] for i in issues} == {"info"}
    (tmp_path / "m.json").write_text("\n\n" + (tmp_path / "m.json").read_text(encoding="utf-8"), encoding="utf-8")
    moved = run_lnm("lint", "m.json", "--format", "gitlab", "--show-info", cwd=tmp_path).json()
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 2 for i in issues]
    clean = run_lnm("lint", "m.json", "--format", "gitlab", cwd=tmp_path)
    assert (clean.code, clean.out) == (0, "[]\n")


def test_init_ci_gitlab_keeps_an_existing_pipeline(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".gitlab-ci.yml").write_text("test:\n  script: [make test]\n", encoding="utf-8")
    made = run_lnm("init", str(repo), "--ci", "gitlab")
    assert made.code == 0
    assert (repo / ".gitlab-ci.yml").read_text(encoding="utf-8") == "test:\n  script: [make test]\n"
    assert "- local: .gitlab/lnm.gitlab-ci.yml" in made.out and (repo / ".gitlab" / "lnm.gitlab-ci.yml").is_file()
    assert run_lnm("init", str(repo), "--ci", "jenkins").code == 2
