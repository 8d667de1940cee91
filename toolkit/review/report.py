"""``lnm review``: a static review report, one ``index.html`` plus images that opens from the disk.

Per message: the chat screen in every app language, light and dark (rendered by
:func:`toolkit.render_previews`, so unchanged screens come from its cache), the lint findings by
severity with the spec's source line, the built request body (no recipient), the approval state,
and against a baseline folder (the one ``lnm preview --check/--update`` keeps) what changed:
before, after and a diff image made by :mod:`toolkit.visual`.

The page filters (changed only, with errors, country, kind) and moves between messages with the
keyboard (j/k); images load lazily, so a report of the whole gallery opens at once.

Its words start in the UI language (or ``language``) and switch to any other in the page itself:
every text lnm writes is made in each UI language (:class:`toolkit.review._words.Switchable`) and
the page's script swaps them and ``<html lang>``; the messages' own content stays as it is.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .. import i18n
from ..errors import LnmError, UsageError
from ..i18n import N_, _
from ..spec.catalogue import Catalogue
from .specs import body_parts, inspect_file, project_settings, rejected_note

__all__ = ["ReviewReport", "write_report"]

HERE = Path(__file__).resolve().parent
LANGS = ("ja", "th", "zh-Hant", "zh-Hans", "en")
THEMES = ("light", "dark")
#: The words for the values the page shows (its data attributes keep the English values).
THEME_TEXTS = {"light": N_("light"), "dark": N_("dark")}
# Translators: how a message's chat screen compares with its approved baseline image.
STATUS_TEXTS = {"changed": N_("changed"), "new": N_("new")}
# Translators: a finding's severity.
SEVERITY_TEXTS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}
_MARK = "@@lnm-words@@"


@dataclass
class ReviewReport:
    """What :func:`write_report` wrote."""

    index: Path
    messages: int = 0
    images: int = 0
    changed: int = 0
    seconds: float = 0.0


@dataclass
class _Shot:
    lang: str
    theme: str
    src: str
    width: int
    height: int
    #: A carousel's whole row (every bubble, at the chat screen's scale), else None.
    row: str | None = None
    row_width: int = 0
    row_height: int = 0


@dataclass
class _Change:
    lang: str
    status: str
    before: str | None = None
    after: str | None = None
    diff: str | None = None
    note: str = ""  # a Text: shown in the page's language


@dataclass
class _Entry:
    key: str
    anchor: str
    title: str
    kind: str
    country: str
    template_key: str | None
    findings: list[dict[str, Any]]
    body: str
    shots: list[_Shot] = field(default_factory=list)
    changes: list[_Change] = field(default_factory=list)
    approval: dict[str, Any] | None = None
    #: The line above a body LINE's API would reject, or the reason it does not build.
    body_note: Any = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "warning")

    @property
    def changed(self) -> bool:
        return any(c.status in ("changed", "new") for c in self.changes)


def _href(path: Path, out: Path) -> str:
    return quote(path.relative_to(out).as_posix())


def _compare(png: Path, name: str, baseline: Path, out: Path) -> _Change:
    """The light screenshot against its approved baseline; writes before and diff images."""
    import io

    from .._io import atomic_write_bytes, read_regular_file
    from ..limits import IMAGE_MAX_BYTES
    from ..render import visual
    from ..render._images import load_png

    lang = png.name.rsplit(".", 2)[-2]
    base_png = baseline / name
    after = _href(png, out)
    if not base_png.is_file():
        return _Change(lang, "new", after=after, note=N_("no baseline image"))
    base_bytes = read_regular_file(base_png, IMAGE_MAX_BYTES)
    # Both checked before decoding: a baseline folder may hold anything.
    with load_png(png) as new_image, load_png(base_bytes, name=str(base_png)) as base_image:
        diff, mask = visual.compare_images(new_image, base_image)
        if not diff.size_changed and diff.ratio <= visual.DEFAULT_MAX_DIFF_RATIO:
            return _Change(lang, "same", after=after)
        before = out / "images" / "before" / name
        atomic_write_bytes(before, base_bytes, root=out)
        diff_png = out / "images" / "diff" / name
        buffer = io.BytesIO()
        visual.render_diff(new_image, base_image, diff, mask).save(buffer, format="PNG")
        atomic_write_bytes(diff_png, buffer.getvalue(), root=out)
    sizes = ["x".join(str(n) for n in size) for size in (diff.baseline_size, diff.size)]
    ratio = format(diff.ratio, ".2%")
    note = (N_("size {before} -> {after}", before=sizes[0], after=sizes[1])
            if diff.size_changed else N_("pixels changed: {count} ({ratio})", count=diff.changed, ratio=ratio))
    return _Change(lang, "changed", before=_href(before, out), after=after, diff=_href(diff_png, out), note=note)


def _approval_views(keys: Sequence[str], catalogue: Catalogue, approvals: Path | None) -> dict[str, dict[str, str]]:
    from .approvals import check_approvals, find_approvals_file

    file = approvals or find_approvals_file()
    if not file.is_file():
        return {}
    out = {}
    for key in keys:
        try:
            (result,) = check_approvals([key], catalogue, file=file)
        except (LnmError, ValueError):
            continue
        entry = result.entry or {}
        at = str(entry.get("approvedAt", ""))
        out[key] = {"status": result.status, "by": str(entry.get("approvedBy", "")), "at": at,
                    "when": _when(at), "note": str(entry.get("note", ""))}
    return out


def _when(stamp: str) -> Any:
    """An approval's UTC time as a date-time (shown in each language's format), else the text as it is."""
    import datetime

    try:
        return datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return stamp


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def write_report(paths: Sequence[str], out_dir: str | os.PathLike[str], *, catalogue: Catalogue | None = None,
                 baseline: str | os.PathLike[str] | None = None, browser: str | None = None,
                 approvals: Path | None = None,
                 progress: Callable[[int, int], None] | bool | None = None,
                 language: str | None = None) -> ReviewReport:
    """Render every message under ``paths`` and write ``out_dir/index.html``; see the module docstring.

    The page starts in ``language`` (default: the current UI language)."""
    import time

    from .. import render_previews
    from .._io import atomic_write_text
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue

    started = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UsageError(_("--out {path}: exists and is not a folder", path=str(out)))
    from .._io import check_output_dir

    check_output_dir(out)  # one line now when it cannot be made or written, before the rendering
    base = Path(baseline) if baseline is not None else None
    if base is not None and not base.is_dir():
        raise UsageError(_("--baseline {path}: no such folder (make one with {command})", path=str(base),
                           command="lnm preview --check DIR --update"))
    cat = catalogue or load_catalogue(extra_dirs_from_env())
    from .approvals import find_approvals_file, load_approvals

    load_approvals(approvals or find_approvals_file())  # a broken approvals file: one line before the rendering
    from .._io import check_inside

    for folder in ("images/light", "images/dark", "images/before", "images/diff"):
        check_inside(out / folder, out)  # a link out of the report folder: one line, before the rendering
    runs = {theme: render_previews(paths, langs=LANGS, out_dir=out / "images" / theme, theme=theme,
                                   browser=browser, catalogue=cat, progress=progress) for theme in THEMES}
    report = ReviewReport(out / "index.html")
    entries: list[_Entry] = []
    light_root = out / "images" / "light"
    settings = project_settings(paths[0])
    for number, (light, dark) in enumerate(zip(runs["light"].messages, runs["dark"].messages, strict=True)):
        key = light.source
        view = inspect_file(key, key, cat, settings)
        document = view.document or {}
        reason, errors, body = body_parts(document, cat, key, None)
        entry = _Entry(key=key, anchor=f"m{number + 1}", title=view.title or Path(key).stem,
                       kind=view.kind or "?", country=view.country or "none", template_key=view.template_key,
                       findings=view.findings, body=body, body_note=reason or errors or None)
        for message, theme in ((light, "light"), (dark, "dark")):
            for image in message.images:
                row = _href(image.row, out) if image.row is not None else None
                entry.shots.append(_Shot(image.lang, theme, _href(image.png, out), image.size[0] // 2,
                                         image.size[1] // 2, row, image.row_size[0] // 2, image.row_size[1] // 2))
                report.images += 1 + (row is not None)
        if base is not None:
            for image in light.images:
                name = image.png.resolve().relative_to(light_root.resolve()).as_posix()
                entry.changes.append(_compare(image.png, name, base, out))
            if any(c.status != "new" for c in entry.changes):
                # Approved in some languages: the others were not in the baseline run, not new.
                for change in entry.changes:
                    if change.status == "new":
                        change.status = "no baseline"
        entries.append(entry)
    for key, approval in _approval_views([e.key for e in entries], cat, approvals).items():
        for entry in entries:
            if entry.key == key:
                entry.approval = approval
    report.messages = len(entries)
    report.changed = sum(1 for e in entries if e.changed)
    html = _page(entries, report, base, language)
    atomic_write_text(report.index, html, root=out)
    report.seconds = time.perf_counter() - started
    return report


def _page(entries: list[_Entry], report: ReviewReport, base: Path | None, language: str | None) -> str:
    """The report's HTML, its words in every UI language, starting in ``language``."""
    from markupsafe import Markup

    from ._words import Switchable, environment, script_json, script_strings

    first = i18n.normalize(language) if language else i18n.current()
    words = Switchable(first or i18n.DEFAULT)
    for entry in entries:  # a count of errors becomes its line, in each language
        if isinstance(entry.body_note, int):
            entry.body_note = words.each(functools.partial(_rejected, entry.body_note))
        elif entry.body_note is not None:
            entry.body_note = words.text(entry.body_note)
    env = environment()
    env.globals.update(_=words.gettext, ngettext=words.ngettext, text=words.text,
                       code=lambda value: Markup("<code>{}</code>").format(value),
                       kbd=lambda value: Markup("<kbd>{}</kbd>").format(value))
    script_file = HERE / "templates" / "report.js"
    script = script_file.read_text(encoding="utf-8")
    style = (HERE / "templates" / "report.css").read_text(encoding="utf-8")
    html = env.get_template("report.html.j2").render(
        entries=entries, langs=LANGS, themes=THEMES, baseline=str(base) if base is not None else None,
        countries=sorted({e.country for e in entries}), kinds=sorted({e.kind for e in entries}),
        changed=report.changed, script=script, style=style, strings=_MARK, ui=words.first,
        html_lang=i18n.html_lang(words.first), languages=i18n.LANGUAGE_NAMES, theme_texts=THEME_TEXTS,
        theme_names={k: words.text(v) for k, v in THEME_TEXTS.items()},
        status_names={k: words.text(v) for k, v in STATUS_TEXTS.items()},
        severity_names={k: words.text(v) for k, v in SEVERITY_TEXTS.items()},
        csp=f"default-src 'none'; img-src 'self' file: data:; style-src {_csp_hash(style)}; "
            f"script-src {_csp_hash(script)}; base-uri 'none'; form-action 'none'")
    table = {"table": words.table(), "htmlLang": i18n.HTML_LANG,
             "script": {lang: script_strings(script_file, lang) for lang in i18n.LANGUAGES}}
    # The mark is in <head>, before any of the messages' content: the first one is lnm's.
    return str(html).replace(_MARK, script_json(table), 1)


def _rejected(errors: int, _language: str) -> str:
    return rejected_note(errors)
