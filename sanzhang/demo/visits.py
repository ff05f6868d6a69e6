"""The demo county's door-knocking record (敲门行动): about two thirds of the households visited
in the last 90 days, from the leaders' paper logs imported by the history importer, with the
contact status each visit confirmed; the rest are left for the coverage pages to show."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from sanzhang.people.models import Household, User
from sanzhang.visits.models import HouseholdContact, Visit

from .issues import IMPORTER

VISITED_SHARE = 0.66
DAYS = 90
HEARD = [
    "家中老人身体还好",
    "反映楼道照明不足",
    "孩子在外地工作，老人独居",
    "对社区服务满意",
    "希望增加健身设施",
    "一切正常",
]


def load_visit_history(rng: random.Random) -> int:
    importer = User.objects.get(username=IMPORTER)
    now = timezone.now()
    visits, contacts = [], []
    households = Household.objects.order_by("pk").values_list("pk", "place_id")
    for pk, place_id in households.iterator(chunk_size=5000):
        if rng.random() > VISITED_SHARE:
            continue
        at = now - datetime.timedelta(days=rng.uniform(0.5, DAYS))
        in_group = rng.random() < 0.9
        visits.append(
            Visit(
                kind=Visit.Kind.DOOR_KNOCKING,
                leader=importer,
                household_id=pk,
                place_id=place_id,
                heard=rng.choice(HEARD),
                contact_in_group=in_group,
                visited_at=at,
                client_key=f"import-{pk}",
            )
        )
        contacts.append(
            HouseholdContact(
                household_id=pk, in_group=in_group, confirmed_at=at, confirmed_by=importer
            )
        )
    Visit.objects.bulk_create(visits, batch_size=2000)
    HouseholdContact.objects.bulk_create(contacts, batch_size=2000)
    return len(visits)
