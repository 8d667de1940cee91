"""Shared helpers: run the real ``lnm`` entry point in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "template_library" / "examples"
SPEC_BODY = {
    "to": "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c",
    "templateKey": "shipment_completed_ja",
    "body": {
        "emphasizedItem": {"itemKey": "date_002_ja", "content": "2024年8月10日(土)"},
        "items": [
            {"itemKey": "time_range_001_ja", "content": "午前中"},
            {"itemKey": "number_001_ja", "content": "1234567"},
            {"itemKey": "price_001_ja", "content": "12,000円"},
            {"itemKey": "name_010_ja", "content": "スープセット（冷凍）"},
        ],
        "buttons": [
            {"buttonKey": "check_delivery_status_ja", "url": "https://example.com/CheckDeliveryStatus/"},
            {"buttonKey": "contact_ja", "url": "https://example.com/ContactUs/"},
        ],
    },
}


class Result:
    def __init__(self, proc: subprocess.CompletedProcess[str]) -> None:
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):  # type: ignore[no-untyped-def]
        return json.loads(self.out)


def run_lnm(*args: str, cwd: Path | None = None, stdin: str | None = None,
            env: dict[str, str] | None = None) -> Result:
    """Run ``python -m toolkit`` (the real CLI) and capture its output."""
    full_env = {**os.environ, "NO_COLOR": "1", **(env or {})}
    full_env.pop("LNM_CATALOGUE", None) if env is None or "LNM_CATALOGUE" not in env else None
    proc = subprocess.run([sys.executable, "-m", "toolkit", *args], cwd=cwd or ROOT, input=stdin,
                          capture_output=True, text=True, env=full_env, timeout=300)
    return Result(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Real headless Chromium, one per test module (``preview_support.launch_chromium``)."""
    from .preview_support import launch_chromium

    with launch_chromium() as chromium:
        yield chromium


@pytest.fixture
def lnm():  # type: ignore[no-untyped-def]
    return run_lnm


def write_json(path: Path, data: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
