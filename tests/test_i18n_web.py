"""The review pages in the UI languages: ``lnm serve``, the ``lnm review`` report and the ``lnm pack`` summary.

Two kinds of checks. The mechanism, always: ``<html lang>``, the language switch, each request in its
own language, and every word coming from the catalogue; for that a marked catalogue stands in for
the real one (every text of language X reads ``[X] text``), so the checks hold whatever the
translators have done so far. The real catalogue, through the real command: each label is what the
catalogue gives in that language (its translation where it has one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import threading
import time
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from toolkit import i18n

from .conftest import EXAMPLES, run_lnm
from .preview_support import http_get

SPEC = EXAMPLES / "JP" / "shipment_completed_ja.json"
THAI_FLEX = EXAMPLES / "TH" / "flex_payment_due_th.json"
TAIWAN_FLEX = EXAMPLES / "TW" / "flex_payment_due_tw.json"
OTHERS = [lang for lang in i18n.LANGUAGES if lang != "en"]


class _Marked:
    """A catalogue in which every text of a language is marked with it: ``[ja] Findings``."""

    def __init__(self, language: str) -> None:
        self.language = language

    def gettext(self, msgid: str) -> str:
        return f"[{self.language}] {msgid}"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"[{self.language}] {singular if n == 1 else plural}"


@pytest.fixture
def marked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "_translations", lambda language: None if language == "en" else _Marked(language))


def said(language: str, msgid: str, **args: Any) -> str:
    """``msgid`` as the catalogue gives it in ``language`` (its translation, or English without one)."""
    with i18n.using(language):
        return i18n._(msgid, **args)


def _get(url: str) -> tuple[int, str]:
    return http_get(url, timeout=20)


def _html_lang(html: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', html)
    assert found, html[:200]
    return found.group(1)


def _specs(root: Path) -> Path:
    specs = root / "specs"
    specs.mkdir()
    shutil.copy(SPEC, specs / "shipment.json")
    (specs / "notes.json").write_text('{"just": "data"}', encoding="utf-8")  # not a message: an error line
    return specs


class _InProcess:
    """``lnm serve``'s application on a real socket, in this process (so the marked catalogue applies)."""

    def __init__(self, specs: Path, language: str) -> None:
        import uvicorn

        from toolkit.review.server import create_app
        from toolkit.review.specs import SpecIndex
        from toolkit.spec.catalogue import load_catalogue

        os.chdir(specs.parent)
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        app = create_app(SpecIndex(["specs"]), load_catalogue(), language=language)
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on", ws="none"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.05)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture
def served(tmp_path: Path, marked: None) -> Iterator[_InProcess]:
    here = os.getcwd()
    server = _InProcess(_specs(tmp_path), "ja")
    yield server
    server.stop()
    os.chdir(here)


def test_serve_page_starts_in_its_language_and_switches_without_a_restart(served: _InProcess, browser: Any) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    failed: list[str] = []  # the browser's own favicon request is the server's only 404
    page.on("response", lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None)
    try:
        page.goto(served.url + "#path=specs/shipment.json&lang=th")
        page.frame_locator("#frames iframe").locator(".account-name").wait_for()
        page.locator("#findings li").first.wait_for()
        # The language the server was started in; the page's script speaks it too (its strings come
        # from the catalogue through the page); the chat screen keeps its own app language.
        assert page.evaluate("document.documentElement.lang") == "ja"
        assert page.locator("#controls label").first.inner_text().startswith("[ja] App language")
        assert page.locator("#findings .where").first.inner_text().startswith("[ja] line ")
        assert page.locator("#ui-lang").input_value() == "ja"
        assert "การแจ้งเตือนสำคัญ" in page.frame_locator("#frames iframe").locator("body").inner_text()

        for lang, label in (("th", "[th] App language"), ("zh-Hant", "[zh-Hant] App language"), ("en", "App language")):
            page.locator("#ui-lang").select_option(lang)
            page.locator(f'html[lang="{lang}"]').wait_for(state="attached")
            page.locator("#findings li").first.wait_for()
            assert page.locator("#controls label").first.inner_text().startswith(label)
            assert page.locator("#lang").input_value() == "th"  # the file and app language stay
            assert page.locator("#title").inner_text().endswith("(specs/shipment.json)")
            where = page.locator("#findings .where").first.inner_text()
            assert where.startswith(f"[{lang}] line ") if lang != "en" else where.startswith("line ")
        # The choice is the page's, not the server's: a new page opens in the starting language.
        other = browser.new_page()
        other.goto(served.url)
        assert other.evaluate("document.documentElement.lang") == "ja"
        other.close()
        assert failed == [] and all("404" in e for e in errors), (failed, errors)
    finally:
        page.close()


