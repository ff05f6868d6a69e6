"""Each person's points per local day, summed from the ledger as it stands (the database groups
the entries by person and day in the install's time zone, on SQLite and PostgreSQL alike); from
here on the ledger keeps the rows as it writes entries."""

import zoneinfo

from django.conf import settings
from django.db import migrations
from django.db.models import Sum
from django.db.models.functions import TruncDate

BATCH = 5000


def fill(apps, schema_editor):
    PointEntry = apps.get_model("points", "PointEntry")
    DailyPoints = apps.get_model("points", "DailyPoints")
    db = schema_editor.connection.alias
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    days = (
        PointEntry.objects.using(db)
        .annotate(day=TruncDate("at", tzinfo=zone))
        .order_by()
        .values("person_id", "day")
        .annotate(total=Sum("points"))
        .order_by("person_id", "day")
        .values_list("person_id", "day", "total")
    )
    batch = []
    for person_id, day, total in days.iterator(chunk_size=BATCH):
        batch.append(DailyPoints(person_id=person_id, day=day, points=total))
        if len(batch) == BATCH:
            DailyPoints.objects.using(db).bulk_create(batch)
            batch = []
    DailyPoints.objects.using(db).bulk_create(batch)


def empty(apps, schema_editor):
    apps.get_model("points", "DailyPoints").objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("points", "0004_daily_points"),
    ]

    operations = [
        migrations.RunPython(fill, empty),
    ]
