"""What a hostile or careless client can send: text, bytes, files, query strings, tokens.

Values are bytes on the wire, so a strategy can send what no browser would: invalid
UTF-8, encoded lone surrogates, NUL bytes, duplicated and missing fields.
"""

import io
import struct
from urllib.parse import quote_from_bytes

from hypothesis import strategies as st
from PIL import Image

from tests.ideabank import images
from tests.ideabank.test_hostile_input import SEARCHES

# Characters that have broken text handling somewhere before.
NASTY = [
    "\x00",
    "\x01",
    "\x1b[31m",
    "\x7f",
    "\x85",
    "\r",
    "\r\n",
    "\t",
    "\ufeff",
    "\ufffd",
    "\u200b",
    "\u202e",
    "\u2028",
    "\u0958",  # grows in NFC
    "\ufdfa",  # grows a lot in NFKC
    "\U0001f600",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "ﬃ",
    "İ",
    "<script>alert(1)</script>",
    "{{ request }}",
    "{% debug %}",
    "%s%n",
    "'; DROP TABLE ideabank_idea; --",
    "../../etc/passwd",
    "javascript:alert(1)",
    "IDE-2026-0001",
    *SEARCHES,
]


# Past every max_length; the last also past DATA_UPLOAD_MAX_MEMORY_SIZE, for form bodies
# only (no front server lets a URL that long through).
LONG = (5001, 20_000)
TOO_LONG = (*LONG, 2_700_000)


def huge_text(sizes=LONG):
    return st.sampled_from(sizes).map(lambda n: "å" * n)


def hostile_text(max_size=200):
    return st.one_of(
        st.text(max_size=max_size),
        st.lists(st.sampled_from(NASTY), max_size=6).map("".join),
        st.tuples(st.text(max_size=20), st.sampled_from(NASTY), st.text(max_size=20)).map("".join),
    )


def lone_surrogates():
    return st.lists(st.integers(0xD800, 0xDFFF).map(chr), min_size=1, max_size=4).map(
        lambda chars: ("a" + "".join(chars) + "b").encode("utf-8", "surrogatepass")
    )


def raw_values(max_size=200, long=LONG):
    """A value as bytes: typed text, arbitrary bytes, encoded surrogates, or a lot."""
    return st.one_of(
        hostile_text(max_size).map(str.encode),
        st.binary(max_size=max_size),
        lone_surrogates(),
        huge_text(long).map(str.encode),
    )


def field_names():
    return st.one_of(st.text(max_size=20), st.sampled_from(["", "x[]", "a" * 300, "\x00"]))


# Multipart bodies, built by hand so values and file names can be any bytes.

BOUNDARY = "FuzzBoundary7MA4YWxkTrZu0gW"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


def _quoted(value: str | bytes) -> bytes:
    data = value.encode("utf-8", "surrogatepass") if isinstance(value, str) else value
    return data.replace(b"\\", b"\\\\").replace(b'"', b'\\"')


def multipart(fields, files=()) -> bytes:
    """fields: (name, bytes) pairs; files: (name, filename, content type, bytes)."""
    boundary = BOUNDARY.encode()
    body = []
    for name, value in fields:
        body += [
            b"--" + boundary,
            b'Content-Disposition: form-data; name="' + _quoted(name) + b'"',
            b"",
            value,
        ]
    for name, filename, content_type, content in files:
        body += [
            b"--" + boundary,
            b'Content-Disposition: form-data; name="'
            + _quoted(name)
            + b'"; filename="'
            + _quoted(filename)
            + b'"',
            b"Content-Type: " + content_type.encode("latin-1", "replace"),
            b"",
            content,
        ]
    body += [b"--" + boundary + b"--", b""]
    return b"\r\n".join(body)


def query_string(pairs) -> str:
    """Percent-encode (name, bytes) pairs the way a client that means harm might."""
    return "&".join(
        f"{quote_from_bytes(_quoted(name), safe='')}={quote_from_bytes(value, safe='')}"
        for name, value in pairs
    )


