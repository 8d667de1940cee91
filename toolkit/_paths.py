"""Where the package's data lives: ``schemas/`` and ``template_library/``."""

from __future__ import annotations

from pathlib import Path

__all__ = ["data_root"]


def data_root() -> Path:
    """Folder holding ``schemas/`` and ``template_library/`` (in a wheel, or the source tree)."""
    here = Path(__file__).resolve().parent
    bundled = here / "_data"
    return bundled if (bundled / "schemas").is_dir() else here.parent
