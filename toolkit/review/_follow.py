"""``lnm serve`` following its folders: saves, and the folder itself being replaced.

A watcher holds on to the folder it was started on, not to its name. A branch switch, a ``git
stash`` or ``mv messages old && mkdir messages`` leaves it watching a folder that is gone or moved
away, and the page would stop following edits without a word. So the served paths are checked about
once a second: when one of them now names another folder (or a link now points elsewhere), the
paths are resolved again and watched again, and every page reloads; while one is missing, the pages
say so (``lost`` in the event and the file list) until it is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from typing import Any

__all__ = ["follow", "identity"]

#: How often (milliseconds) the watcher wakes without changes to check that the folders are still the ones
#: it watches.
CHECK_MS = 1000

Identity = tuple[tuple[str, int, int] | None, ...]


def identity(paths: list[str]) -> Identity:
    """For each served path: its real path and the device and inode of the folder watched for it
    (the path itself, or a named file's folder), or None when it is missing."""
    out: list[tuple[str, int, int] | None] = []
    for path in paths:
        real = os.path.realpath(path)
        folder = real if os.path.isdir(real) else os.path.dirname(real)
        try:
            if not os.path.exists(real):
                raise FileNotFoundError(real)
            info = os.stat(folder)
        except OSError:
            out.append(None)
            continue
        out.append((real, info.st_dev, info.st_ino))
    return tuple(out)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)


def _changed_keys(files: dict[str, str], changes: set[tuple[Any, str]]) -> set[str]:
    by_real: dict[str, list[str]] = {}
    for key, real in files.items():
        by_real.setdefault(real, []).append(key)
        by_real.setdefault(os.path.abspath(key), []).append(key)
    return {key for _, path in changes for key in by_real.get(os.path.realpath(path), [])
            + by_real.get(os.path.abspath(path), [])}


async def follow(state: Any, stop: asyncio.Event) -> None:
    """Tell every open page which listed files changed, a few tens of milliseconds after a save; watch
    again when a served folder is replaced, and say so while one is missing.

    ``state`` is the server's state: ``index`` (a :class:`~toolkit.review.specs.SpecIndex`),
    ``lost`` (the served paths now missing) and ``publish(changed)``.
    """
    from watchfiles import awatch

    index = state.index
    while not stop.is_set():
        index.refresh()
        seen = identity(index.paths)
        lost = [path for path, ident in zip(index.paths, seen, strict=True) if ident is None]
        if lost != state.lost:
            state.lost = lost
            state.publish(sorted(await asyncio.to_thread(index.files)))
        dirs = [folder for folder in index.watch_dirs() if os.path.isdir(folder)]
        if not dirs:
            await _pause(stop, CHECK_MS / 1000)
            continue
        try:
            async for changes in awatch(*dirs, stop_event=stop, debounce=400, step=40, recursive=True,
                                        rust_timeout=CHECK_MS, yield_on_timeout=True):
                if await asyncio.to_thread(identity, index.paths) != seen:
                    # Replaced, moved away or gone: every file may differ; watch what the paths name now.
                    state.publish(sorted(await asyncio.to_thread(index.files)))
                    break
                if not changes:
                    continue
                files = await asyncio.to_thread(index.files)
                changed = _changed_keys(files, changes)
                if changed or any(path.endswith(".json") for _, path in changes):
                    state.publish(sorted(changed))
        except (OSError, RuntimeError):  # the folder went away under the watcher: look again
            await _pause(stop, CHECK_MS / 1000)
