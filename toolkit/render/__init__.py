"""The renderer: chat screens in HTML, the browser pool, screenshots, contact sheets, visual
regression and the gallery.

Imports run one way: ``chat`` builds the HTML; ``preview`` drives ``browser`` and
``contact_sheet``; ``gallery`` and ``cli`` sit on top. Importing this package loads no browser.
"""

from __future__ import annotations

from .preview import PreviewRun, build_html, render_previews

__all__ = ["PreviewRun", "build_html", "render_previews"]