def query_pairs(known_names, max_size=6):
    """Known parameters (some repeated) with hostile values, and unknown parameters."""
    name = st.one_of(st.sampled_from(known_names), field_names())
    return st.lists(st.tuples(name, raw_values(80)), max_size=max_size)


# Files

IMAGE_FORMATS = ["JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "ICO", "PPM"]
MODES = ["RGB", "RGBA", "L", "LA", "P", "1", "CMYK", "I", "F"]


PHOTO_FORMATS = ["JPEG", "PNG", "GIF", "WEBP"]


@st.composite
def image_bytes(draw, formats=IMAGE_FORMATS):
    """A small real image in some format and mode, perhaps with odd EXIF."""
    size = (draw(st.integers(1, 48)), draw(st.integers(1, 48)))
    image = Image.new(draw(st.sampled_from(MODES)), size)
    exif = Image.Exif()
    if draw(st.booleans()):
        exif[0x0112] = draw(st.integers(-1, 12))  # Orientation, also out of range
    if draw(st.booleans()):
        exif[0x010E] = draw(st.text(max_size=40))  # ImageDescription
    fmt = draw(st.sampled_from(formats))
    # Not every format takes every mode or EXIF; then the plainest image of that format.
    for attempt in (
        lambda out: image.save(out, format=fmt, exif=exif.tobytes()),
        lambda out: image.convert("RGB").save(out, format=fmt),
        lambda out: image.convert("RGB").save(out, format="PNG"),
    ):
        out = io.BytesIO()
        try:
            attempt(out)
        except (OSError, ValueError, KeyError, TypeError, struct.error):
            continue
        return out.getvalue()
    raise AssertionError("Pillow can write a PNG")


@st.composite
def damaged(draw, content):
    """Bytes with some flipped, cut short, or with something appended."""
    data = bytearray(content)
    for _ in range(draw(st.integers(0, 8))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data) + draw(st.sampled_from([b"", b"PK\x03\x04", b"<script>", b"\x00" * 64]))


def upload_contents():
    return st.one_of(
        image_bytes(),
        image_bytes().flatmap(damaged),
        st.binary(max_size=512),
        st.sampled_from(
            [
                b"",
                images.not_an_image().read(),
                images.png_header_only(30_000, 30_000).read(),
                images.png_header_only(0, 0).read(),
                b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n",
                b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            ]
        ),
    )


def photos(field="photos", max_size=3):
    """Real photos in the formats the idea form takes, as many as it takes."""
    return st.lists(
        st.tuples(
            st.just(field),
            st.just("photo.jpg"),
            st.just("image/jpeg"),
            image_bytes(formats=PHOTO_FORMATS),
        ),
        min_size=1,
        max_size=max_size,
    )


def uploads(field="photos", max_size=5):
    return st.lists(
        st.tuples(
            st.one_of(st.just(field), field_names()),
            st.one_of(
                st.sampled_from(["photo.jpg", "bilde.PNG", "x.svg", "a.html", "noext"]),
                hostile_text(60),
            ),
            st.sampled_from(
                ["image/jpeg", "image/png", "text/html", "application/octet-stream", "", "x/y\r\n"]
            ),
            upload_contents(),
        ),
        max_size=max_size,
    )


# Tokens


def token_variants(token: str):
    """Near misses of a real token: cut, extended, case-flipped, one character changed."""
    return st.one_of(
        st.integers(0, len(token) - 1).map(lambda n: token[:n]),
        st.text(alphabet="Aa0_-", min_size=1, max_size=30).map(lambda tail: token + tail),
        st.just(token.swapcase()),
        st.integers(0, len(token) - 1).map(
            lambda n: token[:n] + ("A" if token[n] != "A" else "B") + token[n + 1 :]
        ),
        st.just(token[1:] + token[0]),
    )
