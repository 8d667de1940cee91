"""The previews gallery: every example spec rendered in the default app languages, with an index.

``lnm gallery`` renders ``template_library/examples`` into ``previews/`` (one PNG per message and app
language, a JSON sidecar each, a contact sheet per message), then writes ``index.html`` (grouped by
country and template, the languages side by side; static, no scripts, no external requests) and
``manifest.json`` (spec path and hash, PNG paths and hashes, browser version). The folder is
generated: never edit it by hand, run ``make previews``.

``lnm gallery --check`` tells, without a browser, whether the committed gallery still matches its
inputs: every example spec listed with its current hash and the current HTML input hash of each
language, every PNG present with its recorded hash. Pixels are a matter for a browser of the same
version (see ``tests/test_gallery_build.py``): a new Chromium must not make the gallery "stale".
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import click

from ..errors import LnmError
from ..i18n import N_, _, ngettext, using

__all__ = ["MANIFEST_NAME", "GalleryResult", "build_gallery", "check_gallery", "examples_dir", "gallery"]

MANIFEST_NAME = "manifest.json"
MANIFEST_VERSION = 1
GENERATED_BY = "lnm gallery (toolkit/render/gallery.py): generated, do not edit; regenerate with `make previews`"
COUNTRY_NAMES = {"JP": N_("Japan"), "TH": N_("Thailand"), "TW": N_("Taiwan")}
_OWN_SUFFIXES = (".png", ".json", ".html")


def examples_dir() -> Path:
    """The bundled example specs (``template_library/examples``)."""
    from ..spec.catalogue import data_root

    return data_root() / "template_library" / "examples"


#: Gallery files are read only as regular files of at most this size (a FIFO there cannot hang
#: ``lnm gallery --check``).
_MAX_FILE_BYTES = 64 * 1024 * 1024


def _sha256(path: Path) -> str:
    import hashlib  # here, not at the top: every lnm command imports this module to list the command

    from .._io import read_regular_file

    return hashlib.sha256(read_regular_file(path, _MAX_FILE_BYTES)).hexdigest()


def _spec_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.json") if p.is_file())


def _posix(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path.resolve(), start.resolve())).as_posix()


def _read_json(path: Path) -> dict[str, Any]:
    from .._io import read_regular_file

    data = json.loads(read_regular_file(path, _MAX_FILE_BYTES).decode("utf-8"))
    return data if isinstance(data, dict) else {}


class GalleryResult(NamedTuple):
    """What a gallery build did."""

    out_dir: Path
    messages: int
    images: int
    rendered: int
    cached: int
    launched: bool
    browser_version: str | None
    seconds: float
    removed: int


def _template_info(catalogue: Any, key: Any) -> dict[str, Any] | None:
    template = catalogue.templates.get(key) if isinstance(key, str) else None
    if template is None:
        return None
    return {"title": template.title, "titleEn": template.title_en, "category": template.category,
            "provenance": template.provenance}


def _entry(message: Any, out_dir: Path, root: Path, catalogue: Any) -> dict[str, Any]:
    source = Path(message.source)
    spec = _read_json(source)
    images: dict[str, Any] = {}
    versions = set()
    for image in message.images:
        side = _read_json(Path(image.sidecar))
        browser = side.get("browser") or {}
        versions.add(browser.get("version"))
        images[image.lang] = {
            "png": _posix(Path(image.png), out_dir),
            "sha256": _sha256(Path(image.png)),
            "size": list(image.size),
            "sidecar": _posix(Path(image.sidecar), out_dir),
            "inputHash": side.get("inputHash"),
            "rendererHash": side.get("rendererHash"),
        }
        if image.row is not None:  # a carousel's whole row, the second image of this language
            images[image.lang]["row"] = {"png": _posix(Path(image.row), out_dir), "sha256": _sha256(Path(image.row)),
                                         "size": list(image.row_size)}
    country = source.parent.name
    sheet = Path(message.sheet)
    return {
        "spec": _posix(source, root),
        "specHash": _sha256(source),
        "country": country,
        "templateKey": spec.get("templateKey"),
        "template": _template_info(catalogue, spec.get("templateKey")),
        "title": spec.get("title") or source.stem,
        "kind": spec.get("kind"),
        "messageLanguage": message.language,
        "browserVersion": versions.pop() if len(versions) == 1 else sorted(v for v in versions if v),
        "images": images,
        "contactSheet": {"png": _posix(sheet, out_dir), "sha256": _sha256(sheet)},
    }


def _prune(out_dir: Path, keep: set[Path]) -> int:
    """Remove files a former build left under the country folders that this build did not produce."""
    removed = 0
    for country in COUNTRY_NAMES:
        folder = out_dir / country
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path.suffix in _OWN_SUFFIXES and path.resolve() not in keep:
                path.unlink()
                removed += 1
    return removed


def is_own_gallery(out_dir: str | os.PathLike[str]) -> bool:
    """True for ``previews/`` of lnm's own source tree (regenerated with ``make previews``)."""
    from .._paths import data_root

    root = data_root()
    return (root / "pyproject.toml").is_file() and Path(out_dir).resolve() == (root / "previews").resolve()


