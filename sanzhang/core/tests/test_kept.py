"""Copies kept per key (core.kept.KeptByKey): one read per key while fresh, every key read
again after a watched row is saved, and never more keys than its size."""

from __future__ import annotations

import pytest

from sanzhang.core.kept import KeptByKey
from sanzhang.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_each_key_is_read_once_while_fresh_and_again_after_a_watched_save(request) -> None:
    reads: list[str] = []

    def read(key: str) -> str:
        reads.append(key)
        return key.upper()

    kept = KeptByKey(read, [Place], size=2)
    request.addfinalizer(kept.close)
    assert [kept.get("a"), kept.get("a"), kept.get("b"), kept.get("b")] == ["A", "A", "B", "B"]
    assert reads == ["a", "b"]
    Place.objects.create(code="ZZ", name="别处", kind=PlaceKind.COUNTY, depth=1)
    kept.get("a")
    assert reads == ["a", "b", "a"]


def counted(request) -> tuple[KeptByKey[int, int], list[int]]:  # type: ignore[no-untyped-def]
    """A copy of two keys at most that watches no model, and the keys it read, in order."""
    reads: list[int] = []

    def read(key: int) -> int:
        reads.append(key)
        return key

    kept: KeptByKey[int, int] = KeptByKey(read, [], size=2)
    request.addfinalizer(kept.close)
    return kept, reads


def test_a_full_copy_starts_again_rather_than_growing(request) -> None:
    kept, reads = counted(request)
    for key in (1, 2, 3, 1):
        kept.get(key)
    assert reads == [1, 2, 3, 1]  # 3 found it full: 1 and 2 were dropped
    kept.get(3)
    assert reads == [1, 2, 3, 1]
    assert len(kept._values) <= 2


def test_when_full_the_expired_copies_go_first(request) -> None:
    kept, reads = counted(request)
    kept.get(1)
    kept.get(2)
    value, read_at = kept._values[1]
    kept._values[1] = (value, read_at - kept.max_age)  # 1 has aged past its time
    kept.get(3)
    kept.get(2)
    assert reads == [1, 2, 3]  # 2, still fresh, was kept when 3 came
