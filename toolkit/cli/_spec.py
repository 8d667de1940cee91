"""Commands about one spec: ``build``, ``hash-phone``, ``schema``, ``catalogue``, ``new``."""

from __future__ import annotations

import json
import os
import sys

import click

from ..errors import UsageError
from ..i18n import N_, _, localize, ngettext
from ._common import allow_invalid_option, catalogue_option, load_catalogue_for, read_document

__all__ = ["build", "catalogue", "hash_phone_command", "new", "schema"]


# --- build and hashing -----------------------------------------------------------------------------


#: A phone number on standard input is one short line; more is refused, not cut.
_STDIN_PHONE_BYTES = 1024


def _phone_from_stdin() -> str:
    """The one phone number on standard input (bounded; a second line is an error)."""
    from .._io import read_stdin

    raw = read_stdin(_STDIN_PHONE_BYTES, _("standard input (phone number)"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(_("standard input (phone number) is not UTF-8 text")) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise UsageError(_("no phone number on standard input"))
    if len(lines) > 1:
        raise UsageError(ngettext("standard input holds {n} line; give one phone number per run "
                                  "(numbers not shown for privacy)",
                                  "standard input holds {n} lines; give one phone number per run "
                                  "(numbers not shown for privacy)", len(lines)))
    return lines[0]


@click.command(help=N_("Print the exact API request body for a spec (JSON on standard output)."))
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--sample", help=N_("Named sample data set (default: 'default', else the first)."))
@click.option("--phone", help=N_("Recipient's phone number; normalised to E.164 and hashed. Use - to read it from stdin."))
@click.option("--region", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False),
              help=N_("Region for a phone number in local format."))
@click.option("--to", "to", help=N_("Recipient digest (already hashed)."))
@allow_invalid_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=N_("Write the body to a file instead of stdout."))
@catalogue_option
def build(spec: str, sample: str | None, phone: str | None, region: str | None, to: str | None,
          allow_invalid: bool, output: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    from ..builder import build as build_request
    from ..findings import Severity
    from ..rules import default_table

    if phone is not None and to is not None:
        raise UsageError(_("give --phone or --to, not both"))
    if output:
        from .._io import check_output_file

        check_output_file(output)
    if phone == "-":
        phone = _phone_from_stdin()
    source = read_document(spec)
    from ..lint.config import default_language_for

    request = build_request(source.data, load_catalogue_for(catalogue_dirs), default_table(), path=spec,
                            sample=sample, phone=phone, region=region, to=to, allow_invalid=allow_invalid,
                            default_language=default_language_for(spec))
    errors = [f for f in request.findings if f.severity >= Severity.ERROR]
    for finding in request.findings:
        line, column = source.locate(finding.path)
        click.echo(f"{spec}:{line}:{column}: {finding.code} {localize(finding.message)}", err=True)
    if errors:
        # Translators: "lnm build" refused to write the request body.
        not_built = ngettext("not built: {n} error LINE's API would reject",
                             "not built: {n} errors LINE's API would reject", len(errors))
        click.echo(f"lnm: {not_built}", err=True)
        sys.exit(1)
    click.echo(f"{request.endpoint}", err=True)
    if request.delivery_tag:
        click.echo(f"X-Line-Delivery-Tag: {request.delivery_tag}", err=True)  # i18n: not UI text (an HTTP header)
    if "to" not in request.body:
        click.echo(_("note: no recipient; pass --phone NUMBER --region JP|TH|TW or --to DIGEST"), err=True)
    if output:
        from .._io import atomic_write_text

        atomic_write_text(output, request.to_json())
        click.echo(_("wrote {path}", path=output), err=True)
    else:
        click.echo(request.to_json(), nl=False)


@click.command("hash-phone", help=N_(
    "Print LINE's recipient digest for a phone number (use - to read the number from "
    "stdin).\n\nRefused with the reason (exit 2): letters, an extension, the wrong length, "
    "a country other than JP, TH or TW, and a number libphonenumber calls unassigned "
    "(unless --allow-invalid)."))
@click.argument("number")
@click.option("--region", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False),
              help=N_("Region for a number in local format (080-0000-1234)."))
@allow_invalid_option
def hash_phone_command(number: str, region: str | None, allow_invalid: bool) -> None:
    from ..spec.phone import hash_phone

    if number == "-":
        number = _phone_from_stdin()
    click.echo(hash_phone(number, region, allow_invalid=allow_invalid))


# --- schema, catalogue, new ------------------------------------------------------------------------


