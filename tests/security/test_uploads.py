"""Files that are not what they say: refused with a clear message, or stored only as clean
pixels, never with what was hidden in them.

Photos sent with ideas, images uploaded to Wagtail (published with stories) and Wagtail
documents each get the same hostile files: SVG and HTML, an HTML/JPEG polyglot, a JPEG
with a zip appended (a "GIFAR"), a PDF named .jpg, and images carrying script or a
position in their EXIF, comments and text chunks.
"""

import io
import struct
import time
import uuid
import zipfile

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.utils import get_allowed_image_extensions
from wagtail.models import Collection

import pytest
from PIL import Image, PngImagePlugin

from ideabank.forms import FILL_TIME_SALT
from ideabank.models import Idea, IdeaPhoto
from tests.admin import login
from tests.factories import IdeaFactory

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"
GPS = {1: "N", 2: (59.0, 44.0, 0.0), 3: "E", 4: (10.0, 12.0, 0.0)}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


# Hostile files, made in memory


def picture(fmt="JPEG", size=(48, 32), **options) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(out, format=fmt, **options)
    return out.getvalue()


def with_jpeg_comment(jpeg: bytes, comment: bytes) -> bytes:
    segment = b"\xff\xfe" + struct.pack(">H", len(comment) + 2) + comment
    return jpeg[:2] + segment + jpeg[2:]


def zip_archive() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
        archive.writestr("Evil.class", b"\xca\xfe\xba\xbe")
    return out.getvalue()


def exif_with_script_and_position() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = SCRIPT.decode()  # ImageDescription
    exif[0x013B] = "<script>alert(2)</script>"  # Artist
    exif[0x8825] = GPS
    return picture(exif=exif.tobytes())


def png_with_text() -> bytes:
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", SCRIPT.decode())
    text.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta><script>alert(3)</script></x:xmpmeta>")
    return picture("PNG", pnginfo=text)


REFUSED = {
    "svg": ("drawing.svg", "image/svg+xml", b'<svg xmlns="http://www.w3.org/2000/svg">' + SCRIPT),
    "html": ("page.html", "text/html", b"<!doctype html>" + SCRIPT),
    "html named jpg": ("photo.jpg", "image/jpeg", b"<!doctype html>" + SCRIPT),
    "pdf named jpg": ("photo.jpg", "image/jpeg", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"),
    "svg named png": ("photo.png", "image/png", b'<svg xmlns="http://www.w3.org/2000/svg"/>'),
}
# Real images with something riding along: accepted, but only their pixels are kept.
CARRYING = {
    "html/jpeg polyglot": ("polyglot.jpg", with_jpeg_comment(picture(), SCRIPT) + SCRIPT),
    "zip appended (gifar)": ("gifar.jpg", picture() + zip_archive()),
    "script and gps in exif": ("exif.jpg", exif_with_script_and_position()),
    "script in a png text chunk": ("text.png", png_with_text()),
    "script in a gif comment": ("comment.gif", picture("GIF", comment=SCRIPT)),
}


# What clean means


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the image data."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        assert data[at] == 0xFF
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            return markers
        at += 2 + struct.unpack(">H", data[at + 2 : at + 4])[0]


def assert_only_pixels(data: bytes) -> None:
    """Nothing of the upload but an image: no script, no archive, no metadata."""
    assert b"<script" not in data and b"<html" not in data
    assert b"PK\x03\x04" not in data and not zipfile.is_zipfile(io.BytesIO(data))
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert not image.getexif()
        assert not {"comment", "Comment", "XML:com.adobe.xmp", "exif"} & set(image.info)
        fmt = image.format
    if fmt == "JPEG":
        # Only JFIF, tables, frame and Huffman segments: no APP1 (EXIF, XMP), no COM.
        assert set(jpeg_markers(data)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD, 0xDA}
        assert data.endswith(b"\xff\xd9") and data.index(b"\xff\xd9") == len(data) - 2
    elif fmt == "PNG":
        assert data.endswith(b"IEND\xaeB`\x82")


# Photos sent with ideas


def send(client, *files):
    return client.post(
        "/idebank/send-inn/",
        {
            "title": "Benker i parken",
            "body": "Flere benker langs stien.",
            "started": signing.dumps(int(time.time()) - 60, salt=FILL_TIME_SALT),
            "submission_key": str(uuid.uuid4()),
            "photos": list(files),
        },
    )


@pytest.mark.parametrize("kind", REFUSED)
def test_the_idea_form_refuses_files_that_are_not_photos(client, site_tree, kind):
    name, content_type, content = REFUSED[kind]

    response = send(client, SimpleUploadedFile(name, content, content_type))

    assert response.status_code == 400
    assert f"{name} is not a photo we can read. Use JPEG, PNG or WebP." in response.content.decode()
    assert not Idea.objects.exists() and not IdeaPhoto.objects.exists()


@pytest.mark.parametrize("kind", CARRYING)
def test_the_idea_form_keeps_only_the_pixels_of_a_photo(client, site_tree, kind):
    name, content = CARRYING[kind]

    response = send(client, SimpleUploadedFile(name, content, "image/jpeg"))

    assert response.status_code == 302
    photo = IdeaPhoto.objects.get()
    stored = photo.image.storage.open(photo.image.name).read()
    assert photo.image.name.endswith(".jpg") and name not in photo.image.name
    assert_only_pixels(stored)
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.format, image.size) == ("JPEG", (48, 32))


