"""The wheel, installed as a user installs it: built from this checkout, installed with pip into a fresh
virtual environment outside the checkout, and every command run from an unrelated folder as the
README's lines say (doctor, init, new, lint, build, preview, serve, review, pack, demo).

Slow (a wheel build, a venv with Playwright, a demo of every example): it runs when LNM_TEST_INSTALL=1
(`make test-install`, and `make test`, which sets it).
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

pytestmark = pytest.mark.skipif(os.environ.get("LNM_TEST_INSTALL", "") in ("", "0"),
                                reason="installs the wheel into a new venv: LNM_TEST_INSTALL=1 (make test-install)")


class Venv:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.bin = root / ("Scripts" if os.name == "nt" else "bin")
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("VIRTUAL_ENV", "PYTHONPATH", "LNM_CATALOGUE", "LNM_CHROMIUM", "LNM_CACHE_DIR")}
        self.env.update(PATH=f"{self.bin}{os.pathsep}{os.environ.get('PATH', '')}", NO_COLOR="1",
                        VIRTUAL_ENV=str(root))

    def run(self, line: str, cwd: Path, *, code: int = 0) -> subprocess.CompletedProcess[str]:
        """Run one README line (a shell-free split: the lines quote nothing) and check its exit code."""
        assert line in README, f"the README no longer says {line!r}"
        proc = subprocess.run(line.split(), cwd=cwd, env=self.env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == code, f"{line}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """The wheel built from this checkout, installed into a new venv (its dependencies from pip's
    configured indexes and cache)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
                   check=True, capture_output=True, text=True, timeout=600)
    (wheel,) = dist.glob("lnm_toolkit-*.whl")
    root = tmp_path_factory.mktemp("venv") / "env"
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True, timeout=300)
    env = Venv(root)
    subprocess.run([str(env.bin / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True, text=True, timeout=900, env=env.env)
    return env


@pytest.fixture(scope="module")
def repo(venv: Venv, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A user's repository, set up with `lnm init` and the tour's two starters."""
    folder = tmp_path_factory.mktemp("user") / "shop"
    folder.mkdir()
    init = venv.run("lnm init", folder)
    assert "wrote lnm.toml" in init.stdout and "LNM_PACKAGE: lnm-toolkit" in init.stdout
    venv.run("lnm new shipment_completed_ja -o messages/shipped.json", folder)
    venv.run("lnm new flex_receipt_ja -o messages/receipt.json", folder)
    return folder


def test_the_installed_lnm_is_the_wheel_not_the_checkout(venv: Venv, tmp_path: Path) -> None:
    proc = subprocess.run(["lnm", "doctor", "--format", "json"], cwd=tmp_path, env=venv.env, capture_output=True,
                          text=True, timeout=300)
    report = json.loads(proc.stdout)
    assert Path(report["lnm"]["package"]).is_relative_to(venv.root), report["lnm"]
    assert Path(report["lnm"]["data"]).is_relative_to(venv.root) and Path(report["lnm"]["data"], "schemas").is_dir()
    assert report["lnm"]["distribution"] == "lnm-toolkit" and report["lnm"]["version"] != "unknown"
    assert proc.returncode == 0 and report["ok"], report["problems"]
    doctor = venv.run("lnm doctor", tmp_path)
    assert doctor.stdout.endswith("previews can run.\n")


def test_the_tour_from_an_unrelated_folder(venv: Venv, repo: Path) -> None:
    lint = venv.run("lnm lint messages/", repo)
    assert (lint.stdout, lint.stderr) == ("", "")
    body = json.loads(venv.run("lnm build messages/shipped.json --sample longest", repo).stdout)
    assert body["templateKey"] == "shipment_completed_ja"
    venv.run("lnm preview messages/shipped.json --html", repo)
    pngs = sorted(p.name for p in (repo / "out" / "previews").glob("shipped.*.png"))
    assert pngs == ["shipped.en.png", "shipped.ja.png", "shipped.sheet.png", "shipped.th.png", "shipped.zh-Hant.png"]
    venv.run("lnm preview messages/ --check approved/ --update", repo)
    venv.run("lnm review messages/ --out review/ --baseline approved/", repo)
    assert "receipt.json" in (repo / "review" / "index.html").read_text(encoding="utf-8")
    pack = venv.run("lnm pack messages/receipt.json --out receipt-review.zip", repo)
    assert "TODO" in pack.stderr or "to-do" in pack.stderr  # the starter's review fields, reported
    with zipfile.ZipFile(repo / "receipt-review.zip") as archive:
        assert any(name.endswith("summary.pdf") for name in archive.namelist())


def test_serve_answers(venv: Venv, repo: Path) -> None:
    line = "lnm serve messages/"
    assert line in README
    proc = subprocess.Popen([*line.split(), "--port", "0"], cwd=repo, env=venv.env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    stderr = proc.stderr
    threading.Thread(target=lambda: [lines.put(text) for text in stderr], daemon=True).start()
    try:
        first = lines.get(timeout=60)
        assert " at http://127.0.0.1:" in first, first
        url = first.split(" at ")[1].split()[0]
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and b"<html" in response.read().lower()
        with urllib.request.urlopen(url + "api/specs", timeout=30) as response:
            assert "shipped.json" in response.read().decode("utf-8")
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=30)
        stderr.close()
    assert code == 0


def test_demo_mentions_only_lnm_commands(venv: Venv, tmp_path: Path) -> None:
    demo = venv.run("lnm demo", tmp_path)
    steps = demo.stdout.split("Next, in your own repository:\n")[1].splitlines()
    assert [step.split()[:2] for step in steps] == [["lnm", "init"], ["lnm", "lint"], ["lnm", "serve"]]
    readme = (tmp_path / "out" / "previews" / "README.md").read_text(encoding="utf-8")
    assert "lnm demo" in readme and "make " not in readme and "tests/" not in readme
    index = (tmp_path / "out" / "previews" / "index.html").read_text(encoding="utf-8")
    assert "make previews" not in index
    assert shutil.which("lnm", path=str(venv.bin)) is not None
