"""The ``lnm`` command. Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or bad input,
3 internal error (one line; the traceback with ``--debug`` or ``LNM_DEBUG=1``)."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

import click

from .errors import LnmError, UsageError

__all__ = ["main"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _fail(exc: LnmError) -> NoReturn:
    click.echo(f"lnm: {exc.one_line()}", err=True)
    sys.exit(exc.exit_code)


def _catalogue(extra: tuple[str, ...]) -> Any:
    from .catalogue import extra_dirs_from_env, load_catalogue

    return load_catalogue(tuple(extra) + extra_dirs_from_env())


catalogue_option = click.option(
    "--catalogue", "catalogue_dirs", multiple=True, type=click.Path(),
    help="Your account's catalogue directory; extends and overrides the shipped one (also LNM_CATALOGUE).")


_DEBUG = {"on": False}


def _debug_wanted() -> bool:
    return _DEBUG["on"] or os.environ.get("LNM_DEBUG", "") not in ("", "0")


@click.group(context_settings=CONTEXT)
@click.version_option(package_name="lnm", prog_name="lnm")
@click.option("--debug", is_flag=True, help="Show the traceback of an internal error (also LNM_DEBUG=1).")
def cli(debug: bool) -> None:
    """Author, lint and preview LINE notification messages.

    Exit codes: 0 clean, 1 findings (or a difference) the options ask to fail on, 2 usage or bad
    input, 3 an internal error in lnm (please report it).
    """
    _DEBUG["on"] = debug
    if debug:
        os.environ["LNM_DEBUG"] = "1"  # for the code that reports a bug per file and goes on


# --- lint ------------------------------------------------------------------------------------------


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit", "github"]),
              default="text", show_default=True)
@click.option("--fail-on", type=click.Choice(["error", "warning", "info"]),
              help="Exit 1 when a finding is at least this severe.  [default: error]")
@click.option("--max-warnings", type=click.IntRange(min=0), help="Exit 1 when there are more warnings.")
@click.option("--min-severity", type=click.Choice(["error", "warning", "info"]),
              help="Show findings at least this severe.  [default: warning; info notes are only counted]")
@click.option("--show-info", is_flag=True, help="Show info notes too (same as --min-severity info).")
@click.option("-q", "--quiet", is_flag=True, help="Print only the findings, no summary line.")
@click.option("--select", multiple=True, help="Run only these rules (code, name, prefix, api or guideline).")
@click.option("--extend-select", multiple=True, help="Run these rules as well.")
@click.option("--ignore", multiple=True, help="Skip these rules.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False),
              help="Configuration file (default: lnm.toml or [tool.lnm] in pyproject.toml, found upwards).")
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
@click.option("--baseline", type=click.Path(dir_okay=False), help="Report only findings not in this baseline.")
@click.option("--write-baseline", type=click.Path(dir_okay=False),
              help="Record today's findings in this file and exit 0.")
@click.option("--statistics", is_flag=True, help="Count the findings per rule.")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text report (auto: on a terminal, unless NO_COLOR is set).")
@click.option("--jobs", type=click.IntRange(min=1), help="Worker processes for large batches [default: cores].")
@click.option("--skip-other-json", is_flag=True,
              help="Pass over named JSON files that are not messages (for pre-commit hooks).")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--require-approved", is_flag=True,
              help="Also exit 1 naming each message whose content changed since lnm approve recorded it.")
@click.option("--approvals", "approvals_file", type=click.Path(dir_okay=False),
              help="Approvals file for --require-approved (default: .lnm/approvals.json at the repository root).")
@catalogue_option
def lint(paths: tuple[str, ...], fmt: str, fail_on: str | None, max_warnings: int | None,
         min_severity: str | None, show_info: bool, quiet: bool, select: tuple[str, ...], extend_select: tuple[str, ...], ignore: tuple[str, ...],
         config_file: str | None, no_config: bool, baseline: str | None, write_baseline: str | None,
         statistics: bool, color: str, jobs: int | None, skip_other_json: bool, output: str | None,
         require_approved: bool, approvals_file: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    """Check specs and API bodies (files or directories) for everything LINE would reject."""
    from ._lintrun import LintRun, run_lint
    from .config import LintOptions
    from .rules import default_table

    if baseline and write_baseline:
        raise UsageError("give --baseline or --write-baseline, not both")
    if show_info and min_severity not in (None, "info"):
        raise UsageError(f"give --show-info or --min-severity {min_severity}, not both")
    run = LintRun(paths=paths, fmt=fmt, config=config_file, no_config=no_config, baseline=baseline,
                  write_baseline=write_baseline, statistics=statistics, color=color, output=output,
                  jobs=jobs, skip_other_json=skip_other_json, quiet=quiet,
                  cli=LintOptions(select=select, extend_select=extend_select, ignore=ignore, fail_on=fail_on,
                                  max_warnings=max_warnings,
                                  min_severity="info" if show_info else min_severity))
    code = run_lint(run, default_table(), lambda: _catalogue(catalogue_dirs), click.echo)
    if require_approved and code != 2:
        from .review.commands import enforce_approvals

        code = max(code, enforce_approvals(paths, _catalogue(catalogue_dirs), approvals_file))
    sys.exit(code)


# --- rules -----------------------------------------------------------------------------------------


@cli.command()
@click.argument("code", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True,
              help="markdown: the whole rule documentation, as in docs/rules.md.")
def rules(code: str | None, fmt: str) -> None:
    """List the rules, or show one rule's documentation."""
    from .rules import default_table

    table = default_table()
    if fmt == "markdown":
        if code:
            raise UsageError("--format markdown prints every rule; leave out the rule code")
        from ._ruledocs import rules_markdown

        click.echo(rules_markdown(table), nl=False)
        return
    if code:
        try:
            rule = table[code]
        except KeyError:
            raise UsageError(f"unknown rule {code!r}; see lnm rules") from None
        if fmt == "json":
            click.echo(json.dumps({**rule.to_dict(), "doc": rule.doc}, ensure_ascii=False, indent=2))
        else:
            click.echo(f"{rule.code} {rule.name} ({rule.group}, {rule.severity})\n\n{rule.doc}\n\nFix: {rule.fix}")
        return
    if fmt == "json":
        click.echo(json.dumps([r.to_dict() for r in table.rules()], ensure_ascii=False, indent=2))
        return
    for rule in table.rules():
        click.echo(f"{rule.code}  {rule.name:<34} {rule.group:<9} {str(rule.severity):<7} {rule.summary}")


