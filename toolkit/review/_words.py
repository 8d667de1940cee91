"""The words of the review pages (``lnm serve``, ``lnm review``, ``lnm pack``) in the UI languages.

* :func:`environment`: the Jinja environment of the pages' templates, with ``_`` and ``ngettext``
  speaking the current UI language (``lnm serve`` sets it per request, ``lnm pack`` for the summary).
* :func:`script_strings`: the ``_("...")`` texts of a page's script, translated, for the script's
  own ``_()`` to look up (the same texts ``make messages`` extracts from it).
* :class:`Switchable`: for the static review report, which changes language with no server: each
  text is made in every UI language, shown in the first and swapped by the page's script.
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import i18n

__all__ = ["Switchable", "environment", "script_json", "script_strings"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


def environment() -> Any:
    """The pages' Jinja environment: autoescaped, strict, ``_``/``ngettext`` in the current UI language."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(_=i18n._, ngettext=i18n.ngettext, localize=i18n.localize)
    return env


@functools.cache
def _script_msgids(path: Path) -> tuple[str, ...]:
    from babel.messages.extract import extract

    found = extract("javascript", io.BytesIO(path.read_bytes()), keywords={"_": None})
    return tuple(dict.fromkeys(str(message) for _line, message, _comments, _context in found if message))


def script_strings(path: Path, language: str) -> dict[str, str]:
    """``{msgid: text}`` of every ``_("...")`` in the script at ``path``, in ``language``."""
    with i18n.using(language):
        return {msgid: i18n._(msgid) for msgid in _script_msgids(path)}


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe inside a ``<script type="application/json">`` element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _numbers(args: dict[str, Any], language: str) -> dict[str, Any]:
    """Counts in the language's number format (``1,234``), dates in its date format; other values
    as they are; a :class:`~toolkit.i18n.Text` in the language."""
    import datetime

    def shown(value: Any) -> Any:
        if isinstance(value, int) and not isinstance(value, bool):
            return i18n.format_number(value, locale=language)
        if isinstance(value, datetime.date):
            return i18n.format_date(value, locale=language)
        if isinstance(value, i18n.Text):
            return i18n.localize(value, language)
        return value

    return {k: shown(v) for k, v in args.items()}


class Switchable:
    """Texts made in every UI language for a page that switches language by itself.

    ``gettext``/``ngettext`` (the templates' ``_``/``ngettext``) and :meth:`text` give a
    :class:`Words`: shown in the page's first language, with a key into :meth:`table`, which holds
    every language's text of every key. Texts that are the same in every language share one key.
    """

    def __init__(self, first: str) -> None:
        self.first = first
        self._keys: dict[tuple[str, ...], str] = {}
        self._table: dict[str, dict[str, str]] = {lang: {} for lang in i18n.LANGUAGES}

    def each(self, produce: Callable[[str], str], html: bool = False) -> Words:
        texts = {}
        for lang in i18n.LANGUAGES:
            with i18n.using(lang):
                texts[lang] = produce(lang)
        signature = (("h" if html else "t"), *(texts[lang] for lang in i18n.LANGUAGES))
        key = self._keys.get(signature)
        if key is None:
            key = self._keys[signature] = f"{'h' if html else 't'}{len(self._keys)}"
            for lang, text in texts.items():
                self._table[lang][key] = text
        return Words(key, texts[self.first], html)

    def gettext(self, msgid: str, **args: Any) -> Words:
        return self._sentence(lambda fields: i18n._(msgid, **fields), args)

    def ngettext(self, singular: str, plural: str, n: int, **args: Any) -> Words:
        """Name the count ``{count}`` (passed as ``count=``) to have it in the language's number format."""
        return self._sentence(lambda fields: i18n.ngettext(singular, plural, n, **fields), args)

    def _sentence(self, translate: Callable[[dict[str, Any]], str], args: dict[str, Any]) -> Words:
        from markupsafe import Markup, escape

        if any(isinstance(v, Markup) for v in args.values()):
            # Markup in the sentence (<code>, <kbd>): the translation escaped, then its fields filled
            # (escaped too, unless they are markup themselves).
            def html(lang: str) -> str:
                template = translate({k: "{" + k + "}" for k in args})
                return str(Markup(escape(template)).format(**_numbers(args, lang)))

            return self.each(html, html=True)
        return self.each(lambda lang: translate(_numbers(args, lang)))

    def text(self, value: Any) -> Any:
        """A :class:`~toolkit.i18n.Text` (a finding's message, its fix) in every language; any
        other value (the message's own content, a path) as it is."""
        if not isinstance(value, i18n.Text):
            return value
        return self.each(lambda lang: i18n.localize(value, lang))

    def table(self) -> dict[str, dict[str, str]]:
        return self._table


class Words:
    """One switchable text: ``{{ words }}`` is a ``<span>`` the script swaps, ``words.key`` and
    ``words.plain`` are for an element or attribute that carries the key itself."""

    __slots__ = ("html", "key", "plain")

    def __init__(self, key: str, plain: str, html: bool) -> None:
        self.key = key
        self.plain = plain
        self.html = html

    def __html__(self) -> str:
        from markupsafe import Markup, escape

        inner = Markup(self.plain) if self.html else escape(self.plain)
        return str(Markup('<span data-t="{}">').format(self.key) + inner + Markup("</span>"))

    def __str__(self) -> str:
        return self.plain
