"""Reading specs, filling placeholders and the preview pages in every UI language (issue 17).

An error about a broken file is a :class:`~toolkit.i18n.Text`: its file:line:col and exit status are
the same in every UI language, its words are a catalogue msgid shown in the UI language. A
placeholder error made in the sandbox's worker process crosses as plain data and becomes a Text
again in the parent, which shows it in the UI language. Where a catalogue already translates a
message, the test checks that the translation is what is shown; where it does not yet, English.
"""

from __future__ import annotations

import pickle
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

from tests.conftest import run_lnm
from toolkit import i18n
from toolkit.errors import InputError, LnmError, PlaceholderError
from toolkit.i18n import Text, localize
from toolkit.limits import RenderBudget
from toolkit.spec._worker import from_wire, to_wire
from toolkit.spec.placeholders import fill, prepare
from toolkit.spec.source import load_source

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "toolkit" / "locale"
LANGUAGES = ("en", "ja", "th", "zh-Hant")
_FOLDER = {"ja": "ja", "th": "th", "zh-Hant": "zh_Hant"}

#: Broken files, each with the location its error names.
BROKEN: dict[str, tuple[bytes, int, int]] = {
    "duplicate.json": (b'{\n  "kind": "template",\n  "a": 1,\n  "a": 2\n}\n', 4, 3),
    "syntax.json": (b'{\n  "kind": "template",\n  "x": [1, 2,,]\n}\n', 3, 14),
    "huge.json": (b'{\n "n": 1e999\n}\n', 2, 7),
    "nan.json": (b'{\n "n": NaN\n}\n', 2, 7),
    "latin1.json": (b'{\n "kind": "caf\xe9"\n}\n', 2, 14),
    "bom.json": (b'\xef\xbb\xbf{"kind": "template"}', 1, 1),
    "array.json": (b'[1, 2]\n', 1, 1),
    "surrogate.json": (b'{\n "text": "\\ud800"\n}\n', 2, 10),
    "digits.json": (b'{"n": ' + b"9" * 80 + b"}", 1, 7),
}


@cache
def _msgids() -> frozenset[str]:
    with open(LOCALE / "lnm.pot", "rb") as handle:
        return frozenset(str(m.id) for m in read_po(handle) if isinstance(m.id, str) and m.id)


@cache
def _translations(language: str) -> dict[str, str]:
    """What the catalogue of ``language`` says for each msgid it translates (read from the .po)."""
    with open(LOCALE / _FOLDER[language] / "LC_MESSAGES" / "lnm.po", "rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog
            if isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy}


def _expected(text: Text, language: str) -> str:
    """``text`` as the catalogue of ``language`` has it, by the .po file rather than by lnm's code."""
    found = _translations(language).get(text.msgid) if language != "en" else None
    if found is None:
        return str(text)
    args = {k: _expected(v, language) if isinstance(v, Text) else v for k, v in text.args.items()}
    return found.format(**args) if args else found


def _error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_source(str(path))
    return caught.value


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken")
    for name, (data, _line, _column) in BROKEN.items():
        (folder / name).write_bytes(data)
    return folder


def test_a_reading_error_is_a_catalogue_message_with_its_location(broken: Path) -> None:
    for name, (_data, line, column) in BROKEN.items():
        error = _error_of(broken / name)
        assert isinstance(error.message, Text), name
        assert error.message.msgid in _msgids(), (name, error.message.msgid)
        assert (error.line, error.column) == (line, column), name
        if name == "syntax.json":  # the parser's own words are catalogue messages too
            assert isinstance(error.message.args["reason"], Text) and error.message == "invalid JSON: Expecting value"
        for language in LANGUAGES:
            with i18n.using(language):
                shown = error.one_line()
            assert shown == f"{broken / name}:{line}:{column}: {_expected(error.message, language)}", language


