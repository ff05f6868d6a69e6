"""Times typical subtree queries on the database of VAR_DIR; prints one JSON line.

usage: python -m bench.subtree_worker COMMUNITY_CODE GRID_CODE
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from bench.common import median_seconds  # noqa: E402
from sanzhang.people.models import Household  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402
from sanzhang.posts.models import Tenure  # noqa: E402


def queries(community: str, grid: str) -> dict:
    households = Household.objects.filter(place__code__under=community)
    holders = Tenure.objects.current().filter(post__place__code__under=community)
    return {
        "households_count": lambda: households.count(),
        "households_page": lambda: list(households.order_by("place__code", "id")[:50]),
        "holders_count": lambda: holders.count(),
        "holders_page": lambda: list(
            holders.select_related("post__place").order_by("post__place__code", "id")[:50]
        ),
        "places_under_grid": lambda: list(Place.objects.under(grid)),
    }


def main() -> None:
    community, grid = sys.argv[1], sys.argv[2]
    timings = {name: median_seconds(q) for name, q in queries(community, grid).items()}
    timings["households_found"] = Household.objects.filter(place__code__under=community).count()
    timings["households_total"] = Household.objects.count()
    timings["places_total"] = Place.objects.count()
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