def test_staff_get_an_idea_photo_as_a_jpeg_the_browser_may_not_sniff(client, site_tree, innovation):
    send(client, SimpleUploadedFile("polyglot.jpg", CARRYING["html/jpeg polyglot"][1]))
    photo = IdeaPhoto.objects.get()
    login(client, innovation)

    response = client.get(reverse("ideas:photo", args=[photo.idea_id, photo.pk]))

    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_only_pixels(b"".join(response.streaming_content))


# Images in Wagtail, which go out with stories


def test_wagtail_takes_no_svg_images():
    """SVG can carry script; Wagtail takes it only where a project adds it to the list."""
    assert "svg" not in get_allowed_image_extensions()


def upload_image(client, name, content, title="Opplastet"):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": title,
            "file": SimpleUploadedFile(name, content),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


@pytest.mark.parametrize("kind", REFUSED)
def test_wagtail_refuses_image_files_that_are_not_images(client, communications, kind):
    name, _content_type, content = REFUSED[kind]
    login(client, communications)

    response = upload_image(client, name, content)

    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert errors and any(
        phrase in " ".join(errors)
        for phrase in ("Not a supported image format", "Not a valid", "Upload a valid image")
    )
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize("kind", CARRYING)
def test_wagtail_keeps_only_the_pixels_of_an_uploaded_image(client, communications, kind):
    name, content = CARRYING[kind]
    login(client, communications)

    response = upload_image(client, name, content, title=kind)

    assert response.status_code == 302
    image = get_image_model().objects.get(title=kind)
    with image.open_file() as file:
        stored = file.read()
    assert_only_pixels(stored)
    assert (image.width, image.height, image.file_size) == (48, 32, len(stored))


def transparent_png() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (48, 32), (0, 90, 200, 0)).save(out, format="PNG")
    return out.getvalue()


def animated_gif() -> bytes:
    colours = [(200, 40, 40), (40, 200, 40), (40, 40, 200)]
    frames = [Image.new("RGB", (48, 32), colour).convert("P") for colour in colours]
    out = io.BytesIO()
    frames[0].save(out, format="GIF", save_all=True, append_images=frames[1:], duration=120, loop=0)
    return out.getvalue()


def turned_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: the camera was turned a quarter
    return picture(size=(32, 48), exif=exif.tobytes())


def test_wagtail_keeps_what_makes_the_picture(client, communications):
    """Transparency, the frames of an animation and the way a photo was turned stay."""
    login(client, communications)
    for title, name, content in [
        ("gjennomsiktig", "logo.png", transparent_png()),
        ("animert", "animert.gif", animated_gif()),
        ("snudd", "snudd.jpg", turned_jpeg()),
    ]:
        assert upload_image(client, name, content, title=title).status_code == 302

    def stored(title):
        with get_image_model().objects.get(title=title).open_file() as file:
            return Image.open(io.BytesIO(file.read()))

    with stored("gjennomsiktig") as image:
        assert image.mode == "RGBA" and image.getpixel((0, 0))[3] == 0
    with stored("animert") as image:
        assert (image.n_frames, image.info["duration"]) == (3, 120)
    with stored("snudd") as image:
        assert image.size == (48, 32) and not image.getexif()


def test_the_multiple_uploader_keeps_only_the_pixels_too(client, communications):
    login(client, communications)

    response = client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("gifar.jpg", CARRYING["zip appended (gifar)"][1])},
    )

    assert response.json()["success"]
    with get_image_model().objects.get().open_file() as file:
        assert_only_pixels(file.read())


# Documents


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "drawing.svg", "page.xhtml", "x.js"])
def test_documents_refuse_html_svg_and_script(client, communications, name):
    login(client, communications)

    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Dokument",
            "file": SimpleUploadedFile(name, SCRIPT),
            "collection": Collection.get_first_root_node().pk,
        },
    )

    assert response.status_code == 200
    assert "is not allowed" in " ".join(response.context["form"].errors["file"])
    assert not get_document_model().objects.exists()


@pytest.mark.parametrize(
    ("name", "disposition"),
    [
        ("rapport.pdf", "inline"),
        ("notat.txt", "attachment"),
        ("tall.csv", "attachment"),
        ("rapport.docx", "attachment"),
        ("tall.xlsx", "attachment"),
        ("side.odt", "attachment"),
    ],
)
def test_documents_are_served_so_no_browser_runs_what_is_inside(client, name, disposition):
    """Only PDF opens in the browser (Wagtail's default); everything else downloads.
    Nothing is sniffed or allowed to run, whatever the file holds."""
    document = get_document_model().objects.create(
        title=name, file=ContentFile(b"%PDF-1.4\n" + SCRIPT, name=name)
    )

    response = client.get(document.url)

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"


def test_a_published_ideas_photo_stays_private(client, site_tree):
    """Publishing an idea publishes its text, never its photos."""
    idea = IdeaFactory(published=True)
    photo = IdeaPhoto(idea=idea, width=48, height=32, processed_at=timezone.now())
    photo.image.save("ide-1.jpg", ContentFile(picture()), save=True)

    page = client.get(f"/idebank/{idea.pk}/").content.decode()

    assert photo.image.name not in page
    assert reverse("ideas:photo", args=[idea.pk, photo.pk]) not in page
