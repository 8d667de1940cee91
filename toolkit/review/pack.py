"""``lnm pack``: the submission pack for LINE's review of a flexible message design.

For each flexible message: the request JSON (recipient removed), its findings, and its chat
screens in the app languages it targets, light and dark; for the whole pack a one-page summary in
HTML and PDF (printed by headless Chromium through Playwright) naming the account, the purpose, the
sending conditions and the sample data used. Those come from the spec's optional ``review`` object
(``account``, ``purpose``, ``sendingConditions``, ``appLanguages``); each of the first three that is
missing, or still a to-do (a value starting with ``TODO``, as ``lnm new`` writes them), is reported
on one line, a warning that ``strict`` makes an error.

A message with an error finding is not packed (exit 1). The zip holds its entries sorted, each with
the same fixed timestamp and mode, and the PDF's creation dates and document ID are pinned, so the
same inputs give the same bytes with the same Chromium.

The summary is in the language LINE reviews the messages' country in (Japan: Japanese, Thailand:
Thai, Taiwan: Traditional Chinese; :data:`REVIEW_LANGUAGE`), or in ``language`` when one is chosen
(``--ui-lang``); a pack of several countries, or of none, speaks the UI language. The messages' own
content and the review fields the spec gives are never translated.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import i18n
from ..errors import InputError, RenderError, UsageError
from ..i18n import N_, _, localize
from ..spec.catalogue import COUNTRY_LANGUAGE, Catalogue
from .specs import COUNTRY_OF_LANGUAGE, built_body, inspect_file, project_settings

__all__ = ["REVIEW_FIELDS", "REVIEW_LANGUAGE", "TODO_MARK", "PackResult", "build_pack", "entry_name", "pin_pdf",
           "review_problems", "summary_language"]

HERE = Path(__file__).resolve().parent
LANGS = ("ja", "th", "zh-Hant", "zh-Hans", "en")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: A review field whose value starts with this is a to-do (``lnm new`` writes them so).
TODO_MARK = "TODO"
#: The review fields LINE's review asks for, with what each says.
REVIEW_FIELDS = {"account": N_("the LINE Official Account that sends it"),
                 "purpose": N_("why the message is sent"),
                 "sendingConditions": N_("when it is sent and to whom")}
#: The language LINE reviews each country's messages in: the pack summary's default.
REVIEW_LANGUAGE = COUNTRY_LANGUAGE
#: The browser locale the summary is printed with, by UI language.
_PRINT_LOCALE = {"en": "en-US", "ja": "ja-JP", "th": "th-TH", "zh-Hant": "zh-TW"}
PDF_DATE = b"D:19800101000000+00'00'"
_THEME_TEXTS = {"light": N_("light"), "dark": N_("dark")}
# Translators: a finding's severity.
_SEVERITY_TEXTS = {"error": N_("error"), "warning": N_("warning"), "info": N_("info")}


@dataclass
class PackResult:
    """What :func:`build_pack` did: the messages packed, the zip entries, or why it refused."""

    messages: int = 0
    entries: int = 0
    refused: list[str] = field(default_factory=list)
    #: One line per review field missing or still a to-do (warnings; errors with ``strict``).
    review: list[str] = field(default_factory=list)


def _explicit_targets(document: Mapping[str, Any]) -> list[str] | None:
    """The spec's ``review.appLanguages``, when it names any of the app languages."""
    review = document.get("review") if isinstance(document.get("review"), Mapping) else {}
    assert isinstance(review, Mapping)
    asked = review.get("appLanguages")
    if isinstance(asked, list) and asked and all(lang in LANGS for lang in asked):
        return list(dict.fromkeys(asked))
    return None


def _default_targets(language: str) -> list[str]:
    """The message's own language and English, LINE's two likeliest app settings for its readers."""
    return list(dict.fromkeys([language if language in LANGS else "en", "en"]))


def _review_fields(document: Mapping[str, Any]) -> dict[str, str]:
    review = document.get("review") if isinstance(document.get("review"), Mapping) else {}
    preview = document.get("preview") if isinstance(document.get("preview"), Mapping) else {}
    assert isinstance(review, Mapping) and isinstance(preview, Mapping)

    def text(value: Any) -> str:
        return value.strip() if isinstance(value, str) and value.strip() else N_("(not given: add it to the spec's review object)")

    return {"account": text(review.get("account") or preview.get("accountName")),
            "purpose": text(review.get("purpose")), "conditions": text(review.get("sendingConditions"))}


