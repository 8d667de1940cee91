"""``lnm pack`` through the real command: contents, no recipient, refusal on errors, same bytes twice."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from .conftest import EXAMPLES, run_lnm

DIGEST = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"
FLEX = {
    "kind": "flexible",
    "title": "Table reservation confirmed",
    "to": DIGEST,
    "messages": [
        {"type": "text", "text": "{{ name }}様、ご予約ありがとうございます。{{ day }} {{ time }}にお待ちしております。"},
        {"type": "flex", "altText": "ご予約確認: {{ day }} {{ time }}",
         "contents": {"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                                 "contents": [{"type": "text", "text": "ご予約確認"}]}}},
    ],
    "samples": {"default": {"name": "山田", "day": "8月10日", "time": "19:00"}},
    "preview": {"accountName": "レストランくもや"},
    "review": {"purpose": "Confirm a table booking made on our website.",
               "sendingConditions": "Right after the guest books online; once per booking.",
               "appLanguages": ["ja", "en"]},
}


def _write(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def test_pack_contents_and_same_bytes(tmp_path: Path) -> None:
    _write(tmp_path / "booking.json", FLEX)
    first = run_lnm("pack", "booking.json", "--out", "first.zip", cwd=tmp_path)
    assert first.code == 0, first.err
    assert first.err.strip() == "lnm pack: 1 message, 8 files -> first.zip"
    with zipfile.ZipFile(tmp_path / "first.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert names == ["booking/findings.json", "booking/request.json",
                         *[f"booking/screenshots/{lang}.{theme}.png" for lang in ("en", "ja")
                           for theme in ("dark", "light")],
                         "summary.html", "summary.pdf"]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in archive.infolist())
        request = json.loads(archive.read("booking/request.json"))
        assert "to" not in request and request["messages"][1]["altText"] == "ご予約確認: 8月10日 19:00"
        summary = archive.read("summary.html").decode()
        for text in ("レストランくもや", "Confirm a table booking", "Right after the guest books online", "山田"):
            assert text in summary
        assert archive.read("booking/screenshots/ja.light.png").startswith(b"\x89PNG")
        pdf = archive.read("summary.pdf")
        assert pdf.startswith(b"%PDF-") and b"/CreationDate (D:19800101000000" in pdf
        assert all(DIGEST.encode() not in archive.read(name) for name in names)

    second = run_lnm("pack", "booking.json", "--out", "second.zip", cwd=tmp_path)
    assert second.code == 0, second.err
    assert (tmp_path / "first.zip").read_bytes() == (tmp_path / "second.zip").read_bytes()


def test_refuses_messages_with_errors(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(FLEX))
    bad["messages"][1]["altText"] = ""
    _write(tmp_path / "bad.json", bad)
    result = run_lnm("pack", "bad.json", "--out", "pack.zip", cwd=tmp_path)
    assert result.code == 1
    lines = result.err.splitlines()
    assert lines[0].startswith("bad.json:") and " A033 " in lines[0]
    assert lines[-1] == "lnm pack: not packed: 1 message has errors LINE would reject"
    assert not (tmp_path / "pack.zip").exists()


@pytest.mark.parametrize(("args", "expected"), [
    (["template.json", "--out", "p.zip"], "lnm: template.json: is a template message; lnm pack is for flexible "
                                           "messages, which LINE reviews before they may be sent"),
    (["broken.json", "--out", "p.zip"], "lnm: broken.json:1:2: invalid JSON: Expecting property name enclosed in double quotes"),
    (["booking.json", "--out", "p.txt"], "lnm: --out p.txt: the pack is a .zip file"),
    (["missing.json", "--out", "p.zip"], "lnm: missing.json: no such file or directory"),
])
def test_bad_input_is_one_line(tmp_path: Path, args: list[str], expected: str) -> None:
    shutil.copy(EXAMPLES / "JP" / "shipment_completed_ja.json", tmp_path / "template.json")
    (tmp_path / "broken.json").write_text("{oops", encoding="utf-8")
    _write(tmp_path / "booking.json", FLEX)
    result = run_lnm("pack", *args, cwd=tmp_path)
    assert (result.code, result.err.splitlines()) == (2, [expected])
    assert not list(tmp_path.glob("p.*"))


def test_review_fields_missing_or_to_do_are_one_line_each(tmp_path: Path) -> None:
    plain = {k: v for k, v in FLEX.items() if k != "review"}
    _write(tmp_path / "plain.json", plain)
    strict = run_lnm("pack", "plain.json", "--out", "plain.zip", "--strict", cwd=tmp_path)
    assert strict.code == 1
    assert strict.err.splitlines() == [
        "plain.json:1:1: error: review.purpose is not given: say why the message is sent "
        "(LINE's review reads it in the pack's summary)",
        "plain.json:1:1: error: review.sendingConditions is not given: say when it is sent and to whom "
        "(LINE's review reads it in the pack's summary)",
        "lnm pack: not packed: 2 review fields missing or to-do (--strict)"]  # the account: preview.accountName
    assert not (tmp_path / "plain.zip").exists()

    assert run_lnm("new", "flex_receipt_ja", "-o", "receipt.json", cwd=tmp_path).code == 0
    starter = run_lnm("pack", "receipt.json", "--out", "receipt.zip", "--strict", cwd=tmp_path)
    lines = starter.err.splitlines()
    assert starter.code == 1 and len(lines) == 4 and not (tmp_path / "receipt.zip").exists()
    for line, name in zip(lines, ("account", "purpose", "sendingConditions"), strict=False):
        assert line.startswith("receipt.json:") and f": error: review.{name} is still a to-do: " in line
        line_number = int(line.split(":")[1])
        assert f'"{name}": "TODO:' in (tmp_path / "receipt.json").read_text(encoding="utf-8").splitlines()[line_number - 1]


def test_without_strict_the_pack_is_made_with_warnings(tmp_path: Path) -> None:
    plain = {k: v for k, v in FLEX.items() if k != "review"}
    _write(tmp_path / "plain.json", plain)
    result = run_lnm("pack", "plain.json", "--out", "plain.zip", cwd=tmp_path)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert [line.split(": ")[1:3] for line in lines[:2]] == [
        ["warning", "review.purpose is not given"], ["warning", "review.sendingConditions is not given"]]
    assert lines[2:] == ["lnm pack: 1 message, 8 files -> plain.zip"]
    with zipfile.ZipFile(tmp_path / "plain.zip") as archive:
        summary = archive.read("summary.html").decode()
    from toolkit.i18n import N_, localize

    # a JP spec's summary is in Japanese, the language LINE reviews it in, whatever the UI language
    assert '<html lang="ja">' in summary
    assert localize(N_("(not given: add it to the spec's review object)"), "ja") in summary


def test_a_carousel_packs_its_chat_screen_and_its_whole_row(tmp_path: Path) -> None:
    bubbles = [{"type": "bubble", "body": {"type": "box", "layout": "vertical",
                                           "contents": [{"type": "text", "text": f"お席 {n}"}]}} for n in (1, 2, 3)]
    carousel = {**FLEX, "messages": [{"type": "flex", "altText": "ご予約確認: {{ day }} {{ time }}",
                                      "contents": {"type": "carousel", "contents": bubbles}}],
                "review": {**FLEX["review"], "appLanguages": ["ja"]}}  # type: ignore[dict-item]
    _write(tmp_path / "seats.json", carousel)
    made = run_lnm("pack", "seats.json", "--out", "seats.zip", "--ui-lang", "en", cwd=tmp_path)  # not ja
    assert made.code == 0, made.err
    with zipfile.ZipFile(tmp_path / "seats.zip") as archive:
        shots = sorted(n for n in archive.namelist() if "/screenshots/" in n)
        assert shots == [f"seats/screenshots/ja.{theme}{kind}.png" for theme in ("dark", "light")
                         for kind in ("", ".row")]
        summary = archive.read("summary.html").decode()
        assert summary.count("the carousel&#39;s whole row, app language ja") == 2
        assert summary.count("<img") == 4