def regenerate_command(out_dir: str | os.PathLike[str]) -> str:
    """How the gallery in ``out_dir`` is made again."""
    return "make previews" if is_own_gallery(out_dir) else f"lnm gallery --out {os.fspath(out_dir)}"


def build_gallery(out_dir: str | os.PathLike[str] = "previews", *, langs: Iterable[str] | None = None,
                  source: str | os.PathLike[str] | None = None, use_cache: bool = True,
                  progress: Any = None, browser: str | None = None, regenerate: str | None = None) -> GalleryResult:
    """Render every example spec into ``out_dir`` and write its ``index.html`` and ``manifest.json``;
    ``regenerate`` is the command its notes give for making it again (default: :func:`regenerate_command`)."""
    from .._io import atomic_write_text
    from ..spec.catalogue import data_root, extra_dirs_from_env, load_catalogue
    from .preview import DEFAULT_LANGS, code_fingerprint, render_previews

    root = data_root()
    specs_root = Path(source) if source else examples_dir()
    out = Path(out_dir)
    languages = list(langs or DEFAULT_LANGS)
    catalogue = load_catalogue(extra_dirs_from_env())
    run = render_previews([str(specs_root)], langs=languages, out_dir=str(out), use_cache=use_cache,
                          progress=progress, browser=browser, catalogue=catalogue)
    keep: set[Path] = set()
    for message in run.messages:
        if message.sheet is not None:
            keep.add(Path(message.sheet).resolve())
        for image in message.images:
            keep.update(Path(p).resolve() for p in (image.png, image.sidecar, image.html, image.row) if p)
    removed = _prune(out, keep)
    entries = sorted((_entry(m, out, root, catalogue) for m in run.messages), key=lambda e: (e["country"], e["spec"]))
    own = is_own_gallery(out)
    again = regenerate or regenerate_command(out)
    manifest = {
        "generatedBy": GENERATED_BY if own else f"lnm gallery: generated, do not edit; regenerate with `{again}`",
        "manifestVersion": MANIFEST_VERSION,
        "source": _posix(specs_root, root),
        "languages": languages,
        "browserVersion": run.browser_version,
        "codeFingerprint": code_fingerprint(),
        "entries": entries,
    }
    atomic_write_text(out / MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", root=out)
    from ._gallery_html import index_html, readme_text

    # lnm's own committed gallery is in English whoever makes it; elsewhere the page speaks the UI language.
    with using("en" if own else None):
        atomic_write_text(out / "index.html", index_html(manifest, COUNTRY_NAMES, "make previews" if own else again),
                          root=out)
        atomic_write_text(out / "README.md", readme_text(None if own else again,
                                                         f"lnm gallery --check --out {os.fspath(out)}"), root=out)
    images = sum(len(m.images) for m in run.messages)
    return GalleryResult(out, len(run.messages), images, run.rendered, run.cached, run.launched,
                         run.browser_version, run.seconds, removed)


def check_gallery(out_dir: str | os.PathLike[str] = "previews",
                  source: str | os.PathLike[str] | None = None) -> list[str]:
    """Problems that make the committed gallery stale (empty when it is current). Needs no browser."""
    from ..spec.catalogue import data_root, extra_dirs_from_env, load_catalogue
    from .preview import code_fingerprint, input_hash_for

    root = data_root()
    out = Path(out_dir)
    specs_root = Path(source) if source else examples_dir()
    manifest_path = out / MANIFEST_NAME
    if not manifest_path.is_file():
        return [N_("{path}: no gallery manifest", path=str(manifest_path))]
    try:
        manifest = _read_json(manifest_path)
    except (OSError, ValueError, LnmError) as exc:
        return [N_("{path}: unreadable manifest: {reason}", path=str(manifest_path),
                   reason=exc.message if isinstance(exc, LnmError) else str(exc))]
    problems: list[str] = []
    catalogue = load_catalogue(extra_dirs_from_env())
    if manifest.get("codeFingerprint") != code_fingerprint():
        problems.append(N_("{path}: the renderer (templates, CSS, chrome strings or code) changed since the gallery "
                           "was generated", path=str(manifest_path)))
    entries = {str(e.get("spec")): e for e in manifest.get("entries", []) if isinstance(e, dict)}
    specs = {_posix(p, root): p for p in _spec_files(specs_root)}
    for missing in sorted(set(specs) - set(entries)):
        problems.append(N_("{spec}: example spec is not in the gallery", spec=missing))
    for extra in sorted(set(entries) - set(specs)):
        problems.append(N_("{spec}: in the gallery but no longer an example spec", spec=extra))
    for name in sorted(set(specs) & set(entries)):
        entry, spec_path = entries[name], specs[name]
        if entry.get("specHash") != _sha256(spec_path):
            problems.append(N_("{spec}: spec changed since the gallery was generated", spec=name))
        langs = manifest.get("languages", [])
        if sorted(entry.get("images", {})) != sorted(langs):
            problems.append(N_("{spec}: languages {found} differ from {expected}", spec=name,
                                  found=str(sorted(entry.get("images", {}))), expected=str(sorted(langs))))
        files: list[tuple[str, Any]] = [(lang, record) for lang, record in entry.get("images", {}).items()]
        files += [(N_("{lang} row", lang=lang), record["row"]) for lang, record in entry.get("images", {}).items()
                  if isinstance(record, dict) and isinstance(record.get("row"), dict)]
        files.append((N_("contact sheet"), entry.get("contactSheet") or {}))
        for lang, record in files:
            png = out / str(record.get("png", ""))
            if not record.get("png") or not png.is_file():
                problems.append(N_("{spec}: {image}: missing image {path}", spec=name, image=lang, path=str(png)))
            elif _sha256(png) != record.get("sha256"):
                problems.append(N_("{spec}: {image}: {path} does not match its recorded hash", spec=name, image=lang,
                                   path=str(png)))
            sidecar_name = record.get("sidecar")
            if lang == "contact sheet" or lang.endswith(" row") or not sidecar_name:
                continue
            sidecar_path = out / str(sidecar_name)
            try:
                side = _read_json(sidecar_path)
            except (OSError, ValueError, LnmError):
                side = {}
            if not side:
                problems.append(N_("{spec}: {image}: missing or unreadable sidecar {path}", spec=name, image=lang,
                                   path=str(sidecar_path)))
            elif input_hash_for(spec_path, lang=lang, sidecar=side, catalogue=catalogue) != record.get("inputHash"):
                problems.append(N_("{spec}: {image}: rendered HTML changed since the gallery was generated", spec=name,
                                   image=lang))
    return problems


@click.command("gallery", help=N_("Render every example spec into the previews gallery (index.html, manifest.json, PNGs)."))
@click.option("--out", "out_dir", default="previews", show_default=True, type=click.Path(file_okay=False),
              help=N_("Gallery folder."))
@click.option("--lang", "langs", help=N_("Comma-separated app languages (default: ja,th,zh-Hant,en)."))
@click.option("--browser", help=N_("Chromium executable (also LNM_CHROMIUM)."))
@click.option("--no-cache", is_flag=True, help=N_("Render every image again, even unchanged ones."))
@click.option("--check", is_flag=True, help=N_("Render nothing; exit 1 when the gallery does not match its inputs."))
def gallery(out_dir: str, langs: str | None, browser: str | None, no_cache: bool, check: bool) -> None:
    import sys

    if check:
        problems = check_gallery(out_dir)
        for problem in problems:
            click.echo(_("stale: {problem}", problem=problem), err=True)
        if problems:
            if is_own_gallery(out_dir):
                line = ngettext("lnm: the gallery in {folder} is stale ({n} problem); run `make previews` and commit it",
                                "lnm: the gallery in {folder} is stale ({n} problems); run `make previews` and commit "
                                "it", len(problems), folder=out_dir)
            else:
                line = ngettext("lnm: the gallery in {folder} is stale ({n} problem); run `{command}`",
                                "lnm: the gallery in {folder} is stale ({n} problems); run `{command}`",
                                len(problems), folder=out_dir, command=regenerate_command(out_dir))
            click.echo(line, err=True)
            sys.exit(1)
        click.echo(_("gallery {folder} matches its inputs", folder=out_dir))
        return
    from .._io import check_output_dir

    languages = [part.strip() for part in langs.split(",") if part.strip()] if langs else None
    check_output_dir(out_dir)
    result = build_gallery(out_dir, langs=languages, use_cache=not no_cache, browser=browser,
                           progress=True if sys.stderr.isatty() else None)
    # Translators: {messages} is "3 messages", {images} "12 images".
    args = {"messages": ngettext("{n} message", "{n} messages", result.messages),
            "images": ngettext("{n} image", "{n} images", result.images), "rendered": result.rendered,
            "cached": result.cached, "seconds": result.seconds, "page": str(Path(out_dir) / "index.html")}
    if result.launched:
        line = _("gallery: {messages}, {images} ({rendered} rendered, {cached} unchanged, browser started) in "
                 "{seconds:.1f}s; open {page}", **args)
    else:
        line = _("gallery: {messages}, {images} ({rendered} rendered, {cached} unchanged, no browser started) in "
                 "{seconds:.1f}s; open {page}", **args)
    click.echo(line)