# --- build and hashing -----------------------------------------------------------------------------


#: A phone number on standard input is one short line; more is refused, not cut.
_STDIN_PHONE_BYTES = 1024


def _phone_from_stdin() -> str:
    """The one phone number on standard input (bounded; a second line is an error)."""
    from ._io import read_stdin

    raw = read_stdin(_STDIN_PHONE_BYTES, "standard input (phone number)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError("standard input (phone number) is not UTF-8 text") from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines:
        raise UsageError("no phone number on standard input")
    if len(lines) > 1:
        raise UsageError(f"standard input holds {len(lines)} lines; give one phone number per run "
                         "(numbers not shown for privacy)")
    return lines[0]


allow_invalid_option = click.option(
    "--allow-invalid", is_flag=True,
    help="Hash a number of the right length that libphonenumber calls unassigned (made-up test numbers).")


def _read_document(path: str) -> Any:
    from ._jsonsource import load_source

    return load_source(path)


@cli.command()
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option("--sample", help="Named sample data set (default: 'default', else the first).")
@click.option("--phone", help="Recipient's phone number; normalised to E.164 and hashed. Use - to read it from stdin.")
@click.option("--region", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False),
              help="Region for a phone number in local format.")
@click.option("--to", "to", help="Recipient digest (already hashed).")
@allow_invalid_option
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the body to a file instead of stdout.")
@catalogue_option
def build(spec: str, sample: str | None, phone: str | None, region: str | None, to: str | None,
          allow_invalid: bool, output: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    """Print the exact API request body for a spec (JSON on standard output)."""
    from .builder import build as build_request
    from .findings import Severity
    from .rules import default_table

    if phone is not None and to is not None:
        raise UsageError("give --phone or --to, not both")
    if output:
        from ._io import check_output_file

        check_output_file(output)
    if phone == "-":
        phone = _phone_from_stdin()
    source = _read_document(spec)
    from .config import default_language_for

    request = build_request(source.data, _catalogue(catalogue_dirs), default_table(), path=spec,
                            sample=sample, phone=phone, region=region, to=to, allow_invalid=allow_invalid,
                            default_language=default_language_for(spec))
    errors = [f for f in request.findings if f.severity >= Severity.ERROR]
    for finding in request.findings:
        line, column = source.locate(finding.path)
        click.echo(f"{spec}:{line}:{column}: {finding.code} {finding.message}", err=True)
    if errors:
        click.echo(f"lnm: not built: {len(errors)} error(s) LINE's API would reject", err=True)
        sys.exit(1)
    click.echo(f"{request.endpoint}", err=True)
    if request.delivery_tag:
        click.echo(f"X-Line-Delivery-Tag: {request.delivery_tag}", err=True)
    if "to" not in request.body:
        click.echo("note: no recipient; pass --phone NUMBER --region JP|TH|TW or --to DIGEST", err=True)
    if output:
        from ._io import atomic_write_text

        atomic_write_text(output, request.to_json())
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(request.to_json(), nl=False)


@cli.command("hash-phone")
@click.argument("number")
@click.option("--region", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False),
              help="Region for a number in local format (080-0000-1234).")