def test_each_request_speaks_its_own_language(served: _InProcess) -> None:
    """Requests in different languages at once, each answered in its own (no leak between threads)."""
    def ask(lang: str) -> tuple[str, str]:
        status, text = _get(served.url + f"api/spec?path=specs/notes.json&ui={lang}")
        assert status == 200, text
        return lang, json.loads(text)["error"]

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(ask, [*i18n.LANGUAGES] * 6))
    for lang, error in answers:
        assert error.startswith("specs/notes.json:1:1: ")
        assert ("[" + lang + "] not a LINE notification message" in error) if lang != "en" else (
            "] " not in error and "not a LINE notification message" in error)
    status, text = _get(served.url + "frame?path=specs/gone.json&ui=th")
    assert status == 404 and _html_lang(text) == "th" and "[th] not a message file" in text
    status, text = _get(served.url + "api/spec?path=specs/gone.json&ui=zh-Hant")
    assert status == 404 and json.loads(text)["error"].startswith("[zh-Hant] ")
    # An unknown ?ui= is the starting language, not an error.
    assert _html_lang(_get(served.url + "?ui=fr")[1]) == "ja"


def test_serve_page_words_come_from_the_catalogue(tmp_path: Path) -> None:
    """The real command and catalogue: each language's page says what the catalogue says."""
    import queue
    import signal
    import subprocess
    import sys

    _specs(tmp_path)
    env = {**os.environ, "NO_COLOR": "1", "LNM_UI_LANG": "th"}
    proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", "specs", "--port", "0"], cwd=tmp_path,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    assert proc.stderr is not None
    stderr = proc.stderr
    threading.Thread(target=lambda: [lines.put(line) for line in stderr], daemon=True).start()
    try:
        url = re.search(r"http://\S+/", lines.get(timeout=30))
        assert url, "no URL on the first line"
        from toolkit.review._words import script_strings
        from toolkit.review.server import STATIC

        start = _get(url.group(0))[1]  # no ?ui=: the UI language lnm serve started in
        assert _html_lang(start) == "th" and 'value="th" lang="th" selected' in start
        for lang in i18n.LANGUAGES:
            status, html = _get(url.group(0) + f"?ui={lang}")
            assert status == 200 and _html_lang(html) == i18n.HTML_LANG[lang]
            assert f"<title>{said(lang, 'lnm live preview')}</title>" in html
            assert f">{said(lang, 'Findings')}</h3>" in html
            for code, name in i18n.LANGUAGE_NAMES.items():
                assert f'<option value="{code}" lang="{code}"' in html and f">{name}</option>" in html
            strings = json.loads(re.search(r'<script type="application/json" id="lnm-strings">(.*?)</script>',
                                           html).group(1))  # type: ignore[union-attr]
            assert strings == script_strings(STATIC / "app.js", lang)
            assert strings["Fix: {fix}"] == said(lang, "Fix: {fix}")
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=15)
        stderr.close()


