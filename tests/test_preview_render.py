"""The chat screen in real Chromium: labels, glyphs, dates, hostile content, layout, crash recovery."""

from __future__ import annotations

import asyncio
import io
import os
import signal
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageChops

from toolkit.errors import RenderError
from toolkit.render.browser import BrowserPool, Job, find_browser
from toolkit.render.preview import build_html
from toolkit.spec.catalogue import load_catalogue

from .preview_support import (
    LABELS,
    RLO,
    BrowserSession,
    hostile_flexible,
    hostile_spec,
    hostile_template_key,
    spec,
    write_catalogue,
)


class Session(BrowserSession):
    """The module's browser; pages load as plain HTML at a viewport width."""

    def load(self, html: str, width: int = 375) -> Any:
        self.run(self.page.set_viewport_size({"width": width, "height": 800}))
        self.run(self.page.set_content(html))
        return self.page


@pytest.fixture(scope="module")
def session() -> Iterator[Session]:
    s = Session()
    yield s
    s.close()


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return load_catalogue((str(write_catalogue(tmp_path_factory.mktemp("cat"))),))


def test_label_in_each_app_language(session: Session, catalogue: Any) -> None:
    for lang, label in [*LABELS.items(), ("ko", LABELS["en"])]:
        html = build_html(spec(), lang=lang, catalogue=catalogue)
        session.load(html)
        assert session.evaluate("document.querySelector('#important-label').innerText.trim()") == label
        assert session.evaluate("document.querySelector('#important-label').closest('[lang]').lang") == (
            "en" if lang == "ko" else lang)
        png = session.run(session.pool.shoot(session.page, html, 375))
        with Image.open(io.BytesIO(png)) as image:
            assert image.format == "PNG" and image.size[0] == 750 and image.size[1] >= 1334


def test_thai_date_separator_uses_buddhist_year(session: Session, catalogue: Any) -> None:
    session.load(build_html(spec(), lang="th", clock="2024-08-09T18:30:00+07:00", catalogue=catalogue))
    text = session.evaluate("document.querySelector('#date-label').innerText")
    assert "2567" in text and "2024" not in text and "ส.ค." in text


def _shot(session: Session, html: str, selector: str) -> Image.Image:
    page = session.load(html)
    png = session.run(page.locator(selector).first.screenshot(animations="disabled"))
    return Image.open(io.BytesIO(png)).convert("RGB")


def test_chinese_glyphs_follow_lang(session: Session, catalogue: Any) -> None:
    """The same Han text in a zh-Hant container looks different from a ja one (direct, bone)."""
    html = build_html({"messages": [{"type": "text", "text": "直骨複"}]}, lang="zh-Hant", catalogue=catalogue)
    assert 'class="bubble" lang="zh-Hant"' in html
    traditional = _shot(session, html, ".bubble")
    again = _shot(session, html, ".bubble")
    japanese = _shot(session, html.replace('class="bubble" lang="zh-Hant"', 'class="bubble" lang="ja"'), ".bubble")
    simplified = _shot(session, html.replace('class="bubble" lang="zh-Hant"', 'class="bubble" lang="zh-Hans"'),
                       ".bubble")
    assert ImageChops.difference(traditional, again).getbbox() is None, "rendering is deterministic"
    for other in (japanese, simplified):
        assert other.size != traditional.size or ImageChops.difference(traditional, other).getbbox() is not None
    # and the label 重要通知 itself under zh-Hant differs from the same characters under ja
    label_html = build_html(spec(), lang="zh-Hant", catalogue=catalogue)
    tc = _shot(session, label_html, ".label-text")
    jp = _shot(session, label_html.replace('id="important-label" lang="zh-Hant"', 'id="important-label" lang="ja"'),
               ".label-text")
    assert tc.size != jp.size or ImageChops.difference(tc, jp).getbbox() is not None


_INSPECT = """() => {
  const phone = document.getElementById('phone').getBoundingClientRect();
  const out = {phone: [phone.left, phone.right], escaped: [], cards: []};
  for (const card of document.querySelectorAll('.card, .bubble')) {
    const c = card.getBoundingClientRect();
    let worst = 0;
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0) continue;
      worst = Math.max(worst, c.left - r.left, r.right - c.right);
    }
    out.cards.push({left: c.left, right: c.right, overflow: worst, scroll: card.scrollWidth - card.clientWidth});
  }
  const label = document.getElementById('important-label').getBoundingClientRect();
  const avatar = document.querySelector('.avatar').getBoundingClientRect();
  out.labelRightOfAvatar = label.left >= avatar.right;
  out.elements = Array.from(document.querySelectorAll('#phone script, #phone img, #phone iframe, #phone a, '
    + '#phone [onerror], #phone [onload], #phone [onmouseover], #phone b')).length;
  out.pwned = window.__pwned === undefined ? null : window.__pwned;
  out.docWidth = document.documentElement.scrollWidth;
  return out;
}"""


