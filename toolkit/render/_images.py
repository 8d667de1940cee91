"""PNGs read back from disk (baselines, earlier previews), checked before they are decoded.

A PNG's header states its size, and decoding allocates all of it: a 20 KB file can claim 13000x13000
pixels and take gigabytes. So the size is read from the header first and an image over
:data:`~toolkit.limits.IMAGE_MAX_PIXELS` is refused with one line naming the file, as is a file that
is not a PNG at all.
"""

from __future__ import annotations

import io
import os
import warnings
from pathlib import Path

from PIL import Image

from ..errors import InputError
from ..i18n import N_
from ..limits import IMAGE_MAX_BYTES, IMAGE_MAX_PIXELS

__all__ = ["load_png"]


_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _check_size(width: int, height: int, shown: str) -> None:
    if width * height > IMAGE_MAX_PIXELS:
        raise InputError(N_("image of {width}x{height} pixels is larger than the limit of {limit:,} pixels; not read",
                            width=width, height=height, limit=IMAGE_MAX_PIXELS), path=shown)


def load_png(source: str | os.PathLike[str] | bytes, *, name: str | None = None) -> Image.Image:
    """The decoded PNG at ``source`` (a path, or the bytes of a file called ``name``).

    Only a regular file of at most :data:`IMAGE_MAX_BYTES` is read, only the PNG decoder is tried,
    and its pixel count is checked against :data:`IMAGE_MAX_PIXELS` before a pixel is decoded.
    Anything else raises :class:`InputError`.
    """
    from .._io import read_regular_file

    if isinstance(source, bytes):
        data, shown = source, name or "<image>"
    else:
        shown = name or os.fspath(source)
        data = read_regular_file(Path(source), IMAGE_MAX_BYTES)
    if data[:8] == _SIGNATURE and data[12:16] == b"IHDR":  # the size, before Pillow reads anything
        _check_size(int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), shown)
    try:
        with warnings.catch_warnings():
            # The size is checked below, against a lower limit than Pillow's own warning.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=["PNG"])
            try:
                _check_size(*image.size, shown)
                image.load()
            except BaseException:
                image.close()
                raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise InputError(N_("not a readable PNG: {reason}", reason=" ".join(str(exc).split())[:200]), path=shown) from None
    return image
