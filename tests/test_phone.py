"""Phone numbers: E.164 normalisation and LINE's SHA-256 test vector, through the real CLI."""

from __future__ import annotations

import hashlib

import pytest

from toolkit.errors import UsageError
from toolkit.spec.phone import hash_phone, normalize_phone

VECTOR = "d41e0ad70dddfeb68f149ad6fc61574b9c5780ab7bcb2fba5517771ffbb2409c"


@pytest.mark.parametrize(("number", "region"), [
    ("+818000001234", None),
    ("080-0000-1234", "JP"),
    ("080 0000 1234", "JP"),
    ("(080) 0000-1234", "JP"),
    ("+81 80-0000-1234", "TH"),
])
def test_line_test_vector(number: str, region: str | None) -> None:
    assert hash_phone(number, region) == VECTOR


@pytest.mark.parametrize(("number", "region", "e164"), [
    ("081-234-5678", "TH", "+66812345678"),
    ("0912-345-678", "TW", "+886912345678"),
    ("+886 912 345 678", None, "+886912345678"),
])
def test_normalise_other_regions(number: str, region: str | None, e164: str) -> None:
    assert normalize_phone(number, region) == e164


@pytest.mark.parametrize(("number", "region"), [
    ("080-0000-1234", None),     # local number without region
    ("12", "JP"),                # too short
    ("+1 650 253 0000", None),   # not a service country
    ("not a number", "JP"),
])
def test_bad_numbers_are_usage_errors_without_the_number(number: str, region: str | None) -> None:
    with pytest.raises(UsageError) as info:
        normalize_phone(number, region)
    digits = "".join(c for c in number if c.isdigit())
    if len(digits) > 4:
        assert digits not in "".join(c for c in info.value.message if c.isdigit())


def test_cli_hash_phone(lnm) -> None:  # type: ignore[no-untyped-def]
    result = lnm("hash-phone", "080-0000-1234", "--region", "JP")
    assert result.code == 0
    assert result.out.strip() == VECTOR
    result = lnm("hash-phone", "-", "--region", "JP", stdin="080-0000-1234\n")
    assert result.out.strip() == VECTOR


def test_cli_hash_phone_error_hides_number(lnm) -> None:  # type: ignore[no-untyped-def]
    result = lnm("hash-phone", "080-0000-1234-5678-9999", "--region", "JP")
    assert result.code == 2
    assert "0000" not in result.err and "Traceback" not in result.err


# --- issue 8, class 7: only numbers LINE could match are hashed ------------------------------------


@pytest.mark.parametrize(("number", "region", "reason"), [
    ("080-CALL-LINE", "JP", "holds letters"),
    ("+81-80-CALL-LINE", None, "holds letters"),
    ("+81 90 1234 5678 ext. 12", None, "has an extension"),
    ("090-1234-5678 x12", "JP", "has an extension"),
    ("090-1234-5678 内線12", "JP", "has an extension"),
    ("090-1234-5678#12", "JP", "extension or dial codes"),
    ("090-1234-5678;ext=12", "JP", "extension"),
    ("090*1234*5678", "JP", "characters other than digits"),
    ("090-1234-567²", "JP", "characters other than digits"),
    ("+811012345678", None, "not valid in JP"),
    ("+66 00 123 4567", None, "not valid in TH"),
    ("02-1234-5678", "TW", "not valid in TW"),
    ("9" * 80, "JP", "longer than 64 characters"),
])
def test_numbers_line_would_never_match_are_refused_with_the_reason(lnm, number: str, region: str | None,  # type: ignore[no-untyped-def]
                                                                    reason: str) -> None:
    args = ["hash-phone", number] + (["--region", region] if region else [])
    result = lnm(*args)
    assert result.code == 2 and result.out == ""
    (line,) = result.err.splitlines()
    assert reason in line and "(number not shown for privacy)" in line
    digits = "".join(c for c in number if c.isdigit())
    assert digits[-6:] not in "".join(c for c in line if c.isdigit())


def test_allow_invalid_hashes_a_made_up_number_of_the_right_length(lnm) -> None:  # type: ignore[no-untyped-def]
    refused = lnm("hash-phone", "+811012345678")
    assert refused.code == 2 and "--allow-invalid" in refused.err
    allowed = lnm("hash-phone", "+811012345678", "--allow-invalid")
    assert allowed.code == 0
    assert allowed.out.strip() == hashlib.sha256(b"+811012345678").hexdigest()
    # Letters and extensions stay refused: --allow-invalid is about unassigned ranges only.
    assert lnm("hash-phone", "080-CALL-LINE", "--region", "JP", "--allow-invalid").code == 2


def test_line_documented_example_is_valid_and_needs_no_allowance() -> None:
    import phonenumbers

    assert phonenumbers.is_valid_number(phonenumbers.parse("+818000001234"))
    assert hash_phone("080-0000-1234", "JP") == VECTOR


def test_standard_input_holds_exactly_one_number(lnm) -> None:  # type: ignore[no-untyped-def]
    assert lnm("hash-phone", "-", "--region", "JP", stdin="\n080-0000-1234\n\n").out.strip() == VECTOR
    two = lnm("hash-phone", "-", "--region", "JP", stdin="080-0000-1234\n090-1234-5678\n")
    assert two.code == 2 and two.out == ""
    assert two.err.splitlines() == ["lnm: standard input holds 2 lines; give one phone number per run "
                                    "(numbers not shown for privacy)"]
    empty = lnm("hash-phone", "-", "--region", "JP", stdin="")
    assert empty.code == 2 and empty.err.splitlines() == ["lnm: no phone number on standard input"]


def test_build_refuses_an_invalid_number_and_accepts_it_when_allowed(lnm, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from .conftest import SPEC_BODY, write_json

    body = {k: v for k, v in SPEC_BODY.items() if k != "to"}
    path = write_json(tmp_path / "body.json", body)
    refused = lnm("build", str(path), "--phone", "+811012345678")
    assert refused.code == 2 and "not valid in JP" in refused.err and "1012345678" not in refused.err
    allowed = lnm("build", str(path), "--phone", "-", "--allow-invalid", stdin="+811012345678\n")
    assert allowed.code == 0, allowed.err
    assert allowed.json()["to"] == hashlib.sha256(b"+811012345678").hexdigest()