@pytest.fixture(scope="module")
def approved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A spec approved on a known date, and its approvals file."""
    import datetime

    from toolkit.review.approvals import approve
    from toolkit.spec.catalogue import load_catalogue

    root = tmp_path_factory.mktemp("approved")
    (root / ".git").mkdir()
    spec = root / "specs" / "shipment.json"
    spec.parent.mkdir()
    shutil.copy(SPEC, spec)
    file = root / ".lnm" / "approvals.json"
    approve([str(spec)], load_catalogue(), by="Aiko", file=file,
            now=datetime.datetime(2026, 12, 6, 10, 30, tzinfo=datetime.UTC))
    return spec, file


def _words_table(html: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="lnm-strings">(.*?)</script>', html)
    assert found
    return dict(json.loads(found.group(1)))


def test_report_switches_language_in_the_page(tmp_path: Path, approved: tuple[Path, Path], marked: None,
                                              browser: Any) -> None:
    import datetime

    from toolkit.review.report import write_report

    spec, file = approved
    write_report([str(spec)], tmp_path / "report", approvals=file, language="th")
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert _html_lang(html) == "th"
    when = datetime.datetime(2026, 12, 6, 10, 30, tzinfo=datetime.UTC)
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto((tmp_path / "report" / "index.html").as_uri())
    try:
        assert page.locator("h1").inner_text() == "[th] Review of 1 message"
        assert page.locator("#count").inner_text() == "[th] 1 of 1 shown"
        assert page.title() == "[th] lnm review: 1 message"
        for lang in ("ja", "zh-Hant", "en", "th"):
            page.locator("#ui-lang").select_option(lang)
            assert page.evaluate("document.documentElement.lang") == i18n.HTML_LANG[lang]
            mark = "" if lang == "en" else f"[{lang}] "
            assert page.locator("h1").inner_text() == mark + "Review of 1 message"
            assert page.title() == mark + "lnm review: 1 message"
            assert page.locator("#count").inner_text() == mark + "1 of 1 shown"  # the script's own words
            assert page.locator("article .shots img").first.get_attribute("alt").startswith(mark + "Shipment")
            assert page.locator("article h3").first.inner_text().startswith(mark + "Findings (")
            # Dates in the language's own format; the message's content as it is.
            badge = page.locator(".approval-approved").inner_text()
            assert badge == mark + f"approved by Aiko on {i18n.format_date(when, locale=lang)}"
            assert "shipment_completed_ja" in (page.locator("article details pre").text_content() or "")
            keys = page.locator("span[data-t]", has=page.locator("kbd")).first.inner_text()
            assert keys.startswith(mark + "Keys: j next, k previous message, / filters.")
        page.locator("#f-errors").check()
        assert page.locator("#count").inner_text() == "[th] 0 of 1 shown"
        assert errors == []
    finally:
        page.close()


def test_report_in_each_language_from_the_catalogue(tmp_path: Path, approved: tuple[Path, Path]) -> None:
    """The real command in its UI language (``LNM_UI_LANG``); every language's words embedded, as the
    catalogue has them."""
    spec, file = approved
    result = run_lnm("review", str(spec), "--out", str(tmp_path / "report"), "--approvals", str(file),
                     env={"LNM_UI_LANG": "ja"})
    assert result.code == 0, result.err
    html = (tmp_path / "report" / "index.html").read_text(encoding="utf-8")
    assert _html_lang(html) == "ja"  # starts in the UI language of the run
    assert 'value="ja" lang="ja" selected' in html
    words = _words_table(html)
    assert set(words["table"]) == set(i18n.LANGUAGES) and words["htmlLang"] == i18n.HTML_LANG
    caption = re.search(r'<caption><span data-t="(t\d+)">', html)
    assert caption
    for lang in i18n.LANGUAGES:
        assert words["table"][lang][caption.group(1)] == said(lang, "Chat screen in each app language")
        assert words["script"][lang]["{shown} of {total} shown"] == said(lang, "{shown} of {total} shown")


def _summary(archive: Path) -> tuple[str, bytes]:
    with zipfile.ZipFile(archive) as pack:
        return pack.read("summary.html").decode(), pack.read("summary.pdf")


def _flex(source: Path, target: Path, language: str) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    data["review"] = {"account": "Account", "purpose": "Payment reminders.", "sendingConditions": "Three days before.",
                      "appLanguages": [language]}  # one app language: a quick pack
    target.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def test_pack_summary_defaults_to_the_reviewers_language(tmp_path: Path, marked: None) -> None:
    from toolkit.review.pack import build_pack

    spec = _flex(THAI_FLEX, tmp_path / "due.json", "th")
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API, away from this module's browser's loop
        result = pool.submit(build_pack, [str(spec)], tmp_path / "due.zip").result()
        pool.submit(build_pack, [str(spec)], tmp_path / "due-ja.zip", language="ja").result()
    assert result.messages == 1
    html, pdf = _summary(tmp_path / "due.zip")
    assert _html_lang(html) == "th"
    assert "<h1>[th] Flexible message review pack</h1>" in html
    assert "<dt>[th] Purpose</dt><dd>Payment reminders.</dd>" in html  # the spec's own words stay
    assert b"NotoSansThai" in pdf  # printed with the Thai face
    html, pdf = _summary(tmp_path / "due-ja.zip")
    assert _html_lang(html) == "ja" and "<h1>[ja] Flexible message review pack</h1>" in html
    assert b"NotoSansCJK" in pdf


@pytest.mark.parametrize(("source", "app", "flag", "expected"), [
    (THAI_FLEX, "th", None, "th"),
    (THAI_FLEX, "th", "ja", "ja"),
    (TAIWAN_FLEX, "zh-Hant", None, "zh-Hant"),
    (TAIWAN_FLEX, "zh-Hant", "en", "en"),
])
def test_pack_command_summary_language(tmp_path: Path, source: Path, app: str, flag: str | None,
                                       expected: str) -> None:
    """``lnm pack``: the country's review language with no flag (whatever the locale), ``--ui-lang`` over it."""
    spec = _flex(source, tmp_path / "due.json", app)
    args = ["pack", "due.json", "--out", "due.zip", *(["--ui-lang", flag] if flag else [])]
    result = run_lnm(*args, cwd=tmp_path, env={"LANG": "C.UTF-8", "LC_ALL": "", "LC_MESSAGES": ""})
    assert result.code == 0, result.err
    assert spec.is_file()
    html, _pdf = _summary(tmp_path / "due.zip")
    assert _html_lang(html) == i18n.HTML_LANG[expected]
    assert f"<h1>{said(expected, 'Flexible message review pack')}</h1>" in html
    assert f"<dt>{said(expected, 'Sending conditions')}</dt>" in html


