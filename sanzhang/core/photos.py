"""Photos sent by people: checked by content, never by name; re-encoded so that what is stored
is a plain JPEG with no metadata (a phone's GPS position must not leak onto a public page)."""

from __future__ import annotations

import io
import uuid
import warnings
from collections.abc import Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import Invalid

MAX_PHOTOS = 6
MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo; more is a decompression bomb
MAX_SIDE = 2048
ACCEPTED = {"JPEG", "PNG", "WEBP"}


def _reencode(upload: UploadedFile[Any]) -> ContentFile[bytes]:
    name = upload.name or "?"
    if upload.size is not None and upload.size > MAX_BYTES:
        raise Invalid(_("Photo %(name)s is larger than 8 MB.") % {"name": name})
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Invalid(_("Photo %(name)s is larger than 8 MB.") % {"name": name})
    unreadable = Invalid(
        _("%(name)s is not a photo we can read (JPEG, PNG or WebP).") % {"name": name}
    )
    try:
        with warnings.catch_warnings():
            # Pillow only warns below twice its limit; the pixel count is checked here.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
        with image:
            if image.format not in ACCEPTED:
                raise unreadable
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise Invalid(_("Photo %(name)s has too many pixels.") % {"name": name})
            image.load()
            upright = ImageOps.exif_transpose(image)
            upright = upright.convert("RGB")
            upright.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            # No exif= argument: the new file carries no metadata at all.
            upright.save(out, format="JPEG", quality=85, optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def prepare(
    uploads: Sequence[UploadedFile[Any]], *, already: int = 0, limit: int = MAX_PHOTOS
) -> list[ContentFile[bytes]]:
    """Check and re-encode every upload before anything is written; one bad photo refuses all."""
    if already + len(uploads) > limit:
        raise Invalid(_("At most %(n)d photos per issue.") % {"n": limit})
    return [_reencode(upload) for upload in uploads]
