"""Spot text that looks like personal data before it is shown to the public.

Staff make the decision, so a false alarm costs a click and a miss can cost a
resident their privacy: every pattern errs on the side of flagging.
"""

import re

from django.utils.translation import gettext_lazy as _

# A Norwegian national identity or D-number: 11 digits, often written 6 + 5.
NATIONAL_ID = re.compile(r"(?<!\d)\d{6}[ .-]?\d{5}(?!\d)")
PHONE = re.compile(r"(?<![\w+-])(?:\+47[ ]?|0047[ ]?)?[2-9]\d(?:[ .-]?\d){6}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

KINDS = {
    "national_id": _("national identity number"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
}


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Return (kind, match) pairs found in the text."""
    found = [("national_id", match.group(0)) for match in NATIONAL_ID.finditer(text)]
    ids = [value for _kind, value in found]
    found += [
        ("phone", match.group(0))
        for match in PHONE.finditer(text)
        if not any(match.group(0) in value for value in ids)
    ]
    found += [("email", match.group(0)) for match in EMAIL.finditer(text)]
    return found


def describe(found: list[tuple[str, str]]) -> list[str]:
    return [f"{KINDS[kind]}: {value}" for kind, value in found]


# What a phone number may be written with when an administrator looks a sender up.
PHONE_INPUT = re.compile(r"\+?[\d\s().-]+")
PHONE_MIN_DIGITS = 8
# Stored numbers are as the sender typed them; these are stripped before comparing.
PHONE_SEPARATORS = (" ", "-", ".", "(", ")", "+")


def phone_variants(value: str) -> set[str]:
    """The digit strings one phone number may be stored as, with or without +47 / 0047.

    Empty when the value is not shaped like a phone number of at least eight digits.
    """
    value = value.strip()
    if not PHONE_INPUT.fullmatch(value):
        return set()
    digits = re.sub(r"\D", "", value)
    for prefix in ("0047", "47"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 8:
            digits = digits[len(prefix) :]
            break
    else:
        digits = digits.removeprefix("00")
    if len(digits) < PHONE_MIN_DIGITS:
        return set()
    if len(digits) == 8:
        return {digits, f"47{digits}", f"0047{digits}"}
    # A number from abroad: as typed with + (stripped) or with 00.
    return {digits, f"00{digits}"}
