"""Everything a template can say is checked and approved, also in branches no sample takes.

Through the real ``lnm`` command: guideline findings on the literal text of every branch (at the
value's path, saying so), approvals whose hash covers the templates (reformatting keeps them, a new
branch voids them, an approval of the earlier hash is outdated), and nothing new on the examples.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from toolkit.spec.branches import BRANCH_NOTE, HOLE, literal_runs, normal_form

from .conftest import run_lnm, write_json

ALT = "/messages/0/altText"
TEXT = "/messages/0/contents/body/contents/0/text"
URI = "/messages/0/contents/body/contents/1/action/uri"


def _spec(alt: str = "Order {{ order.id }} has shipped", text: str = "Your order {{ order.id }} has shipped.",
          uri: str = "https://kumoya-shop.jp/track/{{ order.id }}",
          sample: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "kind": "flexible",
        "language": "en",
        "messages": [{"type": "flex", "altText": alt, "contents": {"type": "bubble", "body": {
            "type": "box", "layout": "vertical", "contents": [
                {"type": "text", "text": text, "wrap": True},
                {"type": "button", "action": {"type": "uri", "label": "Track it", "uri": uri}}]}}}],
        "samples": {"default": sample or {"order": {"id": "A1234", "carrier": "van", "parcels": [], "vip": False,
                                                    "x": False, "note": "Leave it at the door."}}},
    }


def _findings(path: Path) -> list[dict[str, Any]]:
    result = run_lnm("lint", str(path), "--format", "json", "--show-info")
    assert result.code in (0, 1), result.err
    return [f for file in json.loads(result.out)["files"] for f in file["findings"]]


def _branch_findings(path: Path) -> list[tuple[str, str]]:
    return sorted((f["code"], f["pointer"]) for f in _findings(path) if f["message"].startswith(BRANCH_NOTE))


COUPON = "{% if order.coupon is defined %} SALE! 50% OFF your next order{% endif %}"
HTTP = ("{% if order.carrier == 'post' %}http://track.kumoya-shop.jp/{{ order.id }}"
        "{% else %}https://kumoya-shop.jp/track/{{ order.id }}{% endif %}")


@pytest.mark.parametrize(("changes", "expected"), [
    # The example: an offer in the altText and an http:// link, in branches no sample takes.
    ({"alt": "Order {{ order.id }} has shipped" + COUPON, "uri": HTTP}, [("G010", ALT), ("G020", URI)]),
    # An else branch.
    ({"text": "{% if order.carrier %}Your order has shipped.{% else %}Hurry, only 3 left!{% endif %}"},
     [("G011", TEXT)]),
    # Nested ifs, an elif among them: a personal phone number two levels down.
    ({"text": "{% if order.carrier == 'van' %}Shipped.{% elif order.carrier %}{% if order.late %}"
              "We will call 090-1234-5678.{% endif %}{% endif %}"}, [("G040", TEXT)]),
    # A loop body, over a list the sample leaves empty: a shortened link.
    ({"text": "Track: {% for parcel in order.parcels %}https://bit.ly/{{ parcel }} {% endfor %}"},
     [("G021", TEXT)]),
    # A filter chain: the default no sample needs, through more filters.
    ({"text": "{{ order.note | default('FREE GIFT with every order') | trim | replace('  ', ' ') }}"},
     [("G010", TEXT)]),
    # A conditional expression and a value set for later.
    ({"text": "{% set tag = 'LIMITED TIME OFFER' %}{{ tag if order.vip else 'Shipped.' }}"},
     [("G011", TEXT), ("G012", TEXT)]),
])
def test_branches_no_sample_takes_are_linted(tmp_path: Path, changes: dict[str, str],
                                             expected: list[tuple[str, str]]) -> None:
    spec = write_json(tmp_path / "spec.json", _spec(**changes))
    assert _branch_findings(spec) == sorted(expected)
    result = run_lnm("lint", str(spec))
    line = next(line for line in result.out.splitlines() if f" {expected[0][0]} " in line)
    assert line.startswith("spec.json:") or line.startswith(str(spec))
    assert f"{expected[0][0]} {BRANCH_NOTE}: " in line


def test_text_a_sample_shows_is_reported_once(tmp_path: Path) -> None:
    """A sample that takes the branch reports it as built; the branch is not reported again."""
    spec = _spec(alt="Order {{ order.id }} has shipped" + COUPON, uri=HTTP)
    spec["samples"]["coupon"] = {"order": {"id": "B1", "coupon": "X", "carrier": "post"}}
    path = write_json(tmp_path / "spec.json", spec)
    found = [(f["code"], f["pointer"], f["message"].startswith(BRANCH_NOTE)) for f in _findings(path)
             if f["code"] in ("G010", "G020")]
    assert sorted(found) == [("G010", ALT, False), ("G020", URI, False)]


def test_reformatting_keeps_the_approval_and_a_new_branch_voids_it(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    spec = _spec(text="{% if order.parcels %}{{ order.parcels | length }} parcels{% else %}Shipped.{% endif %}")
    path = write_json(tmp_path / "specs" / "order.json", spec)
    assert run_lnm("approve", "specs", "--by", "Aiko", cwd=tmp_path).code == 0
    assert json.loads((tmp_path / ".lnm" / "approvals.json").read_text())["approvals"]["specs/order.json"][
        "hashVersion"] == 2

    reformatted = copy.deepcopy(spec)
    body = reformatted["messages"][0]["contents"]["body"]["contents"]
    body[0]["text"] = "{%if order.parcels%}{{order.parcels|length}} parcels{%   else   %}Shipped.{%endif%}"
    reformatted["messages"][0]["altText"] = "Order {{order.id}} has shipped"
    reordered = dict(reversed(list(reformatted.items())))
    path.write_text(json.dumps(reordered, ensure_ascii=False, indent=4, sort_keys=True), encoding="utf-8")
    assert run_lnm("lint", "specs", "--require-approved", cwd=tmp_path).code == 0

    # The example: what no sample sends changes, and the approval no longer holds.
    changed = _spec(alt="Order {{ order.id }} has shipped" + COUPON, uri=HTTP,
                    text=spec["messages"][0]["contents"]["body"]["contents"][0]["text"])
    write_json(path, changed)
    result = run_lnm("lint", "specs", "--require-approved", cwd=tmp_path)
    assert result.code == 1
    assert "specs/order.json: content changed since Aiko approved it on " in result.err
    assert result.err.splitlines()[-1] == "lnm: 1 of 1 message not approved as it is now"

    # Only an untaken branch's wording changes: still a change.
    write_json(path, spec)
    assert run_lnm("lint", "specs", "--require-approved", cwd=tmp_path).code == 0
    spec["messages"][0]["contents"]["body"]["contents"][0]["text"] = (
        "{% if order.parcels %}{{ order.parcels | length }} parcels{% else %}Shipped!{% endif %}")
    write_json(path, spec)
    assert run_lnm("lint", "specs", "--require-approved", cwd=tmp_path).code == 1
    # Whitespace control changes what is sent: it is not a reformatting.
    spec["messages"][0]["contents"]["body"]["contents"][0]["text"] = (
        "{% if order.parcels %}{{ order.parcels | length }} parcels{% else %}Shipped.{% endif %}")
    spec["messages"][0]["altText"] = "Order {{ order.id -}} has shipped"
    write_json(path, spec)
    result = run_lnm("lint", "specs", "--require-approved", cwd=tmp_path)
    assert result.code == 1 and "content changed" in result.err


def _version_1(repo: Path, key: str, spec: dict[str, Any]) -> None:
    """An approvals entry as lnm wrote it before templates were hashed (built bodies only)."""
    from toolkit.review.approvals import _digest, _sent
    from toolkit.spec.catalogue import load_catalogue

    digest = _digest(_sent(spec, load_catalogue(), key))
    write_json(repo / ".lnm" / "approvals.json", {"version": 1, "approvals": {key: {
        "approvedAt": "2026-01-05T09:00:00Z", "approvedBy": "Ken", "contentHash": digest}}})


def test_an_approval_of_the_earlier_hash_is_outdated(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    spec = _spec(alt="Order {{ order.id }} has shipped" + COUPON)
    write_json(tmp_path / "specs" / "order.json", spec)
    _version_1(tmp_path, "specs/order.json", spec)
    result = run_lnm("lint", "specs", "--require-approved", cwd=tmp_path)
    assert result.code == 1
    lines = [line for line in result.err.splitlines() if "approv" in line]
    assert lines == [
        "specs/order.json: approved by Ken on 2026-01-05T09:00:00Z with an older lnm whose approvals did not "
        "cover template branches no sample takes; review every branch and run lnm approve again",
        "lnm: 1 of 1 message not approved as it is now"]

    # A message with no placeholder: the built bodies were all it could send, so it stays approved.
    plain = _spec(alt="Your order has shipped", text="Your order has shipped.", uri="https://kumoya-shop.jp/track")
    write_json(tmp_path / "specs" / "order.json", plain)
    _version_1(tmp_path, "specs/order.json", plain)
    assert run_lnm("lint", "specs", "--require-approved", cwd=tmp_path).code == 0

    # Approving again records the current hash.
    write_json(tmp_path / "specs" / "order.json", spec)
    assert run_lnm("approve", "specs", "--by", "Ken", cwd=tmp_path).code == 0
    assert run_lnm("lint", "specs", "--require-approved", cwd=tmp_path).code == 0


def test_the_examples_gain_no_branch_findings() -> None:
    from .conftest import EXAMPLES

    result = run_lnm("lint", str(EXAMPLES), "--format", "json", "--show-info")
    assert result.code == 0, result.err
    messages = [f["message"] for file in json.loads(result.out)["files"] for f in file["findings"]]
    assert not [m for m in messages if BRANCH_NOTE in m]
    quiet = run_lnm("lint", str(EXAMPLES))
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")


def test_a_long_value_of_branches_is_read_once_and_bounded(tmp_path: Path) -> None:
    """A value of many branches (near the size a placeholder value may have) is one finding per rule,
    and a value nested deeper than the parser goes is A090's, not a crash."""
    many = "{% if order.x %}Hurry, only 3 left!{% endif %}" * 400  # 18,400 characters
    deep = "{% if order.x %}" * 3000 + "SALE" + "{% endif %}" * 3000
    path = write_json(tmp_path / "spec.json", _spec(text=many, alt=deep[:19_000]))
    found = _findings(path)
    assert sorted((f["code"], f["pointer"]) for f in found if f["message"].startswith(BRANCH_NOTE)) == [
        ("G011", TEXT)]
    assert any(f["code"] == "A090" and f["pointer"] == ALT for f in found)