@allow_invalid_option
def hash_phone_command(number: str, region: str | None, allow_invalid: bool) -> None:
    """Print LINE's recipient digest for a phone number (use - to read the number from stdin).

    Refused with the reason (exit 2): letters, an extension, the wrong length, a country other
    than JP, TH or TW, and a number libphonenumber calls unassigned (unless --allow-invalid).
    """
    from .phone import hash_phone

    if number == "-":
        number = _phone_from_stdin()
    click.echo(hash_phone(number, region, allow_invalid=allow_invalid))


# --- schema, catalogue, new ------------------------------------------------------------------------


@cli.command()
@click.argument("template_key")
@catalogue_option
def schema(template_key: str, catalogue_dirs: tuple[str, ...]) -> None:
    """Print the JSON Schema of one template's request body."""
    from .schemas import template_body_schema

    click.echo(json.dumps(template_body_schema(_catalogue(catalogue_dirs), template_key),
                          ensure_ascii=False, indent=2))


@cli.group()
def catalogue() -> None:
    """Browse the premade templates, items and buttons."""


@catalogue.command("list")
@click.option("--country", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False))
@click.option("--kind", type=click.Choice(["template", "item", "button"]))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalogue_option
def catalogue_list(country: str | None, kind: str | None, fmt: str, catalogue_dirs: tuple[str, ...]) -> None:
    """List catalogue entries, with a header and a legend (* = documented by LINE)."""
    cat = _catalogue(catalogue_dirs)
    entries = [e for e in cat.entries(country.upper() if country else None) if kind in (None, e.kind)]
    if fmt == "json":
        out = []
        for e in entries:
            d = e.to_dict()
            if e.kind == "template":
                d = {**d, "label": d["title"]}
            else:
                d = {**d, "title": d["label"]}
            out.append(d)
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    from ._catalogue_text import list_text

    click.echo(list_text(entries), nl=False)


@catalogue.command("show")
@click.argument("key")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@catalogue_option
def catalogue_show(key: str, fmt: str, catalogue_dirs: tuple[str, ...]) -> None:
    """Show one entry: a template with its items (kinds, examples) and buttons."""
    from .catalogue import Template

    cat = _catalogue(catalogue_dirs)
    found = cat.find(key)
    if not found:
        hint = next((h for h in (cat.suggest(key, k) for k in ("template", "item", "button")) if h), None)
        raise UsageError(f"no catalogue entry {key!r}" + (f"; did you mean {hint!r}?" if hint else ""))
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


