"""The package's one public surface."""

from __future__ import annotations

import subprocess
import sys

import toolkit


def test_all_is_sorted_and_importable() -> None:
    assert toolkit.__all__ == sorted(toolkit.__all__)
    assert len(set(toolkit.__all__)) == len(toolkit.__all__)
    for name in toolkit.__all__:
        assert getattr(toolkit, name) is not None


def test_lint_path_imports_no_browser_or_imaging_library() -> None:
    code = ("import sys, toolkit.cli\n"
            "from toolkit import lint_paths, load_catalogue, default_table, LintSettings\n"
            "lint_paths(['template_library/examples'], default_table(), load_catalogue(), LintSettings())\n"
            "bad = [m for m in ('playwright', 'PIL', 'jsonschema') if m in sys.modules]\n"
            "print(','.join(bad))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
