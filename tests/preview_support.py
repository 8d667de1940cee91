"""Shared data for the preview tests: a small catalogue of our own and sample messages."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

LABELS = {"ja": "重要なお知らせ", "th": "การแจ้งเตือนสำคัญ", "zh-Hant": "重要通知", "zh-Hans": "重要通知",
          "en": "Important notification"}

_TEMPLATE = {"key": "shipment_completed_ja", "country": "JP", "language": "ja", "category": "shipping",
             "title": "発送完了のお知らせ", "titleEn": "Shipment completed",
             "description": "ご注文の商品を発送しました。", "descriptionEn": "Your order has shipped.",
             "items": ["date_002_ja", "time_range_001_ja", "number_001_ja", "price_001_ja", "name_010_ja"],
             "emphasizable": ["date_002_ja"], "buttons": ["check_delivery_status_ja", "contact_ja"],
             "provenance": "documented"}
_ITEMS = [("date_002_ja", "お届け予定日", "Delivery date", "date", "8月10日(土)"),
          ("time_range_001_ja", "お届け時間帯", "Time slot", "time_range", "午前中"),
          ("number_001_ja", "お問い合わせ番号", "Tracking number", "number", "1234567"),
          ("price_001_ja", "お支払い金額", "Amount", "price", "12,000円"),
          ("name_010_ja", "商品名", "Item", "name", "スープセット")]
_BUTTONS = [("check_delivery_status_ja", "配送状況を確認", "Check delivery status"),
            ("contact_ja", "お問い合わせ", "Contact")]


def write_catalogue(root: Path) -> Path:
    """A JP catalogue directory (same layout as the shipped one) holding LINE's documented keys."""
    base = root / "catalogue" / "JP"
    base.mkdir(parents=True, exist_ok=True)
    common = {"country": "JP", "language": "ja"}
    files: dict[str, dict[str, Any]] = {
        "templates.json": {"$schema": "x", **common, "templates": [_TEMPLATE]},
        "items.json": {"$schema": "x", **common, "items": [
            {"key": k, **common, "label": label, "labelEn": en, "kind": kind, "example": ex,
             "provenance": "documented"} for k, label, en, kind, ex in _ITEMS]},
        "buttons.json": {"$schema": "x", **common, "buttons": [
            {"key": k, **common, "label": label, "labelEn": en, "provenance": "documented"}
            for k, label, en in _BUTTONS]},
    }
    for name, data in files.items():
        (base / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return root / "catalogue"


def spec(**preview: str) -> dict[str, Any]:
    """A template spec with placeholders and two samples."""
    return {
        "kind": "template",
        "templateKey": "shipment_completed_ja",
        "body": {
            "emphasizedItem": {"itemKey": "date_002_ja", "content": "{{ day | date('MMMEd') }}"},
            "items": [{"itemKey": "time_range_001_ja", "content": "午前中"},
                      {"itemKey": "price_001_ja", "content": "{{ total | money('JPY') }}"},
                      {"itemKey": "name_010_ja", "content": "{{ item }}"}],
            "buttons": [{"buttonKey": "check_delivery_status_ja", "url": "https://example.com/track"},
                        {"buttonKey": "contact_ja", "url": "https://example.com/contact"}],
        },
        "samples": {"default": {"day": "2024-08-10", "total": 12000, "item": "スープセット（冷凍）"},
                    "longest": {"day": "2024-12-28", "total": 1234567, "item": "冷凍スープ詰め合わせ" * 8}},
        "preview": {"accountName": "スープ商店", "clock": "2024-08-09T18:30:00+09:00", **preview},
    }


FLEXIBLE = {"messages": [
    {"type": "text", "text": "ご予約ありがとうございます。\n明日10時にお待ちしております。"},
    {"type": "flex", "altText": "予約確認: 8月10日 10:00", "contents": {
        "type": "bubble", "size": "kilo",
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": [
            {"type": "text", "text": "予約確認", "weight": "bold", "size": "lg"},
            {"type": "box", "layout": "baseline", "contents": [
                {"type": "text", "text": "日時", "color": "#8c8c8c", "flex": 2},
                {"type": "text", "text": "8月10日 10:00", "flex": 5, "wrap": True}]}]},
        "footer": {"type": "box", "layout": "vertical", "contents": [
            {"type": "button", "style": "primary", "action": {"type": "uri", "label": "予約を確認",
                                                              "uri": "https://example.com/r"}}]}}},
    {"type": "sticker", "packageId": "1", "stickerId": "1"},
]}

