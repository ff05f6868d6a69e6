"""Photos of issues: prepared by `core.photos` (checked by content, re-encoded without
metadata), then attached to the issue."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile

from sanzhang.core.photos import prepare

from .models import Issue, IssuePhoto

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor


def attach(issue: Issue, prepared: Sequence[ContentFile], actor: Actor) -> list[IssuePhoto]:
    photos = []
    for content in prepared:
        photo = IssuePhoto(issue=issue, uploaded_by=actor, size=content.size)
        photo.image.save(content.name or "photo.jpg", content, save=True)
        photos.append(photo)
    return photos


def add_photos(issue: Issue, uploads: Sequence[UploadedFile], actor: Actor) -> list[IssuePhoto]:
    """Photos added later (e.g. the owner's photo of the work done), with a timeline entry."""
    from django.db import transaction

    from .workflow import add_note, check

    check(actor, issue, "comment")
    prepared = prepare(uploads, already=issue.photos.count())
    with transaction.atomic():
        photos = attach(issue, prepared, actor)
        add_note(issue, actor, kind="photo_added", data={"photos": [p.pk for p in photos]})
    return photos