def review_problems(path: str, document: Mapping[str, Any], *, strict: bool = False) -> list[str]:
    """One ``file:line:col: warning: ...`` line per review field that is missing or still a to-do."""
    from ..spec.source import load_source

    review = document.get("review") if isinstance(document.get("review"), Mapping) else {}
    preview = document.get("preview") if isinstance(document.get("preview"), Mapping) else {}
    assert isinstance(review, Mapping) and isinstance(preview, Mapping)
    level = "error" if strict else "warning"
    source = None
    out = []
    for name, meaning in REVIEW_FIELDS.items():
        value = review.get(name)
        if name == "account" and value is None:
            value = preview.get("accountName")
        if isinstance(value, str) and value.strip() and not value.strip().upper().startswith(TODO_MARK):
            continue
        if source is None:
            source = load_source(path)
        line, column = source.locate(("review", name))
        where, key = f"{path}:{line}:{column}", "review." + name
        if isinstance(value, str) and value.strip():
            out.append(_("{where}: {level}: {field} is still a to-do: say {meaning} (LINE's review reads it in "
                         "the pack's summary)", where=where, level=level, field=key, meaning=meaning))
        else:
            out.append(_("{where}: {level}: {field} is not given: say {meaning} (LINE's review reads it in the "
                         "pack's summary)", where=where, level=level, field=key, meaning=meaning))
    return out


def _sample(document: Mapping[str, Any]) -> tuple[str | None, str]:
    samples = document.get("samples") if isinstance(document.get("samples"), Mapping) else {}
    assert isinstance(samples, Mapping)
    if not samples:
        return None, "{}"
    name = "default" if "default" in samples else next(iter(samples))
    return str(name), json.dumps(samples[name], ensure_ascii=False, indent=2)


def pin_pdf(data: bytes) -> bytes:
    """The PDF with its creation and modification dates fixed and its document ID derived from its
    content, every value kept at its length so that the cross-reference offsets stay right."""

    def date(match: re.Match[bytes]) -> bytes:
        value = match.group(2)
        return match.group(1) + (PDF_DATE[: len(value)].ljust(len(value), b"0")) + b")"

    data = re.sub(rb"(/(?:CreationDate|ModDate)\s*\()([^)]*)\)", date, data)
    ids = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*\]")
    digest = hashlib.sha256(ids.sub(b"", data)).hexdigest().encode()

    def ident(match: re.Match[bytes]) -> bytes:
        first, second = match.group(1), match.group(2)
        return match.group(0).replace(first, digest[: len(first)], 1).replace(second, digest[: len(second)])

    return ids.sub(ident, data)


def summary_language(countries: Sequence[str | None], chosen: str | None = None) -> str:
    """The summary's UI language: ``chosen`` when given, else the language LINE reviews the
    messages' one country in, else (several countries, or none) the current UI language."""
    if chosen:
        found = i18n.normalize(chosen)
        if found is None:
            raise i18n.UnknownLanguage(chosen, "--ui-lang")
        return found
    found_countries = set(countries)
    if len(found_countries) == 1:
        (country,) = found_countries
        if country in REVIEW_LANGUAGE:
            return REVIEW_LANGUAGE[country]
    return i18n.current()


def _pdf(html: str, browser: str | None, language: str = "en") -> bytes:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    from ..render.preview import LAUNCH_ARGS, find_browser

    executable = find_browser(browser)
    args = [*LAUNCH_ARGS, *(["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else [])]
    try:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=executable, headless=True, args=args)
            try:
                context = chromium.new_context(locale=_PRINT_LOCALE.get(language, "en-US"), timezone_id="UTC")
                context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                    ("data:", "about:")) else route.abort("blockedbyclient"))
                page = context.new_page()
                page.set_content(html, wait_until="load")
                pdf: bytes = page.pdf(format="A4", print_background=True, prefer_css_page_size=True,
                                      margin={"top": "12mm", "bottom": "12mm", "left": "12mm", "right": "12mm"})
            finally:
                chromium.close()
    except PlaywrightError as exc:
        raise RenderError(_("Chromium could not print the summary PDF: {reason}",
                            reason=str(exc).splitlines()[0])) from None
    return pin_pdf(pdf)


#: Names Windows keeps for devices, in any case and with any extension.
_WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)),
                              *(f"lpt{n}" for n in range(10))})


def entry_name(stem: str, taken: set[str]) -> str:
    """A safe folder name in the archive for the message file ``stem``, not yet in ``taken`` (added).

    Letters, digits, ``-``, ``_`` and inner dots are kept; anything else (separators of any system,
    control characters, ``..``) becomes ``_``, so that no unzip tool can read it as a path, and a
    name no file system takes gets a ``_``. Two files that slug alike get ``-2``, ``-3``...
    """
    import unicodedata

    text = unicodedata.normalize("NFC", stem)
    kept = "".join(c if (unicodedata.category(c)[0] in "LN" or c in "-_.") else "_" for c in text)
    kept = re.sub(r"\.{2,}", "_", kept).strip("._ ")[:80] or "message"
    if kept.split(".")[0].lower() in _WINDOWS_DEVICES:
        kept = f"_{kept}"
    name, number = kept, 1
    while name.lower() in taken:
        number += 1
        name = f"{kept}-{number}"
    taken.add(name.lower())
    return name


