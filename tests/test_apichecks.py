"""Every API check, good and bad, through one run of the real ``lnm lint`` over a folder of cases."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from toolkit.findings import utf16_length
from toolkit.spec.catalogue import load_catalogue

from .conftest import SPEC_BODY, run_lnm, write_json

DIGEST = SPEC_BODY["to"]


def body(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SPEC_BODY)
    for dotted, value in changes.items():
        target: Any = data
        parts = [int(p) if p.isdigit() else p for p in dotted.split("__")]
        for part in parts[:-1]:
            target = target[part]
        if value is DELETE:
            del target[parts[-1]]
        else:
            target[parts[-1]] = value
    return data


DELETE = object()


def country_body(country: str) -> dict[str, Any]:
    """A clean body for the first template of a country, built from the shipped catalogue."""
    cat = load_catalogue()
    template = next(t for t in cat.templates.values() if t.country == country)
    emphasized = next(k for k in template.emphasizable if len(cat.items[k].example) <= 15)
    items = [k for k in template.items if k != emphasized][:3]
    return {
        "to": DIGEST,
        "templateKey": template.key,
        "body": {
            "emphasizedItem": {"itemKey": emphasized, "content": cat.items[emphasized].example},
            "items": [{"itemKey": k, "content": cat.items[k].example} for k in items],
            "buttons": [{"buttonKey": template.buttons[0], "url": "https://www.kumoya-shop.jp/a"}],
        },
    }


def with_content(data: dict[str, Any], where: str, text: str) -> dict[str, Any]:
    data = copy.deepcopy(data)
    if where == "emphasized":
        data["body"]["emphasizedItem"]["content"] = text
    else:
        data["body"]["items"][0]["content"] = text
    return data


# (name, document, expected [(code, property)]) — empty expectation means the case is clean.
def cases() -> list[tuple[str, dict[str, Any], list[tuple[str, str]]]]:
    th, tw = country_body("TH"), country_body("TW")
    out: list[tuple[str, dict[str, Any], list[tuple[str, str]]]] = [
        ("line-example", body(), []),
        ("th-clean", th, []),
        ("tw-clean", tw, []),
        # LINE's documented error examples, at the same property.
        ("doc-invalid-template", body(templateKey="reserve_004"), [("A010", "templateKey")]),
        ("doc-unknown-item", body(body__items__0__itemKey="datetime_000"), [("A011", "body.items[0].itemKey")]),
        ("doc-duplicate-item", body(body__items__0__itemKey="date_002_ja"),
         [("A013", "body.emphasizedItem.itemKey")]),
        ("doc-not-sha256", body(to="+818000001234"), [("A002", "to")]),
        ("doc-unit-chars", body(customAggregationUnits=["order mail"]), [("A004", "customAggregationUnits[0]")]),
        # The rest of the API's rules.
        # A missing property is named at its own path, as LINE's error details do (messages[0].altText).
        ("missing-to", body(to=DELETE), [("A001", "to")]),
        ("missing-template", body(templateKey=DELETE), [("A001", "templateKey")]),
        ("missing-content", body(body__items__1__content=DELETE), [("A001", "body.items[1].content")]),
        ("missing-item-key", body(body__emphasizedItem__itemKey=DELETE), [("A001", "body.emphasizedItem.itemKey")]),
        ("missing-button-url", body(body__buttons__0__url=DELETE), [("A001", "body.buttons[0].url")]),
        ("null-content", body(body__items__1__content=None), [("A001", "body.items[1].content")]),
        ("content-not-string", body(body__items__1__content=12), [("A001", "body.items[1].content")]),
        ("extra-property", body(body__extra=1), [("A001", "body.extra")]),
        ("uppercase-digest", body(to=DIGEST.upper()), [("A002", "to")]),
        ("two-units", body(customAggregationUnits=["a", "b"]), [("A004", "customAggregationUnits")]),
        ("long-unit", body(customAggregationUnits=["a" * 31]), [("A004", "customAggregationUnits[0]")]),
        ("unit-ok", body(customAggregationUnits=["order_mail_2024"]), []),
        ("typo-template", body(templateKey="shipment_complete_ja"), [("A010", "templateKey")]),
        ("dup-in-items", body(body__items__1__itemKey="time_range_001_ja"), [("A013", "body.items[1].itemKey")]),
        ("unknown-button", body(body__buttons__1__buttonKey="contact_us_ja"), [("A017", "body.buttons[1].buttonKey")]),
        ("dup-button", body(body__buttons__1__buttonKey="check_delivery_status_ja"),
         [("A018", "body.buttons[1].buttonKey")]),
        ("three-buttons", body(body__buttons=SPEC_BODY["body"]["buttons"] + [
            {"buttonKey": "contact_ja", "url": "https://example.com/x"}]),
         [("A016", "body.buttons"), ("A018", "body.buttons[2].buttonKey")]),
        ("long-url", body(body__buttons__0__url="https://example.com/" + "a" * 981), [("A019", "body.buttons[0].url")]),
        ("url-at-limit", body(body__buttons__0__url="https://example.com/" + "a" * 980), []),
        ("emphasized-16-ja", body(body__emphasizedItem__content="2024年8月10日(土)午前中"),
         [("A014", "body.emphasizedItem.content")]),
        ("emphasized-15-ja", body(body__emphasizedItem__content="2024年8月10日(土)午前"), []),
        ("item-301", body(body__items__3__content="ス" * 301), [("A014", "body.items[3].content")]),
        ("item-300", body(body__items__3__content="ス" * 300), []),
        ("item-emoji-counts-two", body(body__items__3__content="🍲" * 151), [("A014", "body.items[3].content")]),
        ("th-emphasized-16", with_content(th, "emphasized", "วันเสาร์ที่ 10 ส.ค."), [("A014", "body.emphasizedItem.content")]),
        ("th-emphasized-15", with_content(th, "emphasized", "เสาร์ 10 ส.ค.67"), []),
        ("tw-emphasized-16", with_content(tw, "emphasized", "2024年8月10日 (週六) 上午"),
         [("A014", "body.emphasizedItem.content")]),
        ("tw-item-301", with_content(tw, "item", "配" * 301), [("A014", "body.items[0].content")]),
        ("too-many-items", body(body__items=[{"itemKey": "name_010_ja", "content": "x"}] * 16),
         [("A015", "body.items")] + [("A013", f"body.items[{i}].itemKey") for i in range(1, 16)]),
        ("item-of-th", body(body__items__0__itemKey=th["body"]["items"][0]["itemKey"]),
         [("A012", "body.items[0].itemKey")]),
        # Flexible bodies.
        ("flex-ok", {"to": DIGEST, "messages": [{"type": "text", "text": "ご注文の商品を発送しました。"}]}, []),
        ("flex-none", {"to": DIGEST, "messages": []}, [("A030", "messages")]),
        ("flex-six", {"to": DIGEST, "messages": [{"type": "text", "text": "x"}] * 6}, [("A030", "messages")]),
        ("flex-image", {"to": DIGEST, "messages": [{"type": "image", "originalContentUrl": "https://a/b.png",
                                                    "previewImageUrl": "https://a/b.png"}]},
         [("A031", "messages[0].type")]),
        ("flex-text-5001", {"to": DIGEST, "messages": [{"type": "text", "text": "あ" * 5001}]},
         [("A032", "messages[0].text")]),
        ("flex-text-5000-th", {"to": DIGEST, "messages": [{"type": "text", "text": "ก" * 5000}]}, []),
        ("flex-alt-1501", {"to": DIGEST, "messages": [{"type": "flex", "altText": "通" * 1501,
                                                       "contents": {"type": "bubble"}}]},
         [("A033", "messages[0].altText")]),
        ("flex-missing-alt", {"to": DIGEST, "messages": [{"type": "flex", "contents": {"type": "bubble"}}]},
         [("A001", "messages[0].altText")]),
        ("flex-missing-contents", {"to": DIGEST, "messages": [{"type": "flex", "altText": "x"}]},
         [("A001", "messages[0].contents")]),
        ("flex-container-without-type", {"to": DIGEST, "messages": [{"type": "flex", "altText": "x", "contents": {}}]},
         [("A001", "messages[0].contents.type")]),
        ("flex-unknown-container", {"to": DIGEST, "messages": [
            {"type": "flex", "altText": "x", "contents": {"type": "bubbles"}}]}, [("A001", "messages[0].contents.type")]),
        ("flex-contents-not-object", {"to": DIGEST, "messages": [{"type": "flex", "altText": "x", "contents": []}]},
         [("A001", "messages[0].contents")]),
        ("text-missing-text", {"to": DIGEST, "messages": [{"type": "text"}]}, [("A001", "messages[0].text")]),
        ("text-null-text", {"to": DIGEST, "messages": [{"type": "text", "text": None}]}, [("A001", "messages[0].text")]),
        ("message-missing-type", {"to": DIGEST, "messages": [{"text": "x"}]}, [("A001", "messages[0].type")]),
        ("spec-missing-messages", {"kind": "flexible", "language": "ja"}, [("A001", "messages")]),
        ("missing-to-flexible", {"messages": [{"type": "text", "text": "x"}]}, [("A001", "to")]),
        ("flex-bad-to", {"to": "0812345678", "messages": [{"type": "text", "text": "x"}]}, [("A002", "to")]),
    ]
    return out


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("api")
    for name, document, _ in cases():
        write_json(folder / f"{name}.json", document)
    result = run_lnm("lint", "--format", "json", "--select", "api", str(folder))
    assert result.code in (0, 1), result.err
    return {Path(f["path"]).stem: [(x["code"], x["property"]) for x in f["findings"]] for f in result.json()["files"]}


@pytest.mark.parametrize(("name", "expected"), [(c[0], c[2]) for c in cases()], ids=[c[0] for c in cases()])
def test_api_check(linted: dict[str, list[tuple[str, str]]], name: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(linted[name]) == sorted(expected)


def test_messages_say_what_the_api_says(tmp_path: Path) -> None:
    write_json(tmp_path / "a.json", body(templateKey="reserve_004"))
    write_json(tmp_path / "b.json", body(body__items__0__itemKey="datetime_000"))
    write_json(tmp_path / "c.json", body(body__items__0__itemKey="date_002_ja"))
    write_json(tmp_path / "d.json", body(to="abc"))
    write_json(tmp_path / "e.json", body(body__emphasizedItem__content="2024年8月10日(土)🍲🍲"))
    result = run_lnm("lint", str(tmp_path))
    assert result.code == 1
    out = result.out
    assert "a.json:3:18: A010 Invalid templateKey: reserve_004." in out
    assert "The specified item key does not exist: datetime_000" in out
    assert "Duplicate itemKey in items or between emphasizedItem and items are not allowed: date_002_ja" in out
    assert "The value must be a valid SHA-256 digest." in out
    assert "hash-phone" in out
    # Lengths show UTF-16 code units and the visible count.
    assert "17 UTF-16 code units (15 visible characters)" in out


def test_did_you_mean(tmp_path: Path) -> None:
    write_json(tmp_path / "t.json", body(templateKey="shipment_complete_ja"))
    result = run_lnm("lint", str(tmp_path / "t.json"))
    assert "did you mean 'shipment_completed_ja'?" in result.out


def test_utf16_length() -> None:
    assert utf16_length("abc") == 3
    assert utf16_length("🍲") == 2
    assert utf16_length("ก่") == 2