@cli.command()
@click.argument("template_key")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="Write the spec here instead of stdout.")
@catalogue_option
def new(template_key: str, output: str | None, catalogue_dirs: tuple[str, ...]) -> None:
    """Start a spec for a template: placeholders, with a 'default' and a 'longest' sample.

    Its $schema points to the repository's schema copy (.lnm/schemas, written by lnm init),
    relative to the spec; without one it is left out.
    """
    from .builder import new_spec
    from .scaffold import find_schema_dir

    if output:
        from ._io import check_output_file

        if os.path.lexists(output):
            raise UsageError(f"{output} exists; not overwriting it")
        check_output_file(output)
    folder = os.path.dirname(os.path.abspath(output)) if output else os.getcwd()
    schemas = find_schema_dir(folder)
    ref = None
    if schemas is not None:
        ref = os.path.relpath(schemas / "message-spec.schema.json", folder).replace(os.sep, "/")
    spec = new_spec(_catalogue(catalogue_dirs), template_key, schema_ref=ref)
    text = json.dumps(spec, ensure_ascii=False, indent=2) + "\n"
    if output:
        from ._io import atomic_write_text

        if os.path.exists(output):
            raise UsageError(f"{output} exists; not overwriting it")
        atomic_write_text(output, text)
        click.echo(f"wrote {output}: put your longest real values in its 'longest' sample", err=True)
    else:
        click.echo(text, nl=False)
    if schemas is None:
        click.echo("note: no .lnm/schemas found above the spec (lnm init writes one); $schema left out", err=True)


@cli.command()
@click.argument("path", default=".", type=click.Path(file_okay=False))
@click.option("--country", type=click.Choice(["JP", "TH", "TW"], case_sensitive=False), default="JP",
              show_default=True, help="Country of the example message.")
@click.option("--update-schemas", is_flag=True, help="Only refresh the schema copy in .lnm/schemas.")
@click.option("--force", is_flag=True, help="Replace files that exist (never the user's pyproject.toml).")
def init(path: str, country: str, update_schemas: bool, force: bool) -> None:
    """Set a repository up: configuration, a schema copy in .lnm/schemas, messages/ with an example.

    Writes only below PATH (default: the current folder) and never replaces a file without
    --force; then prints the pre-commit hook and the GitHub Actions workflow to add.
    """
    from .scaffold import init_repository, report_lines, snippets

    result = init_repository(path, country=country, force=force, update_schemas=update_schemas)
    for line in report_lines(result):
        click.echo(line)
    if not update_schemas:
        click.echo("")
        click.echo(snippets(), nl=False)


def _near(path: str) -> str:
    """``path`` relative to the current folder when it lies inside it, else absolute."""
    relative = os.path.relpath(path)
    return os.path.abspath(path) if relative.startswith("..") else relative


def _invocation() -> str:
    """How to run lnm again: ``lnm`` when that is the one on PATH, else the path it was started by."""
    import shutil

    started = sys.argv[0]
    if os.path.basename(started) == "lnm" and shutil.which("lnm") != os.path.abspath(started):
        return _near(started)
    return "lnm"


@cli.command()
@click.option("--out", "out_dir", default="out", show_default=True, type=click.Path(file_okay=False),
              help="Where the lint report, the built request bodies and the gallery go (under the "
                   "current folder unless absolute).")
