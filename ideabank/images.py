"""Check and re-encode photos sent with ideas.

Every accepted photo is decoded and written anew as JPEG, so nothing of the
original file survives but its pixels: no EXIF, no GPS, no hidden payload.
"""

import io
import warnings
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
    name: str
    content: ContentFile
    width: int
    height: int


def process_photo(upload) -> Photo:
    limits = settings.IDEABANK
    label = {"name": upload.name}
    if upload.size > limits["MAX_PHOTO_BYTES"]:
        raise ValidationError(
            _("%(name)s is larger than 10 MB. Choose a smaller photo.") % label, code="too_big"
        )
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that; make it an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
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
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail((MAX_EDGE, MAX_EDGE))
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("%(name)s has more than 40 megapixels. Choose a smaller photo.") % label,
            code="pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(
            _("%(name)s is not a photo we can read. Use JPEG, PNG or WebP.") % label,
            code="format",
        ) from None
    return Photo(
        name="photo.jpg",
        content=ContentFile(out.getvalue()),
        width=image.width,
        height=image.height,
    )
