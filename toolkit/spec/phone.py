"""Phone numbers to LINE's recipient digest: E.164, then lowercase hex SHA-256.

LINE matches the digest against the number a user registered, so only a number that can be
registered is worth hashing. Refused, each with the reason and exit code 2: letters
(``080-CALL-LINE`` is no number LINE stores), an extension (LINE would match the number without
it: dropping it silently would message someone else's switchboard), a number of the wrong length,
a country outside Japan, Thailand and Taiwan, and a number that libphonenumber's metadata calls
invalid for its region (no such range is assigned). ``allow_invalid`` (``--allow-invalid``) lets
through the last kind only, for made-up test numbers. LINE's documented example ``+818000001234``
is a valid Japanese toll-free number and needs no allowance.

The raw number never leaves this module: errors describe the problem, not the digits.
"""

from __future__ import annotations

import hashlib
import re

from ..errors import UsageError
from ..i18n import N_

__all__ = ["REGIONS", "hash_phone", "normalize_phone"]

#: Service regions and their country calling codes.
REGIONS = {"JP": 81, "TH": 66, "TW": 886}

#: What a written phone number may hold besides digits: a leading plus, spaces and the usual
#: separators, in ASCII or full width (as typed in Japanese and Chinese input methods).
_SEPARATORS = re.compile(r"[\s+\-‐‑–—―−ー.()/\[\]＋－（）．／　]")
_TOO_LONG = 64
_EXTENSION = N_("the phone number has an extension; LINE matches the number alone, so give it without the "
                "extension (number not shown for privacy)")


def _reject_characters(text: str) -> None:
    if len(text) > _TOO_LONG:
        raise UsageError(N_("the phone number is longer than {limit} characters (number not shown for privacy)",
                            limit=_TOO_LONG))
    if any(char.isalpha() for char in text):
        if re.search(r"(?i)(?:ext|x|内線)\.?\s*[:：=]?\s*\d+\s*$", text):
            raise UsageError(_EXTENSION)
        raise UsageError(N_("the phone number holds letters; LINE matches digits only (a vanity number is not "
                            "stored as the digits of its letters) (number not shown for privacy)"))
    rest = _SEPARATORS.sub("", text)
    if "#" in rest or ";" in rest or "," in rest:
        raise UsageError(N_("the phone number has an extension or dial codes (#, ;, ,); LINE matches the number "
                            "alone (number not shown for privacy)"))
    if not rest.isdecimal():
        raise UsageError(N_("the phone number holds characters other than digits, spaces, +, -, ( ) and dots "
                            "(number not shown for privacy)"))


def normalize_phone(number: str, region: str | None = None, *, allow_invalid: bool = False) -> str:
    """E.164 form of ``number`` (``+818000001234``), from local or international notation.

    Local formats need ``region`` (JP, TH or TW): hyphens, spaces, brackets and a trunk 0 are
    handled by the phonenumbers library. See the module docstring for what is refused;
    ``allow_invalid`` accepts a number of the right length that no operator was assigned.
    """
    import phonenumbers

    if region is not None and region.upper() not in REGIONS:
        raise UsageError(N_("region must be one of {regions}, not {region!r}", regions=", ".join(REGIONS),
                            region=region))
    text = number.strip()
    if not text:
        raise UsageError(N_("no phone number given"))
    _reject_characters(text)
    if not text.startswith(("+", "＋")) and region is None:
        raise UsageError(N_("a local phone number needs --region JP, TH or TW (or write it as +country...)"))
    try:
        parsed = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        raise UsageError(N_("the phone number cannot be parsed (number not shown for privacy)")) from None
    if parsed.extension:
        raise UsageError(_EXTENSION)
    if not phonenumbers.is_possible_number(parsed):
        raise UsageError(N_("the phone number has the wrong length for its country (number not shown for privacy)"))
    if parsed.country_code not in REGIONS.values():
        raise UsageError(N_("the phone number's country code +{code} is not Japan (+81), Thailand (+66) or Taiwan "
                            "(+886); LINE notification messages reach only these", code=parsed.country_code))
    if not allow_invalid and not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_country_code(parsed.country_code or 0)
        # Translators: {region} is a region code (JP, TH, TW...).
        raise UsageError(N_("the phone number is not valid in {region}: no number of that form is assigned there "
                            "(libphonenumber's metadata), so LINE would match nobody; pass --allow-invalid for "
                            "a made-up test number (number not shown for privacy)", region=where))
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def hash_phone(number: str, region: str | None = None, *, allow_invalid: bool = False) -> str:
    """LINE's ``to`` value: the lowercase hex SHA-256 of the E.164 number."""
    e164 = normalize_phone(number, region, allow_invalid=allow_invalid)
    return hashlib.sha256(e164.encode("utf-8")).hexdigest()
