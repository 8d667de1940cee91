"""Contact sheets: one message's previews in every app language side by side, captioned (Pillow).

A sheet shows the phones at 1x (half the pixels of the 2x previews): enough to compare languages at a
glance, and four times less work to compose and compress than a full-size sheet.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from .._io import atomic_write_bytes
from ..errors import OutputError, RenderError
from ..i18n import N_

__all__ = ["SheetWriter", "caption_for", "read_sheet_key", "sheet_size", "write_contact_sheet", "write_reason"]

LAYOUT_VERSION = "3"
SCALE_DOWN = 2
PAD = 16
GAP = 16
TITLE_H = 34
CAPTION_H = 26
BACKGROUND = (244, 245, 247)
INK = (34, 38, 46)
SUBTLE = (110, 117, 128)
_KEY = "lnm-sheet-key"

_NAMES = {"ja": "Japanese", "th": "Thai", "zh-Hant": "Chinese (Traditional)",
          "zh-Hans": "Chinese (Simplified)", "en": "English"}


def caption_for(lang: str) -> str:
    """``ja · Japanese``; a tag without its own chrome strings says that it shows English."""
    return f"{lang} · {_NAMES.get(lang, 'other language: English label')}"


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from .fingerprint import font_paths

    path = font_paths().get("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def read_sheet_key(path: Path) -> str | None:
    """The inputs key a sheet was made from (stored in the PNG), or None."""
    from .._io import read_regular_file
    from ..errors import LnmError

    try:
        with Image.open(io.BytesIO(read_regular_file(path, 64 * 1024 * 1024))) as image:
            value = image.info.get(_KEY)
            return value if isinstance(value, str) else None
    except (OSError, ValueError, LnmError, Image.DecompressionBombError):
        return None


def sheet_size(image_sizes: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Pixel size of the sheet for previews of these pixel sizes."""
    small = [((w + SCALE_DOWN - 1) // SCALE_DOWN, (h + SCALE_DOWN - 1) // SCALE_DOWN) for w, h in image_sizes]
    width = PAD * 2 + sum(w for w, _ in small) + GAP * max(len(small) - 1, 0)
    height = PAD * 2 + TITLE_H + CAPTION_H + max((h for _, h in small), default=0)
    return max(width, 320), height


def _full_key(key: str, title: str | None) -> str:
    return hashlib.sha256(f"{LAYOUT_VERSION}\0{title or ''}\0{key}".encode()).hexdigest()


def write_contact_sheet(images: Sequence[tuple[str, Path | bytes]], out: Path, *, title: str | None = None,
                        key: str | None = None, root: Path | None = None) -> Path:
    """Write ``out`` unless a sheet made from the same inputs is already there; return ``out``.

    ``images`` are ``(app language, PNG path or PNG bytes)``. ``key`` names what the images were made
    from; without it the images' bytes are the key.
    """
    if key is not None:
        full = _full_key(key, title)
        if out.is_file() and read_sheet_key(out) == full:
            return out
    from .._io import read_regular_file
    from ..limits import IMAGE_MAX_BYTES
    from ._images import load_png

    loaded = [(lang, data if isinstance(data, bytes) else read_regular_file(Path(data), IMAGE_MAX_BYTES))
              for lang, data in images]
    if key is None:
        digest = hashlib.sha256()
        for lang, data in loaded:
            digest.update(lang.encode() + b"\0" + hashlib.sha256(data).digest())
        full = _full_key(digest.hexdigest(), title)
        if out.is_file() and read_sheet_key(out) == full:
            return out
    pictures: list[tuple[str, Image.Image, Image.Image | None]] = []
    for (lang, data), (_, source) in zip(loaded, images, strict=True):
        with load_png(data, name=str(source) if not isinstance(source, bytes) else f"{out} ({lang})") as image:
            # Halve colour and alpha apart: reducing an RGB and an L image is several times faster
            # than reducing RGBA, and the alpha (the phone's rounded corners) becomes the paste mask.
            alpha = image.getchannel("A").reduce(SCALE_DOWN) if image.mode == "RGBA" else None
            pictures.append((lang, image.convert("RGB").reduce(SCALE_DOWN), alpha))
    sheet = Image.new("RGB", sheet_size([(p.width * SCALE_DOWN, p.height * SCALE_DOWN) for _, p, _ in pictures]),
                      BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((PAD, PAD), title, font=_font(18, True), fill=INK)
    x = PAD
    caption_font = _font(13, True)
    for lang, picture, mask in pictures:
        draw.text((x, PAD + TITLE_H), caption_for(lang), font=caption_font, fill=SUBTLE)
        sheet.paste(picture, (x, PAD + TITLE_H + CAPTION_H), mask)
        x += picture.width + GAP
    info = PngInfo()
    info.add_text(_KEY, full)
    buffer = io.BytesIO()
    sheet.save(buffer, "PNG", pnginfo=info, compress_level=3)  # level 3: as small as 6, twice as fast
    atomic_write_bytes(out, buffer.getvalue(), root=root)
    return out


class SheetWriter:
    """Contact sheets made on a worker thread, each as soon as its message's last image is in.

    The work overlaps the screenshots (Chromium does most of its work in its own processes).
    """

    def __init__(self, renderer_hash: str, root: Path | None = None) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self.renderer_hash = renderer_hash
        self.root = root
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lnm-sheet")
        self.futures: list[Future[None]] = []
        self.fresh: dict[int, dict[str, bytes]] = {}

    def add(self, message: Any, lang: str, png: bytes) -> None:
        """One fresh image of ``message`` (a :class:`~toolkit.preview.PreviewMessage`) is written."""
        got = self.fresh.setdefault(id(message), {})
        got[lang] = png
        if len(got) == sum(1 for image in message.images if not image.cached):
            self.submit(message, self.fresh.pop(id(message)))

    def submit(self, message: Any, fresh: Mapping[str, bytes]) -> None:
        """Make ``message``'s sheet from ``fresh`` PNG bytes and, for the other languages, its files."""
        # Keyed by what made each image (not its bytes: a PNG may be re-compressed with the same pixels).
        key = hashlib.sha256(json.dumps([self.renderer_hash, [(i.lang, i.input_hash) for i in message.images]])
                             .encode()).hexdigest()
        images: list[tuple[str, Path | bytes]] = [(i.lang, fresh.get(i.lang, i.png)) for i in message.images]
        message.sheet = message.stem.with_name(message.stem.name + ".sheet.png")
        self.futures.append(self.executor.submit(_write_sheet, images, message.sheet, Path(message.source).name,
                                                 key, self.root))

    def wait(self) -> None:
        for future in self.futures:
            future.result()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)


def _write_sheet(images: list[tuple[str, Path | bytes]], sheet: Path, title: str, key: str,
                 root: Path | None) -> None:
    try:
        write_contact_sheet(images, sheet, title=title, key=key, root=root)
    except OSError as exc:
        raise RenderError(N_("cannot write {path}: {reason}", path=str(sheet), reason=exc.strerror or str(exc))) from None
    except OutputError as exc:
        raise RenderError(N_("cannot write {path}: {reason}", path=str(sheet), reason=write_reason(exc))) from None


def write_reason(exc: OutputError) -> str:
    """Why an output could not be written, without the "cannot write:" its message starts with."""
    message = exc.message
    args = getattr(message, "args", {})
    if getattr(message, "msgid", "") == "cannot write: {reason}" and "reason" in args:
        return str(args["reason"])
    return message.removeprefix("cannot write: ") if message.startswith("cannot write: ") else message
