"""Photos attached to reports: re-encoded as JPEG, without EXIF metadata, limited in size.

A phone photo's EXIF block carries the GPS position, the time and the device;
re-encoding the pixels only (after applying the orientation) drops all of it.
"""

from __future__ import annotations

import io
from typing import IO

from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

from tryggnav.lib.errors import InputError

MAX_UPLOAD_BYTES = 15 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 60_000_000


def photo_clean(upload: IO[bytes], *, name: str = "foto") -> ContentFile:
    """The uploaded image as a JPEG without metadata, at most MAX_SIDE pixels wide or high.

    Raises InputError for files that are not images or are too large.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise InputError.single(
            "Bilden är för stor (högst 15 MB).",
            "The image is too large (15 MB at most).",
            file=name,
            field="photo",
        )
    image: Image.Image
    try:
        with Image.open(upload) as image:
            if image.width * image.height > MAX_PIXELS:
                raise InputError.single(
                    "Bilden har för många bildpunkter.",
                    "The image has too many pixels.",
                    file=name,
                    field="photo",
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            image = image.convert("RGB")
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # No exif= argument: the saved file carries no metadata at all.
            image.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise InputError.single(
            "Filen är ingen bild som kan läsas (använd JPEG, PNG, WebP eller HEIC som JPEG).",
            "The file is not a readable image (use JPEG, PNG or WebP).",
            file=name,
            field="photo",
        ) from None
    return ContentFile(out.getvalue(), name="foto.jpg")
