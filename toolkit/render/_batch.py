"""The browser side of one ``lnm preview`` run (used by :mod:`toolkit.render.preview`).

Chromium works on its own thread (:class:`~toolkit.render.browser.BrowserThread`), started while the
inputs still load when the output folder is fresh; each PNG and its JSON sidecar are written as the
screenshot comes in, and a message's contact sheet is made on another thread once its last image is.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write_bytes
from ..errors import OutputError, RenderError
from ..i18n import N_

__all__ = ["Pending", "Renderer", "cached_sidecar", "input_hash", "png_size", "same_text", "sha256", "write_file"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def png_size(data: bytes) -> tuple[int, int]:
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def write_file(path: Path, data: bytes, root: Path | None = None) -> None:
    """Write atomically (a reader sees the old file or the new one), never out of ``root`` through a
    link; a failure is one clear line."""
    try:
        atomic_write_bytes(path, data, root=root)
    except OSError as exc:
        raise RenderError(N_("cannot write {path}: {reason}", path=str(path), reason=exc.strerror or str(exc))) from None
    except OutputError as exc:
        from .contact_sheet import write_reason

        raise RenderError(N_("cannot write {path}: {reason}", path=str(path), reason=write_reason(exc))) from None


def input_hash(page: str, width: int, theme: str, scale: int, row: Any = None) -> str:
    """What a preview is made from: its page, and a carousel's whole-row page (``row``) if it has one."""
    payload: dict[str, Any] = {"html": page, "width": width, "theme": theme, "scale": scale}
    if row is not None:
        payload["row"] = {"html": row.html, "width": row.width}
    return sha256(json.dumps(payload).encode())


#: What the cache check reads of files already in the output folder, at most.
_MAX_SIDECAR_BYTES = 1024 * 1024
_MAX_IMAGE_BYTES = 64 * 1024 * 1024


