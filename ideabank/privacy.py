"""Spot text that looks like personal data before staff publish an idea."""

import re

from django.utils.translation import gettext_lazy as _

# Norwegian national identity number: 11 digits, the first six a date (DDMMYY).
NATIONAL_ID = re.compile(r"(?<!\d)([0-7]\d)([01]\d)(\d{2})[ ]?(\d{5})(?!\d)")
PHONE = re.compile(r"(?<![\d+])(?:\+47[ ]?|0047[ ]?)?[2-9]\d(?:[ .-]?\d){6}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")

KINDS = {
    "national_id": _("national identity number"),
    "phone": _("phone number"),
    "email": _("e-mail address"),
}


def _national_id_checksum_ok(digits: str) -> bool:
    d = [int(c) for c in digits]
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = 11 - sum(a * b for a, b in zip(w1, d[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    k2 = 11 - sum(a * b for a, b in zip(w2, d[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k1 == d[9] and k2 == d[10]


def find_personal_data(text: str) -> list[tuple[str, str]]:
    """Return (kind, match) pairs; staff decide, so near-misses are better than misses."""
    found = []
    for match in NATIONAL_ID.finditer(text):
        digits = "".join(match.groups())
        day = int(digits[:2]) % 40  # D-numbers add 40 to the day
        if (1 <= day <= 31 and 1 <= int(digits[2:4]) <= 12) or _national_id_checksum_ok(digits):
            found.append(("national_id", match.group(0)))
    taken = {m for _, m in found}
    for match in PHONE.finditer(text):
        if not any(match.group(0) in t or t in match.group(0) for t in taken):
            found.append(("phone", match.group(0)))
    found.extend(("email", m.group(0)) for m in EMAIL.finditer(text))
    return found


def describe(found: list[tuple[str, str]]) -> list[str]:
    return [f"{KINDS[kind]}: {value}" for kind, value in found]
