"""Images uploaded to Wagtail are stored as their pixels and nothing else.

Wagtail keeps the uploaded file as the original, serves it under `original_images/` next
to the renditions, and makes every rendition from it. Written anew on upload, nothing of
the file survives but the picture: no EXIF (a phone's GPS position), no comments or text
chunks, nothing appended after the image (an archive, a page with script).
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from PIL import Image, ImageOps, ImageSequence

# What a frame needs to be drawn as it was; every other key of Pillow's `info` is metadata.
DRAWING = {"transparency", "background", "duration", "loop", "disposal", "blend"}
QUALITY = {"JPEG": 92, "WEBP": 92, "AVIF": 85}


def pixels_only(frame: Image.Image) -> Image.Image:
    clean = ImageOps.exif_transpose(frame)
    clean.info = {key: value for key, value in frame.info.items() if key in DRAWING}
    return clean


def reencoded(upload) -> SimpleUploadedFile:
    """The same picture in the same format, written by Pillow from its pixels alone."""
    upload.seek(0)
    with Image.open(upload) as image:
        fmt = image.format
        frames = [pixels_only(frame.copy()) for frame in ImageSequence.Iterator(image)]
    options = {"quality": QUALITY[fmt]} if fmt in QUALITY else {}
    if len(frames) > 1:
        options.update(save_all=True, append_images=frames[1:])
    out = io.BytesIO()
    frames[0].save(out, format=fmt, **options)
    return SimpleUploadedFile(upload.name, out.getvalue(), Image.MIME.get(fmt, ""))