def cached_sidecar(png: Path, sidecar: Path, hashed: str, renderer_hash: str,
                   row: Path | None = None) -> dict[str, Any] | None:
    """The sidecar when it records these hashes and the PNGs on disk (``png``, and the carousel's
    ``row`` image if any) are the ones it describes."""
    from .._io import read_regular_file
    from ..errors import LnmError

    try:  # only regular files, bounded: the output folder may hold anything
        data = json.loads(read_regular_file(sidecar, _MAX_SIDECAR_BYTES).decode("utf-8"))
        if data.get("inputHash") != hashed or data.get("rendererHash") != renderer_hash:
            return None
        if sha256(read_regular_file(png, _MAX_IMAGE_BYTES)) != data["image"]["sha256"]:
            return None
        if row is not None and sha256(read_regular_file(row, _MAX_IMAGE_BYTES)) != data["carousel"]["rowImage"]["sha256"]:
            return None
        return data if isinstance(data, dict) else None
    except (LnmError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def same_text(path: Path, text: str) -> bool:
    """True when ``path`` holds exactly ``text`` (so an unchanged file is not written again)."""
    from .._io import read_regular_file
    from ..errors import LnmError

    encoded = text.encode("utf-8")
    try:
        return read_regular_file(path, len(encoded)) == encoded
    except LnmError:
        return False


@dataclass
class Pending:
    """One preview on its way: its chat screenshot and, for a carousel, the whole-row image."""

    message: Any  # toolkit.render.preview.PreviewMessage
    lang: str
    png: Path
    sidecar: Path
    html_path: Path | None
    meta: dict[str, Any]
    row: Path | None = None
    shots: dict[str, bytes] = field(default_factory=dict)
    #: The chat page's full height when it was cut (see ``Job.cut``).
    cut: int | None = None


class Renderer:
    """The browser side of a run: Chromium on its own thread, PNGs and sidecars written as they come,
    contact sheets made on another thread as soon as a message's last image is in."""

    def __init__(self, run: Any, executable: str, rehash: Callable[[str, Mapping[str, str], int], str],
                 root: Path | None = None) -> None:
        from .contact_sheet import SheetWriter

        self.root = root
        self.run = run
        self.executable = executable
        self.rehash = rehash
        self.report: Callable[[int, int], None] | None = None
        self.sheets = SheetWriter("", root)
        self.thread: Any = None
        self.pool: Any = None
        self.total = 0

    def start(self) -> None:
        from .browser import BrowserPool, BrowserThread

        self.pool = BrowserPool(self.executable)
        self.thread = BrowserThread(self.pool, self.on_done)

    def check_fonts(self, needed: set[str]) -> None:
        """Before the first screenshot: stop with one line when the browser has no font for a script
        that ``needed`` names (starts the browser if it is not running yet)."""
        from .fonts import missing_fonts_error

        if self.thread is None:
            self.start()
        error = missing_fonts_error(self.thread.fonts(), needed)
        if error is not None:
            raise error

    def submit(self, jobs: list[Any]) -> None:
        if jobs and self.thread is None:
            self.start()
        self.total += sum(1 for job in jobs if job.key[1] == "chat")  # a preview counts once
        for job in jobs:
            self.thread.submit(job)

    def finish(self) -> None:
        """Wait for every screenshot (raises what stopped the browser)."""
        if self.thread is None:
            return
        thread, self.thread = self.thread, None
        try:
            thread.close()
        finally:
            self._record(thread.pool)

    def close(self) -> None:
        if self.thread is not None:  # an error on the way: stop the browser, keep the first error
            thread, self.thread = self.thread, None
            thread.abort()
            self._record(thread.pool)
        self.sheets.close()

    def _record(self, pool: Any) -> None:
        self.run.launched = pool.launches > 0
        self.run.browser_version = pool.version or self.run.browser_version
        self.run.restarts = pool.restarts
        self.run.blocked_requests = len(pool.blocked)

    def on_done(self, job: Any, png_bytes: bytes) -> None:
        """One screenshot is in (on the browser's thread): write it; once a preview's images are all
        in (a carousel's row image too), its sidecar and maybe the message's contact sheet."""
        from .browser import font_hashes

        pending: Pending
        pending, part = job.key
        write_file(pending.png if part == "chat" else pending.row or pending.png, png_bytes, self.root)
        pending.shots[part] = png_bytes
        if part == "chat":
            pending.cut = job.cut
        if "chat" not in pending.shots or (pending.row is not None and "row" not in pending.shots):
            return
        png_bytes = pending.shots["chat"]
        pool = self.pool
        size = png_size(png_bytes)
        meta = dict(pending.meta)
        if pool is not None and pool.version and pool.version != meta["browser"]["version"]:
            # The remembered --version was stale: record what really rendered.
            meta["browser"] = {"name": "chromium", "version": pool.version}
            meta["rendererHash"] = self.rehash(pool.version, font_hashes(), pool.scale)
        meta["image"] = {"width": size[0], "height": size[1], "sha256": sha256(png_bytes)}
        row_size = (0, 0)
        if pending.row is not None:
            row_bytes = pending.shots["row"]
            row_size = png_size(row_bytes)
            meta["carousel"] = {**meta["carousel"], "rowImage": {"width": row_size[0], "height": row_size[1],
                                                                 "sha256": sha256(row_bytes)}}
        pending.shots.clear()
        if pending.cut is not None:
            from ..limits import PREVIEW_MAX_HEIGHT

            # The page was taller than any real message: the image shows its top, and says so.
            meta["cut"] = {"pageHeight": pending.cut, "shownHeight": PREVIEW_MAX_HEIGHT}
        write_file(pending.sidecar, (json.dumps(meta, ensure_ascii=False, indent=2) + "\n").encode(), self.root)
        for image in pending.message.images:
            if image.lang == pending.lang:
                image.size, image.row_size = size, row_size
        self.sheets.add(pending.message, pending.lang, png_bytes)
        self.run.rendered += 1
        if self.report is not None:
            self.report(self.run.rendered, self.total)