@click.option("--no-previews", is_flag=True, help="Skip rendering the previews gallery.")
def demo(out_dir: str, no_previews: bool) -> None:
    """The main job on the bundled examples: lint them, build each request body, render the gallery.

    Reads the bundled examples; writes only under --out (lint-report.*, bodies/, previews/), never
    into the installation or the checkout.
    """
    from ._io import atomic_write_text, check_output_dir

    check_output_dir(out_dir)
    from .builder import build as build_request
    from .catalogue import data_root
    from .lint import LintSettings, lint_paths
    from .report import format_json, format_text, plural, summary_line
    from .rules import default_table

    examples = data_root() / "template_library" / "examples"
    table = default_table()
    cat = _catalogue(())
    report = lint_paths([str(examples)], table, cat, LintSettings())
    atomic_write_text(os.path.join(out_dir, "lint-report.txt"), format_text(report))
    atomic_write_text(os.path.join(out_dir, "lint-report.json"), format_json(report))
    summary = report.summary()
    click.echo("lnm demo: the bundled examples, run as a team runs lnm on its own messages")
    click.echo(f"  lint     {summary_line(report)} -> {_shown(os.path.join(out_dir, 'lint-report.txt'))}")
    bodies = os.path.join(out_dir, "bodies")
    built = 0
    for result in report.files:
        if result.error is not None:
            continue
        source = _read_document(result.path)
        request = build_request(source.data, cat, table, path=result.path, phone="+818000001234")
        if any(f.severity >= 3 for f in request.findings):
            continue
        atomic_write_text(os.path.join(bodies, os.path.relpath(result.path, examples)), request.to_json())
        built += 1
    click.echo(f"  build    {plural(built, 'request body', 'request bodies')} (recipient: LINE's test number, "
               f"hashed) -> {_shown(bodies)}/")
    if not no_previews:
        from pathlib import Path

        from .render.gallery import build_gallery

        gallery_dir = Path(out_dir) / "previews"
        result_g = build_gallery(gallery_dir, progress=True if sys.stderr.isatty() else None)
        click.echo(f"  preview  {plural(result_g.messages, 'message')}, {plural(result_g.images, 'screenshot')} "
                   f"({result_g.rendered} rendered, {result_g.cached} unchanged) -> {_shown(gallery_dir)}/")
        click.echo(f"Open {_shown(gallery_dir / 'index.html')} in a browser: every example as a LINE chat "
                   "screen in each app language.")
    else:
        click.echo(f"Look in {_shown(out_dir)}/: the lint report and the request bodies.")
    click.echo(f"live preview of the examples: {_invocation()} serve {_near(str(examples))}  "
               "(then open http://127.0.0.1:8321/)")
    if summary["error"] or summary["unreadable"]:
        sys.exit(1)


def _shown(path: str | os.PathLike[str]) -> str:
    """A path as short as it can be said: relative to the working folder when below it."""
    from .report import display_path

    return display_path(os.fspath(path))


from .render.cli import preview as _preview_command  # noqa: E402 - light: imports only click

cli.add_command(_preview_command)

from .render.gallery import gallery as _gallery_command  # noqa: E402 - light: imports only click

cli.add_command(_gallery_command)


from .review.commands import approve as _approve_command  # noqa: E402 - light: imports only click
from .review.commands import pack as _pack_command  # noqa: E402
from .review.commands import review as _review_command  # noqa: E402
from .review.commands import serve as _serve_command  # noqa: E402

for _command in (_serve_command, _review_command, _approve_command, _pack_command):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every known error into one line and exit code 2."""
    try:
        cli.main(args=argv, prog_name="lnm", standalone_mode=False)
    except LnmError as exc:
        _fail(exc)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(2)
    except click.exceptions.Abort:
        click.echo("lnm: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        click.echo("lnm: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as exc:  # a bug: one line and exit 3, so CI never reads it as findings (1)
        _internal_error(exc)
    sys.exit(0)


def _internal_error(exc: BaseException) -> NoReturn:
    from .errors import InternalError

    if _debug_wanted():
        import traceback

        traceback.print_exception(exc)
    hint = "" if _debug_wanted() else " (run with --debug or LNM_DEBUG=1 for the traceback)"
    click.echo(f"lnm: {InternalError.from_exception(exc).one_line()}{hint}", err=True)
    sys.exit(3)
