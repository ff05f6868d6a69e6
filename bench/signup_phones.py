"""Prints, as JSON, numbers the demo register holds that would sign a resident up into their
household: one living household has the number, and no account belongs to anyone with it."""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db.models import Count, Q  # noqa: E402

from sanzhang.people.models import Person  # noqa: E402


def main(limit: int) -> None:
    hashes = (
        Person.objects.exclude(phone_hash="")
        .values("phone_hash")
        .annotate(
            households=Count("household", distinct=True),
            living=Count("pk", filter=Q(household__isnull=False, household__moved_away_on=None)),
            accounts=Count("user"),
        )
        .filter(households=1, accounts=0)
        .exclude(living=0)
        .order_by("phone_hash")
        .values_list("phone_hash", flat=True)[:limit]
    )
    people = Person.objects.filter(phone_hash__in=list(hashes)).order_by("phone_hash", "pk")
    phones = list(dict.fromkeys(person.phone for person in people))
    print(json.dumps({"phones": phones}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
