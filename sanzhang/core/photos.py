"""Photos sent by people: checked by content, never by name; re-encoded so that what is stored
is a plain JPEG with no metadata (a phone's GPS position must not leak onto a public page)."""

from __future__ import annotations

import io
import threading
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
# All the photos of one request together: six ordinary phone photos (12 MP) pass; six
# 40-megapixel PNGs (a gigabyte decoded) do not.
MAX_PIXELS_PER_REQUEST = 120_000_000
# One photo decoded at a time in a process: a decoded 40-megapixel photo is 120-160 MB, and
# eight requests decoding at once in a threaded worker grew it by gigabytes (measured).
_DECODING = threading.BoundedSemaphore(1)


def _pixels(upload: UploadedFile[Any]) -> int:
    """The photo's pixel count from its header alone (nothing is decoded); 0 if unreadable
    (the re-encoding refuses it then, with its own words)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        width = height = 0
    upload.seek(0)
    return width * height


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
            with _DECODING:
                # Made small first (a JPEG is decoded straight at a reduced scale: thumbnail
                # drafts it), so the copies that follow (turned upright, converted) are of
                # the small image, not of the large one as before.
                image.thumbnail((MAX_SIDE, MAX_SIDE))
            upright = ImageOps.exif_transpose(image)
            upright = upright.convert("RGB")
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
    if sum(_pixels(upload) for upload in uploads) > MAX_PIXELS_PER_REQUEST:
        raise Invalid(
            _(
                "These photos are too large together: send fewer, or smaller ones "
                "(at most %(mp)d megapixels in all)."
            )
            % {"mp": MAX_PIXELS_PER_REQUEST // 1_000_000}
        )
    return [_reencode(upload) for upload in uploads]
