"""The renderer: chat screens in HTML, the browser pool, screenshots, contact sheets, visual
regression and the gallery.

Imports run one way: ``chat`` builds the HTML; ``preview`` drives ``browser`` and
``contact_sheet``; ``gallery`` and ``cli`` sit on top. Importing this package loads no browser,
and no Jinja2 either until a name below is read (``lnm lint`` imports ``render.cli`` to register
the command, and must not pay for the renderer).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .preview import PreviewRun, build_html, render_previews

__all__ = ["PreviewRun", "build_html", "render_previews"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import preview

        return getattr(preview, name)
    raise AttributeError(f"module 'toolkit.render' has no attribute {name!r}")
