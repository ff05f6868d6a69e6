"""Many counts in one query, each the count it would be on its own."""

from __future__ import annotations

import pytest
from django.db.models import Q

from sanzhang.core.counting import count_all
from sanzhang.places.models import Place, PlaceKind

pytestmark = pytest.mark.django_db


def test_every_count_in_one_query_equals_the_count_alone(county, django_assert_num_queries) -> None:
    places = Place.objects.all()
    grids = Q(kind=PlaceKind.GRID)
    expected = {
        "all": places.count(),
        "grids": places.filter(grids).count(),
        "distinct": places.filter(parent__kind=PlaceKind.GRID).distinct().count(),
        "none": 0,
    }
    with django_assert_num_queries(1):
        found = count_all(
            Place.objects.filter(pk=county.county.pk),
            {
                "all": places,
                "grids": (places, grids),
                "distinct": places.filter(parent__kind=PlaceKind.GRID).distinct(),
                "none": (places.filter(kind=PlaceKind.PROVINCE), grids),
            },
        )
    assert found == expected and expected["grids"] == 3
