"""Check and re-encode photos sent with ideas.

A photo is checked while the sender waits, then decoded and written anew as JPEG by
a background task, so nothing of the original file survives but its pixels: no
EXIF, no GPS, no hidden payload. Until then it is kept privately and shown to nobody.
"""

import io
import warnings
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_EDGE = 2560


@dataclass
class Photo:
    content: ContentFile
    width: int
    height: int


def check_photo(upload):
    """Refuse what is not a photo we can decode safely, while the sender is still here.

    The upload is decoded in full, so a truncated or fake file gets its message now;
    re-encoding waits for the task queue (`reencode`).
    """
    limits = settings.IDEABANK
    label = {"name": upload.name}
    if upload.size > limits["MAX_PHOTO_BYTES"]:
        raise ValidationError(
            _("%(name)s is larger than 10 MB. Choose a smaller photo.") % label, code="too_big"
        )
    try:
        with _opened(upload) as image:
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(
                    _("%(name)s is not a photo we can read. Use JPEG, PNG or WebP.") % label,
                    code="format",
                )
            width, height = image.size
            if width * height > limits["MAX_PHOTO_PIXELS"]:
                raise ValidationError(
                    _("%(name)s has more than 40 megapixels. Choose a smaller photo.") % label,
                    code="pixels",
                )
            image.seek(0)
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("%(name)s has more than 40 megapixels. Choose a smaller photo.") % label,
            code="pixels",
        ) from None
    except UNREADABLE:
        raise ValidationError(
            _("%(name)s is not a photo we can read. Use JPEG, PNG or WebP.") % label,
            code="format",
        ) from None
    upload.seek(0)
    return upload


def reencode(file) -> Photo:
    """The pixels alone, written anew as JPEG: no EXIF, no GPS, no comment, no payload."""
    with _opened(file) as image:
        image.seek(0)
        image.load()
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image.thumbnail((MAX_EDGE, MAX_EDGE))
        # Pillow writes a comment it read (a JPEG's, a GIF's) back out: keep none.
        image.info = {}
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=85, optimize=True)
    return Photo(content=ContentFile(out.getvalue()), width=image.width, height=image.height)


UNREADABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError)


@contextmanager
def _opened(file):
    with warnings.catch_warnings():
        # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        file.seek(0)
        with Image.open(file) as image:
            yield image
