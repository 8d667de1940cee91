"""Phone numbers: E.164 normalisation and LINE's SHA-256 test vector, through the real CLI."""

from __future__ import annotations

import pytest

from toolkit.errors import UsageError
from toolkit.phone import hash_phone, normalize_phone

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
