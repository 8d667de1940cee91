"""The words lnm shows a person, in their UI language: English, Japanese, Thai or Traditional Chinese.

One translation function, marked at the source (``pybabel extract`` reads these names):

* ``_(msgid, **args)``: the text in the current UI language now, formatted with named ``args``
  (``_("{count} files checked", count=3)``). For anything printed or written in this process.
* ``ngettext(singular, plural, n, **args)``: the same with the language's plural rule; ``n`` is
  also passed to the format as ``{n}`` unless ``args`` names it.
* ``N_(msgid, **args)``: a :class:`Text`, for text that is made before its language is known or
  that crosses a process: module-level constants (a rule's fix, an option's help) and finding
  messages made in lint workers. A :class:`Text` *is* the English string (so fingerprints,
  baselines and hashes never change with the language); :func:`localize` gives it in a language.

The UI language is chosen once per command (:func:`choose` from ``--ui-lang``, ``LNM_UI_LANG``,
``ui-language`` in the configuration, then the locale variables) and set with :func:`set_language`;
the live preview server sets it per request with :func:`using`. Machine surfaces never go through
here: rule codes, JSON keys, exit statuses and paths stay as they are.

Numbers and dates take an explicit ``locale=`` (:func:`format_number`, :func:`format_date`), Babel's
habit; :func:`babel_locale` names the Babel locale of a UI language.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
import string
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

__all__ = ["DEFAULT", "HTML_LANG", "LANGUAGES", "LANGUAGE_NAMES", "N_", "Text", "UnknownLanguage", "_",
           "babel_locale", "choose", "current", "format_date", "format_number", "from_locale", "html_lang",
           "localize", "ngettext", "normalize", "set_language", "using"]

#: UI languages, by the id lnm uses everywhere (``--ui-lang``, ``ui-language``, file names).
LANGUAGES = ("en", "ja", "th", "zh-Hant")
DEFAULT = "en"
#: Each language by its own name, for the language switch of the web pages.
LANGUAGE_NAMES = {"en": "English", "ja": "日本語", "th": "ไทย", "zh-Hant": "繁體中文"}
#: The ``<html lang>`` of a page in each UI language.
HTML_LANG = {"en": "en", "ja": "ja", "th": "th", "zh-Hant": "zh-Hant"}
_BABEL = {"en": "en", "ja": "ja", "th": "th", "zh-Hant": "zh_Hant_TW"}
#: Folder of the catalogues: ``<folder>/<ja|th|zh_Hant>/LC_MESSAGES/lnm.mo``.
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
DOMAINS = ("lnm", "lnm_rules")
_CATALOGUE_ID = {"ja": "ja", "th": "th", "zh-Hant": "zh_Hant"}


class UnknownLanguage(ValueError):
    """A UI language lnm does not have; the message lists the ones it has."""

    def __init__(self, value: str, source: str) -> None:
        self.value = value
        self.source = source
        super().__init__(f"{source}: unknown UI language {value!r}; use {', '.join(LANGUAGES)}")


def normalize(value: str) -> str | None:
    """The UI language a language tag or locale name means, or None when lnm has none for it.

    ``ja``, ``ja_JP.UTF-8``, ``ja-JP`` give ``ja``; ``th``, ``th_TH`` give ``th``; ``zh_TW``,
    ``zh-HK``, ``zh_MO``, ``zh_Hant``, ``zh-Hant-TW`` give ``zh-Hant``; ``en``, ``en_GB``, ``C`` and
    ``POSIX`` give ``en``. Simplified Chinese (``zh_CN``, ``zh-Hans``) and other languages give None.
    """
    text = value.strip().split(".", 1)[0].split("@", 1)[0].replace("-", "_").lower()
    parts = [p for p in text.split("_") if p]
    if not parts:
        return None
    head = parts[0]
    if head in ("c", "posix", "en"):
        return "en"
    if head in ("ja", "th"):
        return head
    if head == "zh":
        rest = set(parts[1:])
        if rest & {"hant", "tw", "hk", "mo"} and "hans" not in rest:
            return "zh-Hant"
    return None


def from_locale(environ: Mapping[str, str] | None = None) -> str:
    """The UI language of the locale variables: the first set one of ``LC_ALL``, ``LC_MESSAGES``,
    ``LANG`` (an empty variable counts as unset, as in gettext); English for any other language."""
    env = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            return normalize(value) or DEFAULT
    return DEFAULT


def choose(flag: str | None = None, config: str | None = None, environ: Mapping[str, str] | None = None,
           config_source: str = "ui-language") -> str:
    """The UI language: ``--ui-lang``, else ``LNM_UI_LANG``, else the configuration's ``ui-language``,
    else the locale. An explicit choice lnm does not have raises :class:`UnknownLanguage`; a locale
    lnm has no catalogue for falls back to English."""
    env = os.environ if environ is None else environ
    for value, source in ((flag, "--ui-lang"), (env.get("LNM_UI_LANG") or None, "LNM_UI_LANG"),
                          (config, config_source)):
        if value:
            found = normalize(value)
            if found is None:
                raise UnknownLanguage(value, source)
            return found
    return from_locale(env)


_process_language = {"value": DEFAULT}
_context_language: contextvars.ContextVar[str | None] = contextvars.ContextVar("lnm_ui_language", default=None)


def set_language(language: str) -> None:
    """Set the UI language of this process (the CLI does this once, before any output)."""
    found = normalize(language)
    if found is None:
        raise UnknownLanguage(language, "UI language")
    _process_language["value"] = found


def current() -> str:
    """The UI language in effect here: the one :func:`using` set in this context, else the process's."""
    return _context_language.get() or _process_language["value"]