def test_pack_summary_language_choice() -> None:
    from toolkit.review.pack import summary_language

    assert [summary_language([c]) for c in ("JP", "TH", "TW")] == ["ja", "th", "zh-Hant"]
    assert summary_language(["TH", "TH"], "zh_TW") == "zh-Hant"  # chosen wins
    with i18n.using("ja"):
        assert summary_language(["JP", "TH"]) == "ja"  # several countries: the UI language
        assert summary_language([None]) == "ja"
    with pytest.raises(i18n.UnknownLanguage):
        summary_language(["TH"], "fr")


def test_pack_refuses_an_unknown_ui_language(tmp_path: Path) -> None:
    _flex(THAI_FLEX, tmp_path / "due.json", "th")
    result = run_lnm("pack", "due.json", "--out", "due.zip", "--ui-lang", "klingon", cwd=tmp_path)
    assert result.code == 2 and len(result.err.splitlines()) == 1 and "klingon" in result.err
    assert not (tmp_path / "due.zip").exists()


def test_findings_follow_the_language_asked_for() -> None:
    from toolkit.review.specs import localized

    text = i18n.N_("{count} files checked", count=2)
    views = [{"message": text, "fix": i18n.N_("Check it."), "code": "G001", "severity": "error"}]
    for lang in i18n.LANGUAGES:
        (view,) = localized(views, lang)
        assert view["message"] == i18n.localize(text, lang) and view["code"] == "G001"
        assert view["severity"] == "error"  # machine values stay
    assert localized([{"message": "plain", "fix": None}], "ja")[0] == {"message": "plain", "fix": None}
