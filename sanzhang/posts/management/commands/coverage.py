"""`manage.py coverage CODE`: share of places with a holder at each level, and those without."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from sanzhang.places.services import resolve_code
from sanzhang.places.tree import normalise_code
from sanzhang.posts.coverage import coverage_by_level, uncovered_places


class Command(BaseCommand):
    help = "List the districts, areas, grids, buildings and units under a place with no holder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="place code, e.g. GC or GC.C01")
        parser.add_argument("--limit", type=int, default=0, help="list at most this many places")

    def handle(self, *args: object, code: str, limit: int, **options: object) -> None:
        place = resolve_code(normalise_code(code))
        if place is None:
            raise CommandError(f"no place has the code {code}")
        self.stdout.write(f"{place.name} ({place.code})")
        for level in coverage_by_level(place):
            self.stdout.write(
                f"  {level.kind:<9} {level.covered:>6}/{level.total:<6} {level.share:7.1%}"
            )
        uncovered = uncovered_places(place)
        if limit:
            uncovered = uncovered[:limit]
        for row in uncovered.values_list("code", "kind", "name"):
            self.stdout.write("\t".join(row))
