"""What the privacy guard flags before staff publish text."""

import pytest

from ideabank.privacy import find_personal_data


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Fødselsnummeret mitt er 01019912345.", "national_id"),
        ("Fnr 010199 12345, ring meg", "national_id"),
        ("D-nummer 41019912345", "national_id"),
        ("Ring meg på 912 34 567", "phone"),
        ("Tlf +47 91234567", "phone"),
        ("Telefon 22 33 44 55", "phone"),
        ("Send til kari.nordmann@example.org", "email"),
    ],
)
def test_flags_what_looks_like_personal_data(text, kind):
    assert kind in [found_kind for found_kind, _value in find_personal_data(text)]


def test_a_national_identity_number_is_not_also_reported_as_a_phone_number():
    assert [kind for kind, _ in find_personal_data("01019912345")] == ["national_id"]


@pytest.mark.parametrize(
    "text",
    [
        "Vi trenger 12 benker og 3 søppelkasser.",
        "Budsjettet var 1 500 000 kroner i 2025.",
        "Åpent 08-16 hver dag",
        "IDE-2026-0042",
    ],
)
def test_ordinary_numbers_are_not_flagged(text):
    assert find_personal_data(text) == []
