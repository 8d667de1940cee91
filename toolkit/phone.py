"""Phone numbers to LINE's recipient digest: E.164, then lowercase hex SHA-256.

The raw number never leaves this module: errors describe the problem, not the digits.
"""

from __future__ import annotations

import hashlib

from .errors import UsageError

__all__ = ["REGIONS", "hash_phone", "normalize_phone"]

#: Service regions and their country calling codes.
REGIONS = {"JP": 81, "TH": 66, "TW": 886}


def normalize_phone(number: str, region: str | None = None) -> str:
    """E.164 form of ``number`` (``+818000001234``), from local or international notation.

    Local formats need ``region`` (JP, TH or TW): hyphens, spaces, brackets and a trunk 0 are
    handled by the phonenumbers library.
    """
    import phonenumbers

    if region is not None and region.upper() not in REGIONS:
        raise UsageError(f"region must be one of {', '.join(REGIONS)}, not {region!r}")
    text = number.strip()
    if not text.startswith("+") and region is None:
        raise UsageError("a local phone number needs --region JP, TH or TW (or write it as +country...)")
    try:
        parsed = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        raise UsageError("the phone number cannot be parsed (number not shown for privacy)") from None
    if not phonenumbers.is_possible_number(parsed):
        raise UsageError("the phone number has the wrong length for its country (number not shown for privacy)")
    if parsed.country_code not in REGIONS.values():
        raise UsageError(f"the phone number's country code +{parsed.country_code} is not Japan (+81), "
                         "Thailand (+66) or Taiwan (+886); LINE notification messages reach only these")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def hash_phone(number: str, region: str | None = None) -> str:
    """LINE's ``to`` value: the lowercase hex SHA-256 of the E.164 number."""
    return hashlib.sha256(normalize_phone(number, region).encode("utf-8")).hexdigest()