# --- the pieces, without the command ---------------------------------------------------------------


def test_literal_runs_of_every_branch() -> None:
    runs = literal_runs("Hi {{ name }}!{% if a %}A{% elif b %}{{ 'B' if c else 'C' }}{% else %}D {{ x | "
                        "default('E') }}{% endif %}{% for i in ['F'] %}G{{ i }}{% endfor %}")
    assert runs == (f"Hi {HOLE}!", "A", "B", "C", f"D {HOLE}", "E", "F", f"G{HOLE}")
    # Tests, comparisons, keys and format arguments are not written out.
    assert literal_runs("{% if kind == 'SALE' %}{{ day | date('MMMEd') }}{{ m['SALE'] }}{% endif %}") == ()
    assert literal_runs("{% if %}") == ()  # a syntax error is A090's


def test_normal_form_ignores_spacing_inside_tags_only() -> None:
    a = normal_form("Order {{ order.id }}{% if x %} now{% endif %}")
    assert a == normal_form("Order {{order.id}}{%if x%} now{%   endif   %}")
    assert a != normal_form("Order {{ order.id }}{% if x %}  now{% endif %}")
    assert a != normal_form("Order {{ order.id }}{% if y %} now{% endif %}")
    assert normal_form("{{ 1 }}") != normal_form("{{ '1' }}")


@pytest.mark.parametrize("value", [
    "{{ x" + "|trim" * 3000 + " }}",                       # parses, but deeper than the sandbox runs
    "{{ " + "(" * 3000 + "x" + ")" * 3000 + " }}",          # deeper than the parser goes
    "{% if x %}" * 1500 + "SALE" + "{% endif %}" * 1500,
])
def test_values_nested_too_deep_are_hashed_as_written(value: str) -> None:
    value = value[:20_000]
    assert json.loads(normal_form(value)) == {"unparsed": value}
    assert literal_runs(value) == ()
