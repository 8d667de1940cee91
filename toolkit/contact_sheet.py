"""Contact sheets: one message's previews in every app language side by side, captioned (Pillow)."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from ._io import atomic_write_bytes

__all__ = ["caption_for", "read_sheet_key", "write_contact_sheet"]

LAYOUT_VERSION = "1"
PAD = 32
GAP = 32
TITLE_H = 64
CAPTION_H = 56
BACKGROUND = (244, 245, 247, 255)
INK = (34, 38, 46, 255)
SUBTLE = (110, 117, 128, 255)
_KEY = "lnm-sheet-key"

_NAMES = {"ja": "Japanese", "th": "Thai", "zh-Hant": "Chinese (Traditional)",
          "zh-Hans": "Chinese (Simplified)", "en": "English"}


def caption_for(lang: str) -> str:
    """``ja · Japanese``; a tag without its own chrome strings says that it shows English."""
    return f"{lang} · {_NAMES.get(lang, 'other language: English label')}"


def _font(size: int, bold: bool) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    from ._browser import _font_paths

    path = _font_paths().get("NotoSans-Bold.ttf" if bold else "NotoSans-Regular.ttf")
    if path is not None:
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def read_sheet_key(path: Path) -> str | None:
    """The inputs key a sheet was made from (stored in the PNG), or None."""
    try:
        with Image.open(path) as image:
            value = image.info.get(_KEY)
            return value if isinstance(value, str) else None
    except (OSError, ValueError):
        return None


def _key(images: Sequence[tuple[str, bytes]], title: str | None) -> str:
    digest = hashlib.sha256(f"{LAYOUT_VERSION}\0{title or ''}\0".encode())
    for lang, data in images:
        digest.update(lang.encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest()


def write_contact_sheet(images: Sequence[tuple[str, Path]], out: Path, *, title: str | None = None,
                        key: str | None = None) -> Path:
    """Write ``out`` unless a sheet made from the same inputs is already there; return ``out``.

    ``key`` names what the images were made from; without it the images' bytes are the key.
    """
    if key is not None:
        key = hashlib.sha256(f"{LAYOUT_VERSION}\0{title or ''}\0{key}".encode()).hexdigest()
        if out.is_file() and read_sheet_key(out) == key:
            return out
    loaded = [(lang, Path(path).read_bytes()) for lang, path in images]
    key = key or _key(loaded, title)
    if out.is_file() and read_sheet_key(out) == key:
        return out
    pictures = [(lang, Image.open(io.BytesIO(data)).convert("RGBA")) for lang, data in loaded]
    width = PAD * 2 + sum(p.width for _, p in pictures) + GAP * max(len(pictures) - 1, 0)
    height = PAD * 2 + TITLE_H + CAPTION_H + max((p.height for _, p in pictures), default=0)
    sheet = Image.new("RGBA", (max(width, 320), height), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    if title:
        draw.text((PAD, PAD), title, font=_font(30, True), fill=INK)
    x = PAD
    caption_font = _font(24, True)
    for lang, picture in pictures:
        draw.text((x, PAD + TITLE_H), caption_for(lang), font=caption_font, fill=SUBTLE)
        sheet.alpha_composite(picture, (x, PAD + TITLE_H + CAPTION_H))
        x += picture.width + GAP
    info = PngInfo()
    info.add_text(_KEY, key)
    buffer = io.BytesIO()
    sheet.convert("RGB").save(buffer, "PNG", pnginfo=info)
    atomic_write_bytes(out, buffer.getvalue())
    return out