def _zip(files: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, files[name], compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return buffer.getvalue()


def build_pack(specs: Sequence[str], out_file: str | os.PathLike[str], *, catalogue: Catalogue | None = None,
               browser: str | None = None, strict: bool = False, language: str | None = None) -> PackResult:
    """Write the pack for the flexible messages ``specs``; see the module docstring.

    With ``strict``, a review field missing or left as a to-do refuses the pack, as an error does.
    ``language``: the summary's UI language; None for the language LINE reviews the country in.
    """
    from .. import render_previews
    from .._io import atomic_write_bytes
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue

    out = Path(out_file)
    if out.suffix.lower() != ".zip":
        raise UsageError(_("--out {path}: the pack is a .zip file", path=str(out)))
    if out.is_dir():
        raise UsageError(_("--out {path}: is a folder", path=str(out)))
    from .._io import check_output_file

    check_output_file(out)  # before the rendering, not after it
    cat = catalogue or load_catalogue(extra_dirs_from_env())
    result = PackResult()
    views = []
    for path in specs:
        if not os.path.exists(path):
            raise InputError(N_("no such file or directory"), path=path)
        if os.path.isdir(path):
            raise UsageError(_("{path}: is a folder; name the flexible message specs to pack", path=path))
        view = inspect_file(path, path, cat, project_settings(path))
        if view.document is None:
            raise InputError(view.error or _("{path}: does not parse", path=path))
        if view.kind != "flexible":
            raise UsageError(_("{path}: is a {kind} message; lnm pack is for flexible messages, "
                               "which LINE reviews before they may be sent", path=path, kind=view.kind))
        for f in view.findings:
            if f["severity"] == "error":
                result.refused.append(f"{path}:{f['line']}:{f['column']}: {f['code']} {localize(f['message'])}")
        result.review.extend(review_problems(path, view.document, strict=strict))
        views.append(view)
    if result.refused or (strict and result.review):
        return result
    files: dict[str, bytes] = {}
    taken: set[str] = set()
    messages = []
    countries: list[str | None] = []
    with tempfile.TemporaryDirectory(prefix="lnm-pack-") as scratch:
        for view in views:
            document = view.document or {}
            explicit = _explicit_targets(document)
            light = render_previews([view.key], langs=explicit or LANGS, out_dir=Path(scratch) / "light",
                                    theme="light", browser=browser, catalogue=cat).messages[0]
            targets = explicit or _default_targets(light.language)
            countries.append(view.country or COUNTRY_OF_LANGUAGE.get(light.language))
            dark = render_previews([view.key], langs=targets, out_dir=Path(scratch) / "dark", theme="dark",
                                   browser=browser, catalogue=cat).messages[0]
            stem = entry_name(light.stem.name, taken)
            files[f"{stem}/request.json"] = built_body(document, cat, view.key, None).encode()
            files[f"{stem}/findings.json"] = (json.dumps(view.findings, ensure_ascii=False, indent=2) + "\n").encode()
            shots = []
            for message, theme in ((light, "light"), (dark, "dark")):
                for image in message.images:
                    if image.lang in targets:
                        data = image.png.read_bytes()
                        files[f"{stem}/screenshots/{image.lang}.{theme}.png"] = data
                        shots.append({"lang": image.lang, "theme": theme, "width": image.size[0] // 2,
                                      "src": "data:image/png;base64," + base64.b64encode(data).decode(),
                                      "row": False})
                        if image.row is not None:  # a carousel: its whole row, every bubble
                            data = image.row.read_bytes()
                            files[f"{stem}/screenshots/{image.lang}.{theme}.row.png"] = data
                            shots.append({"lang": image.lang, "theme": theme, "width": image.row_size[0] // 2,
                                          "src": "data:image/png;base64," + base64.b64encode(data).decode(),
                                          "row": True})
            sample_name, sample_json = _sample(document)
            messages.append({"key": view.key, "stem": stem, "title": view.title or stem, **_review_fields(document),
                             "language": light.language,
                             "targets": targets, "sample_name": sample_name, "sample": sample_json,
                             "findings": view.findings, "shots": shots})
    from ._words import environment

    summary = summary_language(countries, language)
    with i18n.using(summary):
        html = environment().get_template("pack.html.j2").render(
            messages=messages, html_lang=i18n.html_lang(summary), theme_texts=_THEME_TEXTS,
            severity_texts=_SEVERITY_TEXTS)
    files["summary.html"] = html.encode()
    files["summary.pdf"] = _pdf(html, browser, summary)
    try:
        atomic_write_bytes(out, _zip(files))
    except OSError as exc:
        raise UsageError(_("cannot write {path}: {reason}", path=str(out), reason=exc.strerror or exc)) from None
    result.messages = len(messages)
    result.entries = len(files)
    return result