@contextlib.contextmanager
def using(language: str | None) -> Iterator[str]:
    """Within the block (this thread or task only), speak ``language`` (None: leave it as it is)."""
    found = normalize(language) if language else current()
    if found is None:
        raise UnknownLanguage(str(language), "UI language")
    token = _context_language.set(found)
    try:
        yield found
    finally:
        _context_language.reset(token)


def html_lang(language: str | None = None) -> str:
    return HTML_LANG[language or current()]


def babel_locale(language: str | None = None) -> str:
    """The Babel locale for numbers and dates in a UI language (Traditional Chinese as in Taiwan)."""
    return _BABEL[language or current()]


@functools.cache
def _translations(language: str) -> Any:
    """Babel translations of one language, every domain merged; None for English (the msgids)."""
    if language == DEFAULT:
        return None
    from babel.support import NullTranslations, Translations

    merged: Any = None
    for domain in DOMAINS:
        found = Translations.load(str(LOCALE_DIR), [_CATALOGUE_ID[language]], domain)
        if isinstance(found, Translations):
            if merged is None:
                merged = found
            else:
                merged.merge(found)
    return merged if merged is not None else NullTranslations()


def _format(text: str, args: Mapping[str, Any], language: str, fallback: str | None = None) -> str:
    """``text`` formatted with ``args`` (a :class:`Text` argument shown in ``language``); when a
    translation's fields do not fit the arguments, the English ``fallback`` instead: a broken
    translation never breaks a run."""
    if not args:
        return text
    shown = {k: localize(v, language) if isinstance(v, Text) else v for k, v in args.items()}
    try:
        return text.format(**shown)
    except (KeyError, IndexError, ValueError, AttributeError):
        if fallback is not None and fallback != text:
            return _format(fallback, args, language)
        raise


def _gettext(msgid: str, language: str) -> str:
    found = _translations(language)
    return msgid if found is None else found.gettext(msgid)


def _(msgid: str, **args: Any) -> str:
    """``msgid`` in the current UI language, formatted with ``args``."""
    if isinstance(msgid, Text) and not args:
        return localize(msgid)
    language = current()
    return _format(_gettext(msgid, language), args, language, msgid)


def ngettext(singular: str, plural: str, n: int, **args: Any) -> str:
    """The form of ``singular``/``plural`` for ``n`` in the current UI language, formatted."""
    language = current()
    found = _translations(language)
    english = singular if n == 1 else plural
    chosen = english if found is None else found.ngettext(singular, plural, n)
    args.setdefault("n", n)
    return _format(chosen, args, language, english)


class Text(str):
    """An English text that can be shown in any UI language: it remembers its msgid and arguments.

    It is an ordinary ``str`` (the English text), so code that compares, hashes, pickles or prints it
    sees English; :func:`localize` turns it into the words of a UI language.
    """

    __slots__ = ("msgid", "args")
    msgid: str
    args: dict[str, Any]

    def __new__(cls, msgid: str, args: Mapping[str, Any] | None = None) -> Text:
        values = dict(args or {})
        self = super().__new__(cls, _format(msgid, values, DEFAULT) if values else msgid)
        self.msgid = msgid
        self.args = values
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (Text, (self.msgid, self.args))

    def __deepcopy__(self, memo: Any) -> Text:
        return self

    def __copy__(self) -> Text:
        return self


def N_(msgid: str, **args: Any) -> Text:  # noqa: N802 - the gettext convention for a deferred string
    """Mark ``msgid`` for the catalogue and translate it later, where it is shown (:func:`localize`)."""
    return Text(msgid, args)


def localize(text: str, language: str | None = None) -> str:
    """``text`` in ``language`` (default: the current UI language).

    A :class:`Text` is translated; any other string is returned as it is (it was already made in the
    UI language, or it is not lnm's words at all: a file name, a value from the message)."""
    if not isinstance(text, Text):
        return text
    lang = language or current()
    return _format(_gettext(text.msgid, lang), text.args, lang, text.msgid)


def format_number(value: float, *, locale: str | None = None) -> str:
    """A number with the grouping of a UI language (``1,234``)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=babel_locale(locale)))


def format_date(value: Any, *, locale: str | None = None, format: str = "medium") -> str:
    """A date or date-time in a UI language's own format (``2026/12/06``, ``6 ธ.ค. 2569``)."""
    from datetime import datetime

    from babel.dates import format_date as babel_date
    from babel.dates import format_datetime

    loc = babel_locale(locale)
    if isinstance(value, datetime):
        return str(format_datetime(value, format=format, locale=loc))
    return str(babel_date(value, format=format, locale=loc))


def placeholders(text: str) -> set[str]:
    """The named ``{fields}`` of a format string (for the catalogue tests)."""
    try:
        return {name.split(".")[0].split("[")[0] for _, name, _, _ in string.Formatter().parse(text) if name}
    except ValueError:
        return {"<malformed>"}
