"""The README's tour, played as written: every ``lnm`` command of its shell blocks, in order.

The commands are read from README.md (section "A tour"), so the test fails as soon as the README
and the tool disagree. They run through the real CLI in an empty temporary repository. A command
must exit 0, except one whose comment announces "exit 1" (a check that is meant to fail on its
first run), which may exit 0 or 1; none may exit 2 or more.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from .conftest import ROOT, run_lnm


def tour_commands() -> list[tuple[list[str], str]]:
    """``(argv, comment)`` for each command of the README's tour, in order."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## A tour\n(.*?)(?=^## )", text, re.MULTILINE | re.DOTALL)
    assert section, "README.md has no '## A tour' section"
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", section.group(1), re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            argv = shlex.split(line, comments=True)
            comment = line.split("#", 1)[1].strip() if "#" in line else ""
            commands.append((argv, comment))
    return commands


def test_the_tour_is_all_lnm_commands_starting_with_init() -> None:
    commands = tour_commands()
    assert len(commands) >= 10
    assert all(argv[0] == "lnm" for argv, _ in commands), [argv for argv, _ in commands if argv[0] != "lnm"]
    assert commands[0][0] == ["lnm", "init"]


def test_the_readme_tour_runs_end_to_end(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    outputs: dict[str, str] = {}
    for argv, comment in tour_commands():
        result = run_lnm(*argv[1:], cwd=repo)
        allowed = (0, 1) if re.search(r"\bexit 1\b", comment) else (0,)
        assert result.code in allowed, f"{shlex.join(argv)} exited {result.code}:\n{result.err[-2000:]}"
        outputs.setdefault(shlex.join(argv[:2]), result.out)
        if argv[:2] == ["lnm", "lint"] and not any(a.startswith(("--format", "--write-baseline")) for a in argv):
            assert result.out == "", f"{shlex.join(argv)} is not quiet on clean messages:\n{result.out}"
    spec = json.loads((repo / "messages" / "shipped.json").read_text(encoding="utf-8"))
    assert spec["$schema"] == "../.lnm/schemas/message-spec.schema.json"
    assert (repo / ".lnm" / "schemas" / "message-spec.schema.json").is_file()
    assert {"default", "longest"} <= set(spec["samples"])
    built = json.loads(outputs["lnm build"])
    assert built["templateKey"] == "shipment_completed_ja" and "{{" not in json.dumps(built)


def test_every_message_file_the_readme_names_is_made_by_the_tour() -> None:
    """A README command names only spec files that an earlier tour command writes."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = "\n".join(re.findall(r"^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL))
    named = set(re.findall(r"\bmessages/[\w.-]+\.json\b", blocks))
    made = {argv[argv.index("-o") + 1] for argv, _ in tour_commands() if argv[1] == "new" and "-o" in argv}
    assert named and named <= made, sorted(named - made)
