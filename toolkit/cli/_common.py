"""What the command modules share: the one-line error, the catalogue option, reading inputs."""

from __future__ import annotations

import sys
from typing import Any, NoReturn

import click

from ..errors import LnmError
from ..i18n import N_

__all__ = ["CONTEXT", "QUICK_EXIT", "allow_invalid_option", "catalogue_option", "fail", "load_catalogue_for", "pad",
           "read_document"]

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

#: Set by a command that has written and closed everything it had to and left nothing running: the
#: ``lnm`` command may then leave without tearing the interpreter down (see ``toolkit.cli.run``).
QUICK_EXIT = {"ok": False}


def fail(exc: LnmError) -> NoReturn:
    click.echo(f"lnm: {exc.one_line()}", err=True)
    sys.exit(exc.exit_code)


def load_catalogue_for(extra: tuple[str, ...]) -> Any:
    from ..spec.catalogue import extra_dirs_from_env, load_catalogue

    return load_catalogue(tuple(extra) + extra_dirs_from_env())


catalogue_option = click.option(
    "--catalogue", "catalogue_dirs", multiple=True, type=click.Path(),
    help=N_("Your account's catalogue directory; extends and overrides the shipped one (also LNM_CATALOGUE)."))



allow_invalid_option = click.option(
    "--allow-invalid", is_flag=True,
    help=N_("Hash a number of the right length that libphonenumber calls unassigned (made-up test numbers)."))


def read_document(path: str) -> Any:
    from ..spec.source import load_source

    return load_source(path)


def pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a CJK character takes two)."""
    from ..rules._text import display_width  # here: importing the rules is not for every command

    return text + " " * max(0, width - display_width(text))
