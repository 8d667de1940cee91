"""The shipped content speaks with one voice per country (issue 17, item 8): one form per concept,
one money style, one date style per message, over the catalogue and every sample of every example."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from toolkit.spec.catalogue import load_catalogue
from toolkit.spec.message import render_spec

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "template_library"
COUNTRIES = ("JP", "TH", "TW")

#: Forms a country's content does not use, and the form it uses instead.
AVOIDED: dict[str, dict[str, str]] = {
    "JP": {r"お客様": "お客さま", r"(?<!ご)注文番号": "ご注文番号"},
    "TH": {r"[0-9][0-9,.]*\s*บาท": "฿1,250.00", r"THB\s*[0-9]": "฿1,250.00", r"ประตู\s+ประตู": "ประตู 62"},
    "TW": {r"[0-9][0-9,]*\s*元": "NT$1,234", r"新[台臺]幣": "NT$1,234", r"(?<![A-Z])\$[0-9]": "NT$1,234",
           r"您的款項已付款": "您的付款已完成"},
}
_TH_MONTH = r"(?:ม\.ค|ก\.พ|มี\.ค|เม\.ย|พ\.ค|มิ\.ย|ก\.ค|ส\.ค|ก\.ย|ต\.ค|พ\.ย|ธ\.ค)\."
_TH_YEAR = r"(?:[0-9]{4}|[0-9]{2})(?![0-9:.])"  # 2567 or 67, not the hour of "10 ส.ค. 13:00"
#: Date styles; a message uses one of them (a billing month such as 2024年8月 is not a date).
DATE_STYLES: dict[str, dict[str, str]] = {
    "JP": {"year-month-day": r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日", "month-day": r"(?<![年0-9])[0-9]{1,2}月[0-9]{1,2}日",
           "slashes": r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"},
    "TW": {"year-month-day": r"[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日", "month-day": r"(?<![年0-9])[0-9]{1,2}月[0-9]{1,2}日",
           "slashes": r"[0-9]{4}/[0-9]{1,2}/[0-9]{1,2}"},
    "TH": {"day-month-year": rf"[0-9]{{1,2}} {_TH_MONTH} {_TH_YEAR}", "day-month": rf"[0-9]{{1,2}} {_TH_MONTH}(?! {_TH_YEAR})",
           "slashes": r"[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}"},
}


def _strings(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _built(country: str) -> Iterator[tuple[str, str | None, list[str]]]:
    """(example, sample, its sent strings) for every sample of every example of the country."""
    catalogue = load_catalogue()
    for path in sorted((LIBRARY / "examples" / country).glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        for message in render_spec(spec, catalogue, all_samples=True):
            texts = [text for where, text in _strings(message.body) if where[:1] != ("to",)]
            yield path.name, message.sample, texts


def _catalogue_texts(country: str) -> list[str]:
    texts = []
    for name in ("templates", "items", "buttons"):
        data = json.loads((LIBRARY / "catalogue" / country / f"{name}.json").read_text(encoding="utf-8"))
        for entry in data[name]:
            texts.extend(v for k, v in entry.items() if isinstance(v, str) and not k.endswith("En") and k != "key")
    return texts


@pytest.mark.parametrize("country", COUNTRIES)
def test_one_form_per_concept(country: str) -> None:
    found = []
    sources = [("catalogue", None, _catalogue_texts(country)), *_built(country)]
    for name, sample, texts in sources:
        for text in texts:
            for pattern, instead in AVOIDED[country].items():
                match = re.search(pattern, text)
                if match:
                    found.append(f"{name} ({sample}): {match.group(0)!r} in {text[:60]!r}; write {instead}")
    assert not found, "\n".join(found)


@pytest.mark.parametrize("country", COUNTRIES)
def test_one_date_style_per_message(country: str) -> None:
    mixed = []
    for name, sample, texts in _built(country):
        styles = {style for text in texts for style, pattern in DATE_STYLES[country].items() if re.search(pattern, text)}
        if len(styles) > 1:
            mixed.append(f"{name} ({sample}): {sorted(styles)}")
    assert not mixed, "\n".join(mixed)


def test_the_style_checks_catch_what_they_look_for() -> None:
    def avoided(country: str, text: str) -> bool:
        return any(re.search(p, text) for p in AVOIDED[country])

    assert avoided("TH", "ค่าซ่อม 2,400 บาท") and avoided("TW", "應繳金額 1,234元") and avoided("JP", "注文番号")
    assert not avoided("JP", "ご注文番号") and not avoided("TW", "NT$1,234") and not avoided("TH", "฿2,400.00")
    styles = DATE_STYLES["TH"]
    assert re.search(styles["day-month"], "25 ส.ค. ถึง") and not re.search(styles["day-month"], "25 ส.ค. 2567")
    assert re.search(styles["day-month"], "เสาร์ 10 ส.ค. 13:00 - 17:00 น.") and not re.search(
        styles["day-month-year"], "เสาร์ 10 ส.ค. 13:00 - 17:00 น.")
    assert re.search(DATE_STYLES["TW"]["month-day"], "8月10日") and not re.search(
        DATE_STYLES["TW"]["month-day"], "2024年8月10日")
