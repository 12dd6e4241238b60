"""Photos from phones: checked to be real images, cleaned and shrunk before anything is kept.

A photo must be a JPEG, PNG or WebP of at most 10 MB and 40 megapixels (the pixel count is
read from the header before any decoding, so a decompression bomb is refused cheaply). It is
turned upright (EXIF orientation), then stored only as new WebP files 320 and 800 px wide
written from the pixels alone: EXIF, GPS position, XMP, comments and the camera's name are
gone. The original is never kept; names are random.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000
MIN_SIDE = 100
MAX_SIDE = 12_000
ALLOWED_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})
VARIANT_WIDTHS = (320, 800)
WEBP_QUALITY = 78


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    content: bytes


def _refuse(message: str) -> ValidationError:
    return ValidationError({"photo": [message]})


def _read(upload: Any) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise _refuse(_("Ảnh quá lớn: tối đa 10 MB."))
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise _refuse(_("Ảnh quá lớn: tối đa 10 MB."))
    if not data:
        raise _refuse(_("Tệp ảnh trống."))
    return bytes(data)


def photo_variants(upload: Any) -> list[Variant]:
    """The cleaned phone-sized variants of an uploaded photo, or a ValidationError."""
    data = _read(upload)
    not_an_image = _("Tệp này không phải ảnh JPEG, PNG hoặc WebP.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
            if probe.format not in ALLOWED_FORMATS:
                raise _refuse(not_an_image)
            width, height = probe.size
            if width * height > MAX_PIXELS or max(width, height) > MAX_SIDE:
                raise _refuse(_("Ảnh quá nhiều điểm ảnh: tối đa 40 megapixel."))
            if min(width, height) < MIN_SIDE:
                raise _refuse(_("Ảnh quá nhỏ: cạnh ngắn nhất phải từ 100 điểm ảnh."))
            probe.verify()
            decoded = Image.open(io.BytesIO(data))
            decoded.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _refuse(_("Ảnh quá nhiều điểm ảnh: tối đa 40 megapixel.")) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise _refuse(not_an_image) from error
    image: Image.Image = ImageOps.exif_transpose(decoded) or decoded
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    image = image.convert("RGB")
    variants = []
    for target in VARIANT_WIDTHS:
        scale = min(1.0, target / image.width)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        resized = image.resize(size, Image.Resampling.LANCZOS)
        resized.info = {}  # nothing of the original's metadata travels
        buffer = io.BytesIO()
        resized.save(buffer, format="WEBP", quality=WEBP_QUALITY, method=4)
        variants.append(Variant(width=size[0], height=size[1], content=buffer.getvalue()))
    return variants
