"""Every interface string has a bokmål and a nynorsk translation, compiled."""

import ast
import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
ENTRY = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d\])?) (".*")$')


def entries(po: Path):
    """Yield (flags, {keyword: text}) for each entry of a .po file."""
    flags, current, key = [], {}, None
    for line in [*po.read_text().splitlines(), ""]:
        if not line.strip():
            if current:
                yield flags, current
            flags, current, key = [], {}, None
        elif line.startswith("#,"):
            flags += [flag.strip() for flag in line[2:].split(",")]
        elif match := ENTRY.match(line):
            key = match.group(1)
            current[key] = ast.literal_eval(match.group(2))
        elif line.startswith('"') and key:
            current[key] += ast.literal_eval(line)


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [
        entry["msgid"]
        for flags, entry in entries(po)
        if entry.get("msgid")
        and ("fuzzy" in flags or not all(v for k, v in entry.items() if k.startswith("msgstr")))
    ]
    assert missing == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_compiled_catalogue_matches_the_translations(language):
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "django.mo").open("rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    for _flags, entry in entries(folder / "django.po"):
        if not entry.get("msgid") or "msgid_plural" in entry:
            continue
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            assert catalogue.pgettext(entry["msgctxt"], msgid) == entry["msgstr"]
        else:
            assert catalogue.gettext(msgid) == entry["msgstr"], msgid
