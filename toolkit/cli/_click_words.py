"""Click's own words in lnm's catalogue: the help headings, its options' help and its usage errors.

Click asks ``gettext`` for these through a module-level ``_`` (and ``ngettext``) in each of its
modules; :func:`install` points those names at lnm's catalogue. The msgids below are click's own
text, character for character (``tests/test_i18n_cli.py`` checks that click still says each one).
A plural pair is two entries: lnm's UI languages other than English have one plural form, so the
singular is used for one and the plural otherwise.
"""

from __future__ import annotations

import importlib

from ..i18n import N_, _

__all__ = ["CLICK_MODULES", "WORDS", "install"]

#: Click's modules that translate through a module-level ``_`` (and ``ngettext``).
CLICK_MODULES = ("click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
                 "click.types")

WORDS = (
    # Translators: the heading of a command's help; the command line follows it.
    N_("Usage:"),
    # Translators: a section heading of the help (a colon follows it).
    N_("Options"),
    # Translators: a section heading of the help (a colon follows it).
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    # Translators: shown in the help of an option, as in "[default: text]".
    N_("default: {default}"),
    # Translators: shown in the help of an option that must be given, as in "[required]".
    N_("required"),
    N_("Error: {message}"),
    # Translators: {command} is a command line such as "lnm lint", {option} is "--help".
    N_("Try '{command} {option}' for help."),
    N_("Invalid value: {message}"),
    # Translators: {param_hint} names the option or argument, as in "'--format'".
    N_("Invalid value for {param_hint}: {message}"),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter"),
    N_("Missing command."),
    N_("No such option {name!r}."),
    N_("No such command {name!r}."),
    N_("Did you mean {possibility}?"),
    N_("(Did you mean one of: {possibilities}?)"),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} requires {nargs} arguments."),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("{value!r} is not a valid {number_type}."),
    N_("{value} is not in the range {range}."),
    # Translators: {name} is "File", "Directory" or "Path" (translated too), {filename} a path.
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Aborted!"),
)


def _click_gettext(message: str) -> str:
    return _(message)


def _click_ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def install() -> None:
    """Make click speak the current UI language (once per process; harmless when repeated)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _click_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _click_ngettext  # type: ignore[attr-defined]
