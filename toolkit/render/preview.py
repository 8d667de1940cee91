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
(bool), ``size`` (pixel width, height), and for a message with a Flex carousel ``row`` (the path of
``<stem>.<lang>.row.png``, the whole row of every carousel) and ``row_size``.

``build_html(document, *, lang, width=375, theme="light", sample=None, clock=None, catalogue=None,
path="<document>") -> str``
    The self-contained HTML of one message (a parsed spec or API body) for one app language, exactly
    what ``render_previews`` screenshots (the element ``#phone``, clip rounded to whole pixels).

``find_browser(explicit=None) -> str``: the Chromium to use (:mod:`toolkit.render.discover`), else
:class:`RenderError` saying how to install one; each run asks it which scripts it draws (``fonts``).
``LAUNCH_ARGS``: the Chromium flags the renderer uses. ``DEFAULT_LANGS``, ``WIDTHS``, ``THEMES``.

Sidecar fields: ``generator``, ``source``, ``sample``, ``appLanguage``, ``chromeLanguage``,
``messageLanguage``, ``viewport`` {width, deviceScaleFactor}, ``theme``, ``clock``, ``inputHash``
(sha256 of the HTML and viewport), ``rendererHash`` (templates, CSS, code, browser version, fonts),
``browser`` {path, version}, ``fonts`` {file name: sha256}, ``image`` {width, height, sha256}, and for
a message with a Flex carousel ``carousel`` {``chat``: the chat screenshot's file name, ``row``: the
second image's, ``rowImage`` {width, height, sha256}}. The chat screenshot shows a carousel as the app
first shows it (the first bubble, the next one cut off at the screen's edge); the row image shows the
whole row of each carousel, every bubble at the same scale, so that a reviewer sees them all.
A render is skipped when the sidecar records the same input and renderer hashes and the PNG on disk
still has the recorded sha256; when nothing needs rendering the browser is not started at all (its
version and the font hashes are remembered in ``$LNM_CACHE_DIR``, default ``~/.cache/lnm``, keyed by
each file's size and mtime). ``input_hash_for(path, lang=, sidecar=)`` recomputes an input hash with a
sidecar's settings, without a browser, to tell whether a committed preview is stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, UsageError
from ..findings import Finding
from ..i18n import N_
from ..spec.catalogue import Catalogue
from ..spec.message import Message, document_shape, messages_from_document, render_spec
from ._batch import Pending, Renderer, cached_sidecar, input_hash, same_text, sha256, write_file
from .chat import (
    APP_LANGUAGES,
    DEFAULT_ACCOUNT,
    THEMES,
    WIDTHS,
    ChatScreen,
    _message_language,
    build_carousel_row,
    build_chat_html,
    chrome_language,
    parse_clock,
)

__all__ = ["DEFAULT_LANGS", "DEFAULT_OUT", "LAUNCH_ARGS", "THEMES", "WIDTHS", "PreviewImage",
           "PreviewMessage", "PreviewRun", "build_html", "code_fingerprint", "find_browser", "input_hash_for", "parse_shard",
           "render_previews"]

#: App languages rendered when none are asked for.
DEFAULT_LANGS = ("ja", "th", "zh-Hant", "en")
DEFAULT_OUT = "out/previews"
SIDECAR_VERSION = 1


def code_fingerprint(*, sheets: bool = True) -> str:
    """sha256 of what shapes the preview files beyond each page's own HTML.

    That is the template assets and chrome strings, the screenshot settings (``RENDERER_VERSION``,
    flags, scale), the sidecar format and (unless ``sheets=False``, as in each image's renderer hash)
    the contact sheet layout. A code change that alters a page shows in that image's input hash
    instead, so refactoring Python does not make every preview stale.
    """
    import json

    from . import browser as _browser
    from . import chat

    versions: dict[str, Any] = {
        "renderer": _browser.RENDERER_VERSION, "launch": list(_browser.LAUNCH_ARGS),
        "scale": _browser.DEVICE_SCALE, "sidecar": SIDECAR_VERSION}
    if sheets:
        from . import contact_sheet

        versions["sheet"] = contact_sheet.LAYOUT_VERSION
    digest = hashlib.sha256(json.dumps(versions, sort_keys=True).encode())
    for root, pattern in ((chat.TEMPLATES, "*"), (chat.LOCALE_DIR, "*.po")):
        for path in sorted(root.rglob(pattern)):
            if path.is_file():
                digest.update(f"{root.name}/{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def __getattr__(name: str) -> Any:
    # The browser helpers load lazily: importing this module must not cost a Playwright import.
    if name in ("LAUNCH_ARGS", "find_browser"):
        from . import browser as _browser

        return getattr(_browser, name)
    raise AttributeError(name)


@dataclass
class PreviewImage:
    """One PNG of one message in one app language."""

    lang: str
    png: Path
    sidecar: Path
    html: Path | None
    cached: bool
    size: tuple[int, int]
    input_hash: str = ""
    #: A carousel's second image: its whole row, every bubble at the scale of ``png`` (else None).
    row: Path | None = None
    row_size: tuple[int, int] = (0, 0)


@dataclass
class PreviewMessage:
    """Everything written for one message file."""

    source: str
    stem: Path
    sample: str | None
    language: str
    images: list[PreviewImage] = field(default_factory=list)
    sheet: Path | None = None
    findings: list[Finding] = field(default_factory=list)


@dataclass
class PreviewRun:
    """What a call to :func:`render_previews` did."""

    messages: list[PreviewMessage]
    browser_path: str
    browser_version: str
    launched: bool = False
    rendered: int = 0
    cached: int = 0
    restarts: int = 0
    blocked_requests: int = 0
    seconds: float = 0.0


def parse_shard(value: str | tuple[int, int] | None) -> tuple[int, int] | None:
    """``"2/4"`` or ``(2, 4)``: the 2nd of 4 slices. None for no sharding."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            k_text, n_text = value.split("/")
            k, n = int(k_text), int(n_text)
        except ValueError:
            raise UsageError(N_("--shard must be K/N such as 1/4, not {value!r}", value=value)) from None
    else:
        k, n = value
    if not 1 <= k <= n:
        raise UsageError(N_("--shard {k}/{n}: K must be between 1 and N", k=k, n=n))
    return k, n


def _catalogue(catalogue: Catalogue | None) -> Catalogue:
    if catalogue is not None:
        return catalogue
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue

    return load_catalogue(extra_dirs_from_env())


def _message(document: Any, catalogue: Catalogue, sample: str | None, path: str) -> Message:
    if not isinstance(document, Mapping) or document_shape(document) is None:
        raise InputError(N_("not a LINE notification message: expected a spec (with \"kind\") or an API body (with "
                            "\"templateKey\" or \"messages\")"), path=path, line=1, column=1)
    from ..lint.config import default_language_for

    language = default_language_for(path)
    try:
        if sample is not None and "kind" in document:
            return render_spec(document, catalogue, sample, default_language=language)[0]
        return messages_from_document(document, catalogue, path=path, all_samples=False,
                                      default_language=language)[0]
    except InputError as exc:
        exc.path = exc.path or path
        raise


def _screen(msg: Message, lang: str, width: int, theme: str, clock: str | None, mark_paths: bool = False) -> ChatScreen:
    settings = (msg.spec or {}).get("preview")
    settings = settings if isinstance(settings, Mapping) else {}
    name = settings.get("accountName")
    spec_clock = settings.get("clock") if isinstance(settings.get("clock"), str) else None
    return ChatScreen(app_language=lang, width=width, theme=theme, clock=parse_clock(clock or spec_clock),
                      account_name=name if isinstance(name, str) and name.strip() else DEFAULT_ACCOUNT,
                      mark_paths=mark_paths)


def build_html(document: Any, *, lang: str, width: int = 375, theme: str = "light", sample: str | None = None,
               clock: str | None = None, catalogue: Catalogue | None = None, path: str = "<document>",
               mark_paths: bool = False) -> str:
    """The self-contained preview HTML of one parsed spec or API body in one app language.

    ``mark_paths``: each Flex text, span and button carries its JSON pointer in ``data-path``.
    """
    msg = _message(document, _catalogue(catalogue), sample, path)
    return build_chat_html(msg, _screen(msg, lang, width, theme, clock, mark_paths))


def preview_message(document: Any, *, sample: str | None = None, catalogue: Catalogue | None = None,
                    path: str = "<document>") -> Message:
    """The message :func:`build_html` shows for ``document`` and ``sample``."""
    return _message(document, _catalogue(catalogue), sample, path)


# --- inputs ---------------------------------------------------------------------------------------------


@dataclass
class _Input:
    path: str
    stem: Path
    message: Message
    findings: list[Finding]


def _discover(paths: Iterable[str | os.PathLike[str]]) -> list[tuple[str, Path, bool]]:
    """``(file, output stem, named)`` for every file, sorted by file path."""
    from ..lint.engine import discover

    out: list[tuple[str, Path, bool]] = []
    for raw in paths:
        raw = os.fspath(raw)
        for path, named in discover([raw]):
            rel = Path(path).name if named else Path(os.path.relpath(path, raw))
            stem = Path(rel)
            out.append((path, stem.with_suffix("") if stem.suffix == ".json" else stem, named))
    out.sort(key=lambda entry: entry[0])
    seen: dict[Path, str] = {}
    for path, stem, _ in out:
        if stem in seen and seen[stem] != path:
            raise UsageError(N_("{first} and {second} would both write previews named {stem}; preview them in "
                                "separate runs or give their directory instead", first=seen[stem], second=path,
                                stem=str(stem)))
        seen[stem] = path
    return out


def _load_inputs(files: Sequence[tuple[str, Path, bool]], catalogue: Catalogue,
                 sample: str | None) -> list[_Input]:
    from ..lint.engine import LintSettings, lint_message
    from ..rules import default_table
    from ..spec.source import load_source

    table = default_table()
    inputs = []
    for path, stem, named in files:
        source = load_source(path)
        if not named and (not isinstance(source.data, Mapping) or document_shape(source.data) is None):
            continue  # other JSON inside a directory (catalogue files, configs) is not a message
        if (sample is not None and isinstance(source.data, Mapping) and "kind" in source.data
                and sample not in (source.data.get("samples") or {})):
            raise InputError(N_("no sample named {sample!r} in this spec", sample=sample), path=path, line=1, column=1)
        msg = _message(source.data, catalogue, sample, path)
        findings = [f.located(path, *source.locate(f.path))
                    for f in lint_message(msg, table, LintSettings(), path)]
        inputs.append(_Input(path, stem, msg, findings))
    return inputs


def _shard(files: list[Any], shard: tuple[int, int] | None) -> list[Any]:
    if shard is None:
        return files
    k, n = shard
    return files[(k - 1) * len(files) // n: k * len(files) // n]


def _langs(langs: Iterable[str]) -> list[str]:
    out: list[str] = []
    for raw in langs:
        tag = raw.strip()
        chrome_language(tag)  # rejects what is not a language tag
        canonical = next((known for known in APP_LANGUAGES if known.lower() == tag.lower()), tag)
        if canonical not in out:
            out.append(canonical)
    if not out:
        raise UsageError(N_("no app language given; e.g. --lang ja,th,zh-Hant,en"))
    return out


# --- rendering --------------------------------------------------------------------------------------------


def _shown_path(path: str | os.PathLike[str]) -> str:
    """A spec's path as a sidecar records it: relative to the current folder, or to the data root for
    the shipped examples, so that no machine's folder names end up in committed previews."""
    from .._paths import data_root

    resolved = Path(path).resolve()
    for base in (Path.cwd().resolve(), data_root().resolve()):
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix()
    return Path(path).as_posix()


def _renderer_hash(version: str, fonts: Mapping[str, str], scale: int) -> str:
    payload = json.dumps({"code": code_fingerprint(sheets=False), "browser": version, "fonts": dict(fonts),
                          "scale": scale, "sidecar": SIDECAR_VERSION}, sort_keys=True)
    return sha256(payload.encode())


def input_hash_for(path: str | os.PathLike[str], *, lang: str, sidecar: Mapping[str, Any] | None = None,
                   catalogue: Catalogue | None = None) -> str:
    """The input hash a render of the file ``path`` in ``lang`` has now, with the settings a sidecar
    records (width, theme, sample, --clock); needs no browser. Compare it with the sidecar's."""
    from ..spec.source import load_source
    from .browser import DEVICE_SCALE

    side = sidecar or {}
    viewport = side.get("viewport") if isinstance(side.get("viewport"), Mapping) else {}
    assert isinstance(viewport, Mapping)
    width = int(viewport.get("width", 375))
    theme = str(side.get("theme", "light"))
    clock = side.get("clockOption") if isinstance(side.get("clockOption"), str) else None
    sample = side.get("sample") if isinstance(side.get("sample"), str) else None
    source = load_source(os.fspath(path))
    msg = _message(source.data, _catalogue(catalogue), sample, os.fspath(path))
    screen = _screen(msg, lang, width, theme, clock)
    return input_hash(build_chat_html(msg, screen), width, theme, int(viewport.get("deviceScaleFactor", DEVICE_SCALE)),
                      build_carousel_row(msg, screen))


def _progress_bar(done: int, total: int) -> None:
    width = 30
    filled = width * done // total if total else width
    sys.stderr.write(f"\rlnm preview [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _will_render(files: Sequence[tuple[str, Path, bool]], languages: Sequence[str], out: Path,
                 use_cache: bool) -> bool:
    """True when nothing of this run is on disk yet (a fresh folder, or --no-cache): then Chromium is
    started at once, while the inputs load. A re-run starts it only if a job turns up."""
    if not use_cache:
        return True
    return not any((out / f"{stem}.{lang}.json").exists() for _, stem, _ in files for lang in languages)


def _check_stems(out: Path, stems: Iterable[Path]) -> None:
    """Every folder the run writes in stays inside ``out`` (no link out of it), before any rendering."""
    from .._io import check_inside

    for folder in sorted({(out / stem).parent for stem in stems}):
        check_inside(folder, out)


def render_previews(paths: Iterable[str | os.PathLike[str]], *, langs: Iterable[str] = DEFAULT_LANGS,
                    out_dir: str | os.PathLike[str] = DEFAULT_OUT, width: int = 375, theme: str = "light",
                    html: bool = False, sample: str | None = None, clock: str | None = None,
                    shard: str | tuple[int, int] | None = None, browser: str | None = None,
                    use_cache: bool = True, progress: Callable[[int, int], None] | bool | None = None,
                    catalogue: Catalogue | None = None) -> PreviewRun:
    """Render each message under ``paths`` in each app language; see the module docstring."""
    from . import browser as _browser
    from .fonts import page_scripts

    started = time.perf_counter()
    if width not in WIDTHS:
        raise UsageError(N_("--width must be one of {widths}, not {width}", widths=", ".join(map(str, WIDTHS)), width=width))
    if theme not in THEMES:
        raise UsageError(N_("--theme must be light or dark, not {theme!r}", theme=theme))
    parse_clock(clock)
    languages = _langs(langs)
    paths_list = list(paths)
    files = _shard(_discover(paths_list), parse_shard(shard))
    out = Path(out_dir)
    executable = _browser.find_browser(browser)
    run = PreviewRun([], executable, "")
    renderer = Renderer(run, executable, _renderer_hash, out)
    try:
        if files and _will_render(files, languages, out, use_cache):
            renderer.start()
        inputs = _load_inputs(files, _catalogue(catalogue), sample)
        if not inputs and shard is None:
            raise InputError(N_("no LINE notification messages (specs or API bodies) found"),
                             path=", ".join(os.fspath(p) for p in paths_list))
        version = _browser.browser_version(executable)
        fonts = _browser.font_hashes()
        scale = _browser.DEVICE_SCALE
        renderer_hash = _renderer_hash(version, fonts, scale)
        run.browser_version = version
        renderer.sheets.renderer_hash = renderer_hash
        jobs: list[_browser.Job] = []
        needed: set[str] = set()
        _check_stems(out, [item.stem for item in inputs])
        for item in inputs:
            pm = PreviewMessage(item.path, out / item.stem, item.message.sample, _message_language(item.message),
                                findings=item.findings)
            run.messages.append(pm)
            scanned = False  # the message's text is the same in every app language: scanned once
            for lang in languages:
                screen = _screen(item.message, lang, width, theme, clock)
                page = build_chat_html(item.message, screen)
                row = build_carousel_row(item.message, screen)  # a carousel's whole row: a second image
                hashed = input_hash(page, width, theme, scale, row)
                base = out / f"{item.stem}.{lang}"
                png, sidecar = base.with_name(base.name + ".png"), base.with_name(base.name + ".json")
                row_png = base.with_name(base.name + ".row.png") if row is not None else None
                if html:
                    for path, text in ((base.with_name(base.name + ".html"), page),
                                       (base.with_name(base.name + ".row.html"), row.html if row else None)):
                        if text is not None and not same_text(path, text):
                            write_file(path, text.encode(), out)
                html_path = base.with_name(base.name + ".html") if html else None
                cached = cached_sidecar(png, sidecar, hashed, renderer_hash, row_png) if use_cache else None
                if cached is not None:
                    size = (int(cached["image"]["width"]), int(cached["image"]["height"]))
                    shown = cached["carousel"]["rowImage"] if row_png is not None else {"width": 0, "height": 0}
                    pm.images.append(PreviewImage(lang, png, sidecar, html_path, True, size, hashed, row_png,
                                                  (int(shown["width"]), int(shown["height"]))))
                    run.cached += 1
                    continue
                meta = {"generator": "lnm preview (generated; do not edit)", "version": SIDECAR_VERSION,
                        "source": _shown_path(item.path), "sample": item.message.sample,
                        "appLanguage": lang, "chromeLanguage": chrome_language(lang),
                        "messageLanguage": pm.language,
                        "viewport": {"width": width, "deviceScaleFactor": scale}, "theme": theme,
                        "clock": screen.clock.isoformat(), "clockOption": clock,
                        "accountName": screen.account_name,
                        "inputHash": hashed, "rendererHash": renderer_hash,
                        "browser": {"name": "chromium", "version": version}, "fonts": fonts}
                if row_png is not None:  # the two images of a carousel, by file name beside the sidecar
                    meta["carousel"] = {"chat": png.name, "row": row_png.name}
                pm.images.append(PreviewImage(lang, png, sidecar, html_path, False, (0, 0), hashed, row_png))
                needed |= page_scripts(lang, pm.language, "" if scanned else page)
                scanned = True
                pending = Pending(pm, lang, png, sidecar, html_path, meta, row_png)
                jobs.append(_browser.Job((pending, "chat"), page, width, name=f"{item.path} ({lang})"))
                if row is not None:
                    jobs.append(_browser.Job((pending, "row"), row.html, row.width,
                                             name=f"{item.path} ({lang}, whole carousel row)"))
        # Chromium has been starting meanwhile (on a fresh folder); the jobs go to it all at once, so
        # a message's images are all listed before its first one is done (its sheet waits for them).
        renderer.report = (_progress_bar if len(jobs) >= 8 else None) if progress is True else (progress or None)
        if jobs:
            renderer.check_fonts(needed)
        renderer.submit(jobs)
        renderer.finish()
        for pm in run.messages:
            if pm.sheet is None:
                renderer.sheets.submit(pm, {})
        renderer.sheets.wait()
    finally:
        renderer.close()
    run.seconds = time.perf_counter() - started
    return run