@pytest.mark.parametrize("language", ["ja", "th", "zh-Hant"])
def test_the_cli_names_the_same_place_with_the_same_exit_status(broken: Path, language: str) -> None:
    english = run_lnm("lint", "--no-config", str(broken))
    shown = run_lnm("lint", "--no-config", str(broken), env={"LNM_UI_LANG": language})
    assert english.code == shown.code == 2, (english.err, shown.err)
    where = re.compile(r"^lnm: (.+?\.json):(\d+):(\d+): (.*)$")
    lines = {m.group(1): m for m in map(where.match, shown.err.splitlines()) if m}
    english_lines = {m.group(1): m for m in map(where.match, english.err.splitlines()) if m}
    assert set(lines) == set(english_lines) == {str(broken / name) for name in BROKEN}
    for path, match in lines.items():
        error = _error_of(Path(path))
        assert match.group(2, 3) == english_lines[path].group(2, 3) == (str(error.line), str(error.column))
        assert english_lines[path].group(4) == str(error.message)
        # The UI language, once the command honours LNM_UI_LANG; never anything but these two.
        assert match.group(4) in (_expected(error.message, language), str(error.message)), path


def test_a_spec_error_and_a_missing_sample_are_catalogue_messages(tmp_path: Path) -> None:
    from toolkit.spec.catalogue import load_catalogue
    from toolkit.spec.message import render_spec

    spec = {"kind": "flexible", "language": "xx", "samples": {"default": 3},
            "messages": [{"type": "text", "text": "hi"}], "sample": 1}
    problems = render_spec(spec, load_catalogue())[0].spec_errors
    assert problems and all(isinstance(m, Text) and m.msgid in _msgids() for _path, m in problems)
    with pytest.raises(InputError) as caught:
        render_spec(spec, load_catalogue(), "nope")
    assert caught.value.message == "no sample named 'nope' in this spec (samples: default)"
    assert isinstance(caught.value.message, Text) and caught.value.message.msgid in _msgids()


def test_a_placeholder_error_from_the_worker_is_shown_in_the_ui_language() -> None:
    template = "{% for i in range(2) %}{{ i }}{% endfor %}{{ total | number }}"
    assert prepare(template) is None, "this template must go to the worker process"
    result = fill([(0, template)], [{"total": "abc"}], "ja", RenderBudget())[0]
    assert isinstance(result, PlaceholderError) and result.value == ("abc",)
    message = result.message
    assert isinstance(message, Text) and message == "not a number: 'abc'"
    assert message.msgid == "not a number: {value!r}" and message.msgid in _msgids()
    for language in LANGUAGES:
        assert localize(message, language) == _expected(message, language)
    # Pickled like a lint worker's error, it stays a Text with its place.
    again = pickle.loads(pickle.dumps(InputError(message, path="a.json", line=3, column=9)))
    assert isinstance(again.message, Text) and again.message.args == {"value": "abc"}
    with i18n.using("ja"):
        assert again.one_line() == f"a.json:3:9: {_expected(message, 'ja')}"


def test_a_budget_message_with_a_nested_text_crosses_the_worker() -> None:
    template = "{% for i in range(2) %}{{ i }}{% endfor %}{{ 'x' | center(10 ** 9) }}"
    result = fill([(0, template)], [{}], "en", RenderBudget())[0]
    assert isinstance(result, LnmError) and isinstance(result.message, Text)
    assert result.message.msgid == "placeholder asks for {what} of {value:,}; the limit is {limit:,}"
    assert isinstance(result.message.args["what"], Text) and result.message.startswith(
        "placeholder asks for a width in center of 1,000,000,000; the limit is ")