@pytest.mark.parametrize("width", [320, 375])
@pytest.mark.parametrize("make", [hostile_spec, hostile_template_key, hostile_flexible])
def test_hostile_content_stays_text_inside_its_card(session: Session, catalogue: Any, make: Any,
                                                    width: int) -> None:
    blocked_before = len(session.pool.blocked)
    session.load(build_html(make(), lang="en", width=width, catalogue=catalogue), width=width)
    info = session.evaluate(_INSPECT)
    assert info["pwned"] is None, "no script ran"
    assert info["elements"] == 0, "no markup from the message became elements"
    assert len(session.pool.blocked) == blocked_before, "no request left the page"
    left, right = info["phone"]
    assert right - left == width and info["docWidth"] <= width
    assert info["cards"], "the message is on screen"
    for card in info["cards"]:
        assert left <= card["left"] and card["right"] <= right, card
        assert card["overflow"] <= 0.5 and card["scroll"] <= 0, card
    assert info["labelRightOfAvatar"], "a right-to-left override does not move the chrome"


def test_requests_are_blocked_and_counted(session: Session) -> None:
    """The route handler sees and aborts a request that slipped past everything else."""
    before = len(session.pool.blocked)
    page = session.run(session.pool.new_page())  # a fresh page: no CSP from an earlier preview
    session.run(page.set_content("<p>x</p>"))
    status = session.run(page.evaluate("() => fetch('https://example.com/beacon').then(() => 'sent', () => 'failed')"))
    session.run(page.close())
    assert status == "failed"
    assert session.pool.blocked[before:] == ["https://example.com/beacon"]


def test_rtl_override_stays_inside_its_row(session: Session, catalogue: Any) -> None:
    doc = {"templateKey": "shipment_completed_ja", "body": {"items": [
        {"itemKey": "name_010_ja", "content": RLO + " value"},
        {"itemKey": "price_001_ja", "content": "12,000円"}]}}
    session.load(build_html(doc, lang="ja", catalogue=catalogue))
    rows = session.evaluate("""() => Array.from(document.querySelectorAll('.item')).map(row => {
        const dt = row.querySelector('dt').getBoundingClientRect(), dd = row.querySelector('dd').getBoundingClientRect();
        return [dt.right <= dd.left, row.querySelector('dt').innerText]; })""")
    assert rows == [[True, "商品名"], [True, "お支払い金額"]]


def _png(session: Session, html: str, width: int) -> Image.Image:
    png = session.run(session.pool.shoot(session.page, html, width))
    return Image.open(io.BytesIO(png))


def test_widths_and_dark_theme(session: Session, catalogue: Any) -> None:
    for width in (320, 375, 414):
        image = _png(session, build_html(spec(), lang="ja", width=width, catalogue=catalogue), width)
        assert image.size[0] == 2 * width and image.size[1] >= 2 * round(width * 667 / 375)
    light = _png(session, build_html(spec(), lang="ja", catalogue=catalogue), 375)
    dark = _png(session, build_html(spec(), lang="ja", theme="dark", catalogue=catalogue), 375)
    assert light.size == dark.size
    assert sum(light.getpixel((375, 1250))[:3]) > 450 and sum(dark.getpixel((375, 1250))[:3]) < 200


# --- the pool itself -------------------------------------------------------------------------------


def _kill_browser(marker: str) -> bool:
    """SIGKILL the main Chromium process started with ``marker`` (a real crash, not a clean close)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if marker.encode() in cmdline and not any(arg.startswith(b"--type=") for arg in cmdline):
            os.kill(int(pid), signal.SIGKILL)
            return True
    return False


def _crash_run(crashes: int, count: int = 6) -> tuple[BrowserPool, list[int]]:
    marker = f"--lnm-test-marker={uuid.uuid4().hex}"
    pool = BrowserPool(find_browser(), pages=2, extra_args=[marker])
    html = "<!DOCTYPE html><div id='phone' style='width:100px;height:50px;background:#06c755'></div>"
    done: list[int] = []
    killed = 0

    def on_done(job: Job, png: bytes) -> None:
        nonlocal killed
        done.append(job.key)
        assert png.startswith(b"\x89PNG")
        if killed < crashes and len(done) in (2, 4):
            assert _kill_browser(marker), "found the browser process"
            killed += 1

    async def main() -> None:
        async with pool:
            await pool.render([Job(i, html, 375) for i in range(count)], on_done)

    asyncio.run(main())
    return pool, done


def test_browser_crash_mid_batch_is_restarted_once() -> None:
    pool, done = _crash_run(crashes=1)
    assert sorted(done) == list(range(6)), "every job finished, none twice"
    assert pool.restarts == 1 and pool.launches == 2


def test_second_crash_fails_clearly() -> None:
    with pytest.raises(RenderError, match="crashed twice"):
        _crash_run(crashes=2)


def test_missing_browser_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="--browser names .*apt-get install --no-install-recommends chromium.*lnm doctor"):
        find_browser(str(tmp_path / "nope"))
    monkeypatch.setenv("LNM_CHROMIUM", str(tmp_path / "nope"))
    with pytest.raises(RenderError, match="LNM_CHROMIUM"):
        find_browser()
