"""``lnm init --ci github|gitlab``: the CI job that lints the messages where the team's code lives.

GitHub: the composite action shipped with lnm (``action.yml``) copied to ``.github/actions/lnm/``,
and a workflow that runs it on pushes and pull requests (SARIF to code scanning, annotations) and,
when started by hand with ``previews`` ticked, uploads the previews as an artifact. The copy needs
no address of lnm's own repository and is the very file this project tests.

GitLab: a job in ``.gitlab/lnm.gitlab-ci.yml`` whose ``codequality`` report (``lnm lint --format
gitlab``) shows the findings in merge requests, and a ``.gitlab-ci.yml`` that includes it when
the repository has none (else a note says what to add).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from .._paths import DISTRIBUTION, data_root
from ..i18n import _

__all__ = ["CI_SYSTEMS", "github_workflow", "gitlab_job", "write_ci"]

CI_SYSTEMS = ("github", "gitlab")
GITLAB_JOB = ".gitlab/lnm.gitlab-ci.yml"


def _comment(text: str) -> str:
    """``text`` as YAML comment lines."""
    return "\n".join(f"# {line}".rstrip() for line in text.splitlines())


def _pin() -> str:
    return " ".join(_("pin a version ({distribution}==X.Y.Z), or a wheel or git+https URL",
                      distribution=DISTRIBUTION).split())


def github_workflow(messages: str = "messages") -> str:
    """The workflow that runs the copied action (its comments in the UI language)."""
    # Translators: a comment at the top of the GitHub workflow lnm init writes; keep it on two lines.
    about = _comment(_("Written by lnm init --ci github: lint the message specs on every push and pull request (findings\n"
                       "in the Security tab and as annotations); run it by hand with \"previews\" ticked for the screenshots."))
    pin = _pin()
    return f'''\
{about}
name: lnm
on:
  push:
  pull_request:
  workflow_dispatch:
    inputs:
      previews:
        description: Render the previews as an artifact
        type: boolean
        default: false
permissions:
  contents: read
  security-events: write
jobs:
  lnm:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ./.github/actions/lnm
        with:
          paths: {messages}/
          package: {DISTRIBUTION}   # {pin}
          previews: ${{{{ github.event_name == 'workflow_dispatch' && inputs.previews }}}}
'''


def gitlab_job(messages: str = "messages") -> str:
    """The GitLab CI job with its code quality report (its comments in the UI language)."""
    # Translators: a comment at the top of the GitLab CI job lnm init writes; keep it on two lines.
    about = _comment(_("Written by lnm init --ci gitlab: lint the message specs; the findings show in merge requests\n"
                       "(GitLab's code quality report) and in the job log, which fails on errors."))
    pin = _pin()
    return f'''\
{about}
lnm-lint:
  image: python:3.11-slim
  variables:
    LNM_PACKAGE: {DISTRIBUTION}   # {pin}
    LNM_PATHS: {messages}/
  script:
    - python -m pip install --disable-pip-version-check --quiet "$LNM_PACKAGE"
    - lnm lint $LNM_PATHS --format gitlab -o gl-code-quality-report.json || true
    - lnm lint $LNM_PATHS
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
'''


def write_ci(system: str, root: Path, write: Callable[[Path, str], None], notes: list[str]) -> None:
    """Write the files for ``system`` below ``root`` through ``write`` (which keeps what is there)."""
    if system == "github":
        write(root / ".github" / "actions" / "lnm" / "action.yml", (data_root() / "action.yml").read_text(encoding="utf-8"))
        write(root / ".github" / "workflows" / "lnm.yml", github_workflow())
        return
    write(root / GITLAB_JOB, gitlab_job())
    if (root / ".gitlab-ci.yml").exists():
        notes.append(_("{path} exists: add the lnm job to it with", path=".gitlab-ci.yml")
                     + f"\n  include:\n    - local: {GITLAB_JOB}")
        return
    about = _comment(_("Written by lnm init --ci gitlab."))
    write(root / ".gitlab-ci.yml", f"{about}\ninclude:\n  - local: {GITLAB_JOB}\n")