@pytest.mark.parametrize("msgid", ["{a.__class__}", "{a[0]}", "{a:99999999}", "{missing}", "{a!a}"])
def test_a_worker_cannot_send_a_format_string_that_reaches_further(msgid: str) -> None:
    payload = {"\x00msgid": msgid, "\x00args": {"a": "x"}}
    shown = from_wire(payload)
    assert shown.startswith("placeholder failed: the process that renders it sent an answer")
    assert from_wire(to_wire(i18n.N_("not a number: {value!r}", value=[1]))) == "not a number: [1]"
    assert from_wire({"kind": "a sample value"}).startswith("placeholder failed")
    assert from_wire("plain words") == "plain words"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang: str | None = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def _manifest() -> dict[str, Any]:
    image = {"png": "JP/a.ja.png", "size": [750, 1400], "row": {"png": "JP/a.ja.row.png", "size": [1500, 900]}}
    return {"generatedBy": "lnm gallery", "languages": ["ja"], "browserVersion": "131.0", "entries": [
        {"spec": "JP/a.json", "country": "JP", "templateKey": None, "title": "ご注文", "messageLanguage": "ja",
         "images": {"ja": image}, "contactSheet": {"png": "JP/a.sheet.png"}}]}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_gallery_page_speaks_the_ui_language(language: str) -> None:
    from toolkit.render._gallery_html import index_html
    from toolkit.render.gallery import COUNTRY_NAMES

    with i18n.using(language):
        page = index_html(_manifest(), COUNTRY_NAMES, "lnm gallery --out x")
    parser = _Page()
    parser.feed(page)
    assert parser.lang == i18n.html_lang(language)
    assert parser.title == _expected(i18n.N_("LINE notification message previews"), language)
    assert _expected(i18n.N_("Japan"), language) in page
    assert "ご注文" in page, "the message's own title keeps its language"
    assert "<code>lnm gallery --out x</code>" in page and "<code>lnm gallery</code>" in page


def test_the_visual_report_speaks_the_ui_language(tmp_path: Path) -> None:
    from toolkit.render.visual import CheckReport, CheckResult

    report = CheckReport(tmp_path, [CheckResult("JP/a.ja.png", "missing-baseline", True,
                                                i18n.N_("no approved baseline {path}; review the image and "
                                                        "accept it with --update", path="b/JP/a.ja.png"))])
    english = report.lines()
    assert english == ["JP/a.ja.png: no approved baseline b/JP/a.ja.png; review the image and accept it with --update",
                       f"check against {tmp_path}: 1 image(s), 1 missing-baseline: 1 failed"]
    with i18n.using("ja"):
        japanese = report.lines()
    assert japanese[0].endswith(_expected(report.results[0].message, "ja")) and "JP/a.ja.png" in japanese[0]
    summary = i18n.N_("check against {folder}: {count} image(s), {detail}: {failed} failed", folder=str(tmp_path),
                      count=1, detail="1 missing-baseline", failed=1)
    assert japanese[1] == _expected(summary, "ja")


def test_a_missing_font_line_names_the_scripts_in_the_ui_language() -> None:
    from toolkit.render.discover import DOCTOR_HINT
    from toolkit.render.fonts import SCRIPTS, FontCheck, missing_fonts_error

    checks = {s.key: FontCheck(s, glyphs=s.key not in ("ja", "th")) for s in SCRIPTS}
    needed = [s.key for s in SCRIPTS]
    error, bare = missing_fonts_error(checks, needed), missing_fonts_error(checks, needed, hint=False)
    assert error is not None and bare is not None
    assert error.one_line().startswith("no font for Japanese and Thai in the browser")
    assert error.one_line() == f"{bare.one_line()}; {DOCTOR_HINT}"  # doctor leaves its own pointer out
    with i18n.using("ja"):
        japanese, japanese_bare = missing_fonts_error(checks, needed), missing_fonts_error(checks, needed, hint=False)
        assert japanese is not None and japanese_bare is not None
        shown, shown_bare = japanese.one_line(), japanese_bare.one_line()
    assert _expected(i18n.N_("Japanese"), "ja") in shown and _expected(i18n.N_("Thai"), "ja") in shown
    assert _expected(DOCTOR_HINT, "ja") in shown and _expected(DOCTOR_HINT, "ja") not in shown_bare
