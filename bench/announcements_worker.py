"""Posts one urgent announcement to every household of the province in VAR_DIR and runs its
push to the end (the in-app notice of every resident's account, batch by batch, and the
channels' outbox rows); prints one JSON line with the seconds taken.

Before the clock starts, every `ACCOUNT_EVERY`th household gets a resident with an account
(the province's copies share persons without homes, and copy no accounts), as if a tenth of
the households had signed up.

usage: python -m bench.announcements_worker PLACE_CODE
"""

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from sanzhang.announcements import services  # noqa: E402
from sanzhang.announcements.tasks import push_announcement  # noqa: E402
from sanzhang.notifications.models import Endpoint, Notification  # noqa: E402
from sanzhang.people.models import Organisation, Role, User  # noqa: E402
from sanzhang.places.models import Place  # noqa: E402

ACCOUNT_EVERY = 10


def _accounts() -> int:
    """A resident and an account for every tenth household, in two INSERT ... SELECTs (once:
    a second run on the same database finds them)."""
    if User.objects.filter(role=Role.RESIDENT).exists():
        return User.objects.filter(role=Role.RESIDENT).count()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_person (name, gender, phone_hash, id_number_hash, household_id, "
            "relation, created_at) SELECT '居民' || id, '', '', '', id, 'head', CURRENT_TIMESTAMP "
            f"FROM people_household WHERE id % {ACCOUNT_EVERY} = 0"
        )
        cursor.execute(
            "INSERT INTO people_user (password, is_superuser, username, first_name, last_name, "
            "email, is_staff, is_active, date_joined, role, person_id, must_change_password) "
            "SELECT '!', FALSE, 'bench-' || p.id, '', '', '', FALSE, TRUE, CURRENT_TIMESTAMP, "
            "'resident', p.id, FALSE FROM people_person p "
            "WHERE p.household_id IS NOT NULL AND p.name LIKE '居民%'"
        )
    return User.objects.filter(role=Role.RESIDENT).count()


def main() -> None:
    place = Place.objects.get(code=sys.argv[1])
    accounts = _accounts()
    office, _ = Organisation.objects.get_or_create(
        kind="county_office", name="省三长办", place=place
    )
    author = User.objects.filter(username="province-office").first() or User.objects.create_user(
        username="province-office", role=Role.COUNTY_OFFICE, organisation=office
    )
    if not Endpoint.objects.exists():
        Endpoint.objects.create(
            kind="wecom_robot", name="全省群", url="https://r.test/", place=place
        )
        Endpoint.objects.create(kind="sms", name="短信", url="https://sms.test/", place=place)
    started = time.perf_counter()
    announcement = services.post_announcement(
        author,
        place=place,
        title="防汛紧急通知",
        body="今晚有大暴雨，请做好转移准备。",
        urgent=True,
    ).announcement
    posted = time.perf_counter() - started
    outcome = push_announcement.call(announcement.pk)
    seconds = time.perf_counter() - started
    told = Notification.objects.filter(subject=announcement.subject).count()
    assert outcome == "pushed" and told == accounts, (outcome, told, accounts)
    print(json.dumps({
        "seconds": seconds, "post_seconds": posted, "households": announcement.audience_size,
        "accounts": accounts,
    }))  # fmt: skip


if __name__ == "__main__":
    main()
