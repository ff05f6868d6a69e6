"""Photos' pixels are budgeted per request, from their headers, before any is decoded: a
report whose photos are too large together is refused in words and nothing is stored; the
same photos within the budget go through, made small before they are turned and converted."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from PIL import Image

from sanzhang.core import photos
from sanzhang.issues.models import Issue, IssuePhoto

pytestmark = pytest.mark.django_db


def jpeg(width: int, height: int) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="JPEG")
    out.seek(0)
    out.name = "photo.jpg"
    return out


def report(resident, count: int, size: tuple[int, int]):  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(resident)
    return client.post(
        "/api/issues/", {"text": "路灯坏了", "photos": [jpeg(*size) for _ in range(count)]}
    )


def test_photos_too_large_together_are_refused_before_decoding(loop, resident, monkeypatch) -> None:
    monkeypatch.setattr(photos, "MAX_PIXELS_PER_REQUEST", 3 * 640 * 480)
    refused = report(resident, 4, (640, 480))
    assert refused.status_code == 422
    assert "合计" in refused.json()["detail"] and "百万像素" in refused.json()["detail"]
    assert not Issue.objects.exists() and not IssuePhoto.objects.exists()
    accepted = report(resident, 3, (640, 480))
    assert accepted.status_code == 201, accepted.content


def test_a_large_photo_is_stored_small(loop, resident) -> None:
    assert report(resident, 1, (4096, 3072)).status_code == 201
    stored = IssuePhoto.objects.get()
    assert (stored.width, stored.height) == (2048, 1536)
