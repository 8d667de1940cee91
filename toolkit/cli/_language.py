"""The UI language of one run, chosen before anything is printed (``--help`` included).

Order: ``--ui-lang`` (the last one on the command line, so a subcommand's wins over the group's),
``LNM_UI_LANG``, ``ui-language`` in the configuration found for the current folder, the locale
(:func:`toolkit.i18n.choose`). ``main()`` reads ``--ui-lang`` from the arguments before click parses
them, since click prints ``--help`` while it parses; every command also declares the option, so
that click accepts it anywhere and names it in the help.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import click

from .. import i18n
from ..errors import UsageError
from ..i18n import N_, _

__all__ = ["OPTION", "add_ui_lang_option", "choose_language", "chosen", "localize_help", "scan_argv", "start"]

OPTION = "--ui-lang"
_HELP = N_("Language of lnm's words: en, ja, th or zh-Hant (also LNM_UI_LANG, or ui-language in the "
           "configuration; default: the locale).")
F = TypeVar("F", bound=Callable[..., Any])
#: Where the UI language of this run came from (for ``lnm doctor``).
_CHOSEN = {"source": "default"}


def scan_argv(argv: Sequence[str]) -> str | None:
    """The value of the last ``--ui-lang VALUE`` or ``--ui-lang=VALUE`` before ``--`` (None: none)."""
    found = None
    for index, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == OPTION and index + 1 < len(argv):
            found = argv[index + 1]
        elif arg.startswith(OPTION + "="):
            found = arg[len(OPTION) + 1:]
    return found


def _unknown(value: str, source: str) -> UsageError:
    return UsageError(_("{source}: unknown UI language '{value}'; use {choices}", source=source, value=value,
                        choices=", ".join(i18n.LANGUAGES)))


def choose_language(flag: str | None, environ: Any = None) -> tuple[str, str]:
    """The UI language for this run (see the module docstring) and where it came from; a value lnm
    does not have is a :class:`UsageError` naming its source (the configuration's file and line)."""
    env = os.environ if environ is None else environ
    if flag is not None and not flag.strip():
        raise _unknown(flag, OPTION)
    if flag or env.get("LNM_UI_LANG"):
        try:
            return i18n.choose(flag, environ=env), OPTION if flag else "LNM_UI_LANG"
        except i18n.UnknownLanguage as exc:
            raise _unknown(exc.value, exc.source) from None
    from ..lint.config import ui_language_setting

    setting = ui_language_setting(os.getcwd())
    if setting is None:
        source = next((name for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "default")
        return i18n.from_locale(env), source
    value, config = setting
    found = i18n.normalize(value) if isinstance(value, str) and value.strip() else None
    if found is None:
        raise config.error(["ui-language"], _("unknown UI language '{value}'; use {choices}", value=value,
                                              choices=", ".join(i18n.LANGUAGES)))
    return found, f"{config.path}: {config.prefix}ui-language"


def _set(choice: tuple[str, str]) -> None:
    i18n.set_language(choice[0])
    _CHOSEN["source"] = choice[1]


def chosen() -> dict[str, str]:
    """The UI language of this run and its source: ``--ui-lang``, ``LNM_UI_LANG``, the configuration
    file and key, the locale variable, or ``default``."""
    return {"language": i18n.current(), "source": _CHOSEN["source"]}


def _chosen(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        _set(choose_language(value))


def _option_settings() -> dict[str, Any]:
    return {"metavar": "LANG", "expose_value": False, "is_eager": True, "callback": _chosen, "help": _HELP}


def add_ui_lang_option(command: click.Command) -> None:
    """Give ``command`` and every subcommand ``--ui-lang``, unless one declares its own."""
    if not any(OPTION in getattr(p, "opts", ()) for p in command.params):
        command.params.append(click.Option([OPTION], **_option_settings()))
    for sub in getattr(command, "commands", {}).values():
        add_ui_lang_option(sub)


def localize_help(command: click.Command) -> None:
    """Show the help of ``command``, its options and subcommands in the current UI language (the
    English texts are kept, so it can be called again for another language)."""
    for thing in (command, *command.params):
        for attr in ("help", "short_help", "epilog"):
            if not hasattr(thing, attr):
                continue
            english = thing.__dict__.setdefault(f"_lnm_{attr}", getattr(thing, attr))
            if english:
                setattr(thing, attr, _(english))
    for sub in getattr(command, "commands", {}).values():
        localize_help(sub)


def start(command: click.Command, argv: Sequence[str]) -> None:
    """Choose the UI language from ``argv`` and the environment, before any output; make click's
    own words and the help of ``command`` follow it. A bad choice is a :class:`UsageError`, told in
    the locale's language."""
    from ._click_words import install

    install()
    i18n.set_language(i18n.from_locale())
    _set(choose_language(scan_argv(argv)))
    localize_help(command)