@click.command(help=N_("Print the JSON Schema of one template's request body."))
@click.argument("template_key")
@catalogue_option
def schema(template_key: str, catalogue_dirs: tuple[str, ...]) -> None:
    from ..spec.schemas import template_body_schema

    click.echo(json.dumps(template_body_schema(load_catalogue_for(catalogue_dirs), template_key),
                          ensure_ascii=False, indent=2))


@click.group(help=N_("Browse the premade templates, items and buttons."))
def catalogue() -> None:
    pass


@catalogue.command("list", help=N_(
    "List catalogue entries and flexible starters, with a header and a legend (* = "
    "documented by LINE)."))
@click.option("--country", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False))
@click.option("--kind", type=click.Choice(["template", "item", "button", "flexible"]),
              help=N_("flexible: the shipped flexible examples that lnm new starts from."))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalogue_option
def catalogue_list(country: str | None, kind: str | None, fmt: str, catalogue_dirs: tuple[str, ...]) -> None:
    from ..scaffold.starter import flexible_starters

    cat = load_catalogue_for(catalogue_dirs)
    entries = [e for e in cat.entries(country.upper() if country else None) if kind in (None, e.kind)]
    starters = flexible_starters(country.upper() if country else None) if kind in (None, "flexible") else []
    if fmt == "json":
        out = []
        for e in entries:
            d = e.to_dict()
            if e.kind == "template":
                d = {**d, "label": d["title"]}
            else:
                d = {**d, "title": d["label"]}
            out.append(d)
        out.extend({"kind": "flexible", "key": s.name, "country": s.country, "language": s.language,
                    "title": s.title, "label": s.title, "provenance": "example"} for s in starters)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ._catalogue_text import list_text

    click.echo(list_text(entries, starters), nl=False)


@catalogue.command("show", help=N_("Show one entry: a template with its items (kinds, examples) and buttons."))
@click.argument("key")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalogue_option
def catalogue_show(key: str, fmt: str, catalogue_dirs: tuple[str, ...]) -> None:
    from ..spec.catalogue import Template

    cat = load_catalogue_for(catalogue_dirs)
    found = cat.find(key)
    if not found:
        hint = next((h for h in (cat.suggest(key, k) for k in ("template", "item", "button")) if h), None)
        if hint:
            raise UsageError(_("no catalogue entry {key}; did you mean {hint}?", key=repr(key), hint=repr(hint)))
        raise UsageError(_("no catalogue entry {key}", key=repr(key)))
    if fmt == "text":
        from ._catalogue_text import entry_text

        click.echo("\n".join(entry_text(cat, entry) for entry in found), nl=False)
        return
    for entry in found:
        data = entry.to_dict()
        if isinstance(entry, Template):
            data["itemDetails"] = [cat.items[k].to_dict() for k in entry.items if k in cat.items]
            data["buttonDetails"] = [cat.buttons[k].to_dict() for k in entry.buttons if k in cat.buttons]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@click.command(help=N_(
    "Start a spec from a template key or a shipped example (flexible ones: lnm catalogue "
    "list).\n\nA template gets every item as a placeholder, with a 'default' and a "
    "'longest' sample; an example is copied, and a flexible one gets a 'review' object "
    "whose fields are to-dos for lnm pack. Its $schema points to the repository's schema "
    "copy (.lnm/schemas, written by lnm init), relative to the spec; without one it is "
    "left out."))
@click.argument("name")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help=N_("Write the spec here instead of stdout."))
@catalogue_option
def new(name: str, output: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    from ..scaffold.init import find_schema_dir
    from ..scaffold.starter import starter_spec

    if output:
        from .._io import check_output_file

        if os.path.lexists(output):
            raise UsageError(_("{path} exists; not overwriting it", path=output))
        check_output_file(output)
    folder = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    schemas = find_schema_dir(folder)
    ref = None
    if schemas is not None:
        ref = os.path.relpath(schemas / "message-spec.schema.json", folder).replace(os.sep, "/")
    spec = starter_spec(load_catalogue_for(catalogue_dirs), name, schema_ref=ref)
    text = json.dumps(spec, ensure_ascii=False, indent=2) + "\n"
    if output:
        from .._io import atomic_write_text

        if os.path.exists(output):
            raise UsageError(_("{path} exists; not overwriting it", path=output))
        atomic_write_text(output, text)
        if "review" in spec:
            wrote = _("wrote {path}: put your longest real values in its 'longest' sample; fill in its "
                      "'review' to-dos before lnm pack", path=output)
        else:
            wrote = _("wrote {path}: put your longest real values in its 'longest' sample", path=output)
        click.echo(wrote, err=True)
    else:
        click.echo(text, nl=False)
    if schemas is None:
        click.echo(_("note: no .lnm/schemas found above the spec (lnm init writes one); $schema left out"),
                   err=True)
