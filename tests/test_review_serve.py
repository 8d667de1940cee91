"""``lnm serve`` driven for real: the command in a subprocess, the page in headless Chromium."""

from __future__ import annotations

import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_lnm
from .preview_support import hostile_spec, http_get

SPEC = EXAMPLES / "JP" / "shipment_completed_ja.json"


class Server:
    def __init__(self, cwd: Path, *args: str) -> None:
        env = {**os.environ, "NO_COLOR": "1"}
        env.pop("LNM_CATALOGUE", None)
        self.proc = subprocess.Popen([sys.executable, "-m", "toolkit", "serve", *args], cwd=cwd, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        self.lines = lines
        assert self.proc.stderr is not None
        stderr = self.proc.stderr
        threading.Thread(target=lambda: [lines.put(line) for line in stderr], daemon=True).start()
        first = lines.get(timeout=30)
        assert " at http://127.0.0.1:" in first, first
        self.url = first.split(" at ")[1].split()[0]

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(timeout=15)
        rest = []
        while not self.lines.empty():
            rest.append(self.lines.get())
        assert self.proc.stderr is not None
        self.proc.stderr.close()
        return code, "".join(rest)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    root = tmp_path_factory.mktemp("serve")
    specs = root / "specs"
    specs.mkdir()
    shutil.copy(SPEC, specs / "shipment.json")
    (specs / "hostile.json").write_text(json.dumps(hostile_spec(), ensure_ascii=False), encoding="utf-8")
    untrimmed = json.loads(SPEC.read_text(encoding="utf-8"))  # two untrimmed values: two G032 info notes
    for item in untrimmed["body"]["items"][:2]:
        item["content"] = " " + item["content"]
    (specs / "untrimmed.json").write_text(json.dumps(untrimmed, ensure_ascii=False, indent=2), encoding="utf-8")
    secret = root / "secret.json"
    secret.write_text(json.dumps({"kind": "template", "templateKey": "SECRET_OUTSIDE"}), encoding="utf-8")
    (specs / "escape.json").symlink_to(secret)
    server = Server(root, "specs", "--port", "0")
    yield server, specs
    if server.proc.poll() is None:
        server.proc.kill()
        server.proc.wait()
    if server.proc.stderr is not None:
        server.proc.stderr.close()  # else a later test's garbage collection reports the pipe unclosed


def _get(url: str) -> tuple[int, str]:
    return http_get(url, timeout=10)


def test_live_reload_keeps_language_and_shows_parse_errors(site, browser) -> None:  # type: ignore[no-untyped-def]
    server, specs = site
    spec = specs / "shipment.json"
    original = spec.read_text(encoding="utf-8")
    page = browser.new_page()
    try:
        page.goto(server.url + "#path=specs/shipment.json&lang=th")
        frame = page.frame_locator("#frames iframe")
        frame.locator(".account-name").wait_for()
        assert frame.locator(".account-name").inner_text() == "くもや本舗"
        assert page.locator("#lang").input_value() == "th"
        assert "การแจ้งเตือนสำคัญ" in frame.locator("body").inner_text()  # chrome in the app language
        assert "shipment_completed_ja" in page.locator("#body").inner_text()
        assert page.locator("#findings li").count() > 0
        assert page.locator("#findings .src").first.inner_text().startswith(
            page.locator("#findings .where").first.inner_text().split()[1].rstrip(","))

        spec.write_text(original.replace("くもや本舗", "くもや本舗 新館"), encoding="utf-8")
        page.locator("body:not([data-version='0'])").wait_for(state="attached", timeout=5000)
        frame.locator(".account-name", has_text="新館").wait_for(timeout=5000)
        assert page.locator("#lang").input_value() == "th"  # the choice survives the reload

        spec.write_text(original[:-40], encoding="utf-8")  # stops parsing
        page.locator("#error").wait_for(state="visible", timeout=5000)
        error = page.locator("#error-text").inner_text()
        assert error.startswith("specs/shipment.json:") and "invalid JSON" in error and "\n" not in error
        # The error takes the preview's place: no stale phone, findings or body stay in view.
        assert page.locator("#frames").is_hidden() and page.locator("#frames iframe").first.is_hidden()
        assert page.locator("#findings li").count() == 0 and page.locator("#body").inner_text() == ""
        assert page.locator("#findings-unknown").is_visible() and page.locator("#stale-note").is_hidden()
        page.locator("#show-good").click()
        frame.locator(".account-name", has_text="新館").wait_for(timeout=5000)
        assert page.locator("#frames iframe").first.is_visible()
        assert page.locator("#frames.stale").count() == 1 and page.locator("#stale-note").is_visible()
        assert page.locator("#show-good").is_hidden()

        spec.write_text(original.replace("くもや本舗", "くもや本舗 本店"), encoding="utf-8")  # parses again
        frame.locator(".account-name", has_text="本店").wait_for(timeout=5000)
        assert page.locator("#frames.stale").count() == 0 and page.locator("#stale-note").is_hidden()
        assert page.locator("#error").is_hidden() and page.locator("#findings li").count() > 0

        page.locator("#all-langs").check()
        page.locator("#frames iframe").nth(4).wait_for()
        assert page.locator("#frames iframe").count() == 5
    finally:
        spec.write_text(original, encoding="utf-8")
        page.close()


def test_content_is_inert_and_nothing_leaves(site, browser) -> None:  # type: ignore[no-untyped-def]
    server, _ = site
    page = browser.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(server.url + "#path=specs/hostile.json")
        frame = page.frame_locator("#frames iframe")
        frame.locator(".account-name").wait_for()
        assert "<script>" in frame.locator(".account-name").inner_text()  # shown as text
        assert page.locator("#frames iframe").get_attribute("sandbox") == ""
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#findings li").count() > 0
    finally:
        page.close()
    assert requests and all(url.startswith(server.url) for url in requests), requests
    status, _ = _get(server.url + "frame?path=specs/hostile.json")
    with urllib.request.urlopen(server.url + "frame?path=specs/hostile.json", timeout=10) as response:
        policy = response.headers["Content-Security-Policy"]
    assert status == 200 and "default-src 'none'" in policy and "sandbox" in policy


@pytest.mark.parametrize("path", ["../secret.json", "specs/../secret.json", "specs/escape.json",
                                  "/etc/passwd", "%2e%2e/secret.json", "specs"])
def test_only_files_under_paths_are_served(site, path: str) -> None:  # type: ignore[no-untyped-def]
    server, _ = site
    for endpoint in ("api/spec?path=", "frame?path="):
        status, text = _get(server.url + endpoint + path)
        assert status == 404, (endpoint, path, status)
        assert "SECRET_OUTSIDE" not in text and "root:" not in text
    status, listing = _get(server.url + "api/specs")
    assert status == 200 and json.loads(listing)["specs"] == ["specs/hostile.json", "specs/shipment.json",
                                                                  "specs/untrimmed.json"]
    assert _get(server.url + "static/..%2f..%2fserver.py")[0] == 404


def test_frame_is_the_html_the_screenshots_use(site) -> None:  # type: ignore[no-untyped-def]
    from toolkit import build_html

    server, specs = site
    status, html = _get(server.url + "frame?path=specs/shipment.json&lang=th&theme=dark&width=414&sample=longest")
    document = json.loads((specs / "shipment.json").read_text(encoding="utf-8"))
    assert status == 200
    assert html == build_html(document, lang="th", theme="dark", width=414, sample="longest",
                              path="specs/shipment.json")
    assert _get(server.url + "frame?path=specs/shipment.json&lang=fr")[0] == 400


def test_info_notes_are_grouped(site, browser) -> None:  # type: ignore[no-untyped-def]
    server, _ = site
    page = browser.new_page()
    try:
        page.goto(server.url + "#path=specs/untrimmed.json")
        page.frame_locator("#frames iframe").locator(".account-name").wait_for()
        page.locator("#findings li").first.wait_for()
        codes = [text.split()[0] for text in page.locator("#findings > li > span:nth-child(2)").all_inner_texts()]
        assert codes.count("G002") == 1 and codes.count("G032") == 1, codes  # the CLI's G002: once per run
        g002 = page.locator("#findings > li", has_text="G002")
        assert "more like this" in g002.inner_text()  # folded as lnm lint folds it
        g032 = page.locator("#findings > li", has_text="G032")
        assert g032.locator("summary").inner_text() == "More like this: 1"
        g032.locator("summary").click()
        assert "line " in g032.locator("details li").inner_text()
    finally:
        page.close()


def test_three_phones_side_by_side_at_1280_and_panels_resize_or_collapse(site, browser) -> None:  # type: ignore[no-untyped-def]
    server, _ = site
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.set_default_timeout(15000)

    def phones_in_view() -> int:
        boxes = [f.bounding_box() for f in page.locator("#frames iframe").all()]
        return sum(1 for b in boxes if b and b["x"] >= 0 and b["x"] + b["width"] <= 1280)

    try:
        page.goto(server.url + "#path=specs/shipment.json&all=1")
        page.locator("#frames iframe").nth(4).wait_for()
        assert phones_in_view() >= 3
        assert page.evaluate("(() => { const f = document.getElementById('frames'); "
                             "return f.scrollWidth > f.clientWidth; })()")  # scroll for the others
        frames = page.locator("#frames").bounding_box()
        aside = page.locator("aside").bounding_box()
        assert aside["y"] >= frames["y"] + frames["height"]  # the findings go below the phones
        assert page.locator("#files").is_hidden()  # the file list starts collapsed...
        page.locator("#toggle-files").click()  # ...and opens on request
        assert page.locator("#files").is_visible() and "files=open" in page.url
        page.locator("#toggle-side").click()
        assert page.locator("#side-sections").is_hidden()
        assert page.locator("#toggle-side").get_attribute("aria-expanded") == "false"

        page.close()
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(server.url + "#path=specs/shipment.json")  # one language: the panels beside the phone
        page.locator("#frames iframe").first.wait_for()
        nav = page.locator("nav").bounding_box()
        assert page.locator("#files").is_visible() and page.locator("#side-sections").is_visible()
        # Both panels carry the browser's resize corner (dragging it is the browser's own UI, which
        # headless Chromium does not answer); a width set as that corner sets it moves the phone.
        for panel in ("nav", "aside"):
            assert page.locator(panel).evaluate("e => getComputedStyle(e).resize") == "horizontal"
        phone = page.locator("#frames iframe").first.bounding_box()
        page.locator("nav").evaluate("e => { e.style.width = (e.offsetWidth + 100) + 'px'; }")
        wider = page.locator("nav").bounding_box()
        assert wider["width"] >= nav["width"] + 99, (nav, wider)
        assert page.locator("#frames iframe").first.bounding_box()["x"] >= phone["x"] + 99
    finally:
        page.close()


def test_port_taken_then_ctrl_c_stops(site) -> None:  # type: ignore[no-untyped-def]
    server, specs = site
    port = server.url.rsplit(":", 1)[1].strip("/")
    second = run_lnm("serve", str(specs), "--port", port)
    assert second.code == 2
    assert second.err.strip() == (f"lnm: port {port} on 127.0.0.1 is already in use (another lnm serve?); "
                                  "stop it or pick another with --port")
    code, rest = server.stop()
    assert code == 0 and "stopped" in rest and "Traceback" not in rest


@pytest.mark.parametrize(("args", "expected"), [
    (["/nonexistent/specs"], "lnm: /nonexistent/specs: no such file or directory"),
    (["--host", "no such host!"], "lnm: --host no such host!: not an address this machine can listen on"),
    (["empty"], "lnm: no .json files under empty"),
])
def test_bad_input_is_one_line(args: list[str], expected: str, tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "spec.json")
    (tmp_path / "empty").mkdir()
    result = run_lnm("serve", *args, cwd=tmp_path)
    assert (result.code, result.err.splitlines()) == (2, [expected])