HOSTILE_TEXT = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2\">"
LONG = "W" * 400
RLO = "\u202eevil\u202c"


def hostile_spec() -> dict[str, Any]:
    """Hostile text in every field a template preview shows (unknown keys show their raw key)."""
    return {
        "kind": "template",
        "templateKey": "shipment_completed_ja",
        "body": {
            "emphasizedItem": {"itemKey": HOSTILE_TEXT, "content": LONG},
            "items": [{"itemKey": "name_010_ja", "content": HOSTILE_TEXT + LONG},
                      {"itemKey": "price_001_ja", "content": RLO + " 12,000円 " + "x" * 300},
                      {"itemKey": "<b onmouseover=alert(1)>" + LONG, "content": RLO}],
            "buttons": [{"buttonKey": "check_delivery_status_ja", "url": "javascript:window.__pwned=3"},
                        {"buttonKey": "<a href=\"javascript:alert(1)\">x</a>" + LONG,
                         "url": "javascript:alert(1)"}],
        },
        "preview": {"accountName": HOSTILE_TEXT + RLO + LONG, "clock": "2024-08-09T18:30:00+09:00"},
    }


def hostile_template_key() -> dict[str, Any]:
    return {"templateKey": "</title><script>window.__pwned=4</script>" + LONG,
            "body": {"items": [{"itemKey": RLO + LONG, "content": "<iframe src=\"https://example.com\">"}]}}


def hostile_flexible() -> dict[str, Any]:
    return {"messages": [
        {"type": "text", "text": HOSTILE_TEXT + RLO + LONG},
        {"type": "flex", "altText": "<svg onload=\"window.__pwned=5\"></svg>" + LONG, "contents": {}},
        {"type": "<script>window.__pwned=6</script>"},
    ]}


def write_json(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


class BrowserSession:
    """One browser and one page for a test module, driven from synchronous tests."""

    def __init__(self) -> None:
        from toolkit.render.browser import BrowserPool, find_browser

        self.loop = asyncio.new_event_loop()
        self.pool = BrowserPool(find_browser())
        self.run(self.pool.__aenter__())
        self.page = self.run(self.pool.new_page())

    def run(self, coro: Any) -> Any:
        return self.loop.run_until_complete(coro)

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.run(self.page.evaluate(script, arg))

    def close(self) -> None:
        try:
            self.run(self.pool.__aexit__(None, None, None))
        finally:
            self.loop.close()


class ShotSession(BrowserSession):
    """The module's browser; pages load as a screenshot loads them (fonts ready, shrink-to-fit applied)."""

    def load(self, html: str, width: int = 414) -> None:
        self.run(self.pool.shoot(self.page, html, width))

    js = BrowserSession.evaluate


def flex_text(marker: str, **props: Any) -> dict[str, Any]:
    """A Flex text component whose text is its marker (tests find it by that text)."""
    return {"type": "text", "text": marker, **props}


def flex_box(layout: str, contents: list[dict[str, Any]], **props: Any) -> dict[str, Any]:
    return {"type": "box", "layout": layout, "contents": contents, **props}


def launch_chromium() -> Any:
    """A context manager giving the real Chromium lnm finds, headless (no sandbox as root)."""
    import contextlib
    import os

    from playwright.sync_api import sync_playwright

    from toolkit.render.preview import find_browser

    @contextlib.contextmanager
    def launched() -> Any:
        with sync_playwright() as pw:
            chromium = pw.chromium.launch(executable_path=find_browser(), headless=True,
                                          args=["--no-sandbox"] if os.geteuid() == 0 else [])
            try:
                yield chromium
            finally:
                chromium.close()

    return launched()


def http_get(url: str, timeout: float = 10) -> tuple[int, str]:
    """Status and body of a GET, HTTP errors included."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
