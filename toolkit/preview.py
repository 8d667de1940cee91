"""Localized mock LINE chat previews of notification messages, rendered in headless Chromium.

Public API (stable; the gallery, visual checks and benchmark build on it):

``render_previews(paths, *, langs=DEFAULT_LANGS, out_dir="out/previews", width=375, theme="light",
html=False, sample=None, clock=None, shard=None, browser=None, use_cache=True, progress=None,
catalogue=None) -> PreviewRun``
    Render every message file under ``paths`` (files or directories, discovered like ``lnm lint``)
    once per app language. For each message it writes ``<stem>.<lang>.png`` (device scale 2), a JSON
    sidecar ``<stem>.<lang>.json`` and a contact sheet ``<stem>.sheet.png``; with ``html=True`` also
    ``<stem>.<lang>.html``. A file named on the command line goes to ``out_dir/<stem>``; files found
    inside a directory keep their path relative to it (``out_dir/JP/shipment_completed_ja.ja.png``).
    ``shard=(k, n)`` renders only the k-th (1-based) of n contiguous slices of the sorted file list.
    ``progress`` is a callable ``(done, total)`` or True for a bar on stderr.
    Raises :class:`~toolkit.errors.InputError` / :class:`UsageError` for bad input and
    :class:`~toolkit.errors.RenderError` when no browser is found or it crashes twice.

``PreviewRun``: ``messages`` (list of ``PreviewMessage``), ``browser_version``, ``browser_path``,
``launched`` (False when everything came from the cache), ``rendered``, ``cached``, ``restarts``,
``seconds``.
``PreviewMessage``: ``source`` (input path), ``stem`` (output path without suffix), ``sample``,
``language`` (the message's own language), ``images`` (list of ``PreviewImage``), ``sheet`` (path of
the contact sheet), ``findings`` (lint findings, e.g. unknown keys, which still render).
``PreviewImage``: ``lang`` (app language), ``png``, ``sidecar``, ``html`` (path or None), ``cached``
(bool), ``size`` (pixel width, height).

``build_html(document, *, lang, width=375, theme="light", sample=None, clock=None, catalogue=None,
path="<document>") -> str``
    The self-contained HTML of one message (a parsed spec or API body) for one app language, exactly
    what ``render_previews`` screenshots (the element ``#phone``, clip rounded to whole pixels).

``find_browser(explicit=None) -> str``: the Chromium executable (option, ``LNM_CHROMIUM``,
``/usr/bin/chromium``, Playwright's managed browser), else :class:`RenderError` saying how to install
one. ``LAUNCH_ARGS``: the Chromium flags the renderer uses. ``DEFAULT_LANGS``, ``WIDTHS``, ``THEMES``.

Sidecar fields: ``generator``, ``source``, ``sample``, ``appLanguage``, ``chromeLanguage``,
``messageLanguage``, ``viewport`` {width, deviceScaleFactor}, ``theme``, ``clock``, ``inputHash``
(sha256 of the HTML and viewport), ``rendererHash`` (templates, CSS, code, browser version, fonts),
``browser`` {path, version}, ``fonts`` {file name: sha256}, ``image`` {width, height, sha256}.
A render is skipped when the sidecar records the same input and renderer hashes and the PNG on disk
still has the recorded sha256; when nothing needs rendering the browser is not started at all.
"""
