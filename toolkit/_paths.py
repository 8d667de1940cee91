"""Where the package's data lives (``schemas/`` and ``template_library/``), and its own name."""

from __future__ import annotations

from pathlib import Path

__all__ = ["DISTRIBUTION", "data_root", "lnm_version"]

#: The name lnm is installed under (``pip install lnm-toolkit``); the command stays ``lnm``.
DISTRIBUTION = "lnm-toolkit"


def data_root() -> Path:
    """Folder holding ``schemas/`` and ``template_library/`` (in a wheel, or the source tree)."""
    here = Path(__file__).resolve().parent
    bundled = here / "_data"
    return bundled if (bundled / "schemas").is_dir() else here.parent


def lnm_version(default: str = "unknown") -> str:
    """The installed version of lnm (``default`` when run from a checkout that is not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return default
