"""lnm's cache folder and the small file in it where runs remember what is slow to find out again
(browser versions, font hashes, where Playwright keeps its browser)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .._io import atomic_write_text
from ..errors import LnmError

__all__ = ["cache_dir", "load_memo", "save_memo"]


def cache_dir() -> Path:
    """lnm's cache folder: ``LNM_CACHE_DIR``, else ``$XDG_CACHE_HOME/lnm`` or ``~/.cache/lnm``."""
    base = os.environ.get("LNM_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "lnm")
    return Path(base)


def _cache_file() -> Path:
    return cache_dir() / "renderer.json"


def load_memo() -> dict[str, Any]:
    """What earlier runs remembered (browser versions, font hashes, Playwright's answer)."""
    from .._io import read_regular_file

    try:  # only a regular file, bounded: the cache folder may hold anything
        data = json.loads(read_regular_file(_cache_file(), 1024 * 1024).decode("utf-8"))
        return data if isinstance(data, dict) else {}
    except (LnmError, ValueError, RecursionError):
        return {}


def save_memo(memo: dict[str, Any]) -> None:
    try:
        atomic_write_text(_cache_file(), json.dumps(memo, indent=1, sort_keys=True), root=_cache_file().parent)
    except (OSError, LnmError):
        pass  # a read-only home only costs the next run a few milliseconds
