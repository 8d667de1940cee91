"""No user-facing string outside the catalogue: a check over the code.

Words reach a person through a few doors: ``click.echo``/``print``/``echo``/``warn`` calls, the
errors lnm raises (its own exception tree and click's usage errors), a rule's ``Hit``, and click's
``help=``. A string literal or f-string with letters in it that goes straight through one of those
doors, without ``_()``, ``ngettext()`` or ``N_()``, is a string no translator will ever see. A line
may opt out with the comment ``# i18n: not UI text`` (and a reason), for text that is not words for
a person (a machine format, a literal protocol token).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "toolkit"
OPT_OUT = "# i18n: not UI text"

#: Calls whose first argument a person reads.
PRINTERS = {"echo", "secho", "print", "warn", "fail", "note", "say"}
#: Exceptions whose message a person reads: lnm's tree and click's.
ERRORS = {"LnmError", "InputError", "UsageError", "CatalogueError", "PlaceholderError", "BudgetExceeded",
          "RenderError", "OutputError", "InternalError", "ClickException", "BadParameter", "BadOptionUsage",
          "BadArgumentUsage", "FileError"}
WRAPPERS = {"_", "N_", "ngettext", "localize"}
_LETTERS = re.compile(r"[A-Za-z]{2,}")
#: The program's name before a line (``lnm: ...``) is not a word to translate.
_PROGRAM = re.compile(r"\blnm\b")


def _words(text: str) -> bool:
    return bool(_LETTERS.search(_PROGRAM.sub("", text)))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _bare_words(node: ast.expr | None) -> bool:
    """A literal with words in it, not wrapped in a translation call."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return _words(node.value)
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and isinstance(v.value, str) and _words(v.value)
                   for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _bare_words(node.left) or _bare_words(node.right)
    return False


def _offenders(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        suspects: list[ast.expr] = []
        if name in PRINTERS and node.args:
            suspects.append(node.args[0])
        elif name in ERRORS and node.args:
            suspects.append(node.args[0])
        elif name == "Hit" and len(node.args) >= 2:
            suspects.extend(node.args[1:3])
        suspects.extend(k.value for k in node.keywords if k.arg in ("help", "message", "fix", "short_help"))
        for suspect in suspects:
            if _bare_words(suspect):
                span = lines[node.lineno - 1:(node.end_lineno or node.lineno)]
                if not any(OPT_OUT in line for line in span):
                    found.append(f"{path.relative_to(ROOT)}:{suspect.lineno}: {ast.unparse(suspect)[:80]}")
    return found


def test_every_user_facing_string_goes_through_the_catalogue() -> None:
    offenders = [hit for path in sorted(PACKAGE.rglob("*.py")) if "i18n" not in path.parts
                 for hit in _offenders(path)]
    assert not offenders, (f"{len(offenders)} strings a person reads are not marked for translation "
                           "(wrap in _(), ngettext() or N_(), or mark the line '# i18n: not UI text'):\n"
                           + "\n".join(offenders))


def test_the_check_finds_an_unmarked_string(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('import click\nclick.echo(f"{n} files checked")\nraise UsageError("bad value")\n'
                      'click.echo(_("{n} files", n=1))\nclick.echo("--")\n'
                      'yield Hit(path, "too long")\n'
                      'click.echo("GET / HTTP/1.1")  # i18n: not UI text (a protocol line)\n'
                      'click.echo(f"lnm: {line}")\n', encoding="utf-8")
    hits = [h.split(": ", 1)[1] for h in _offenders_at(sample)]
    assert hits == ["f'{n} files checked'", "'bad value'", "'too long'"]


def _offenders_at(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent  # noqa: PLW0603 - the report is relative to the root
    try:
        return _offenders(path)
    finally:
        ROOT = saved
