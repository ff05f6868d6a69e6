from django.core.management.base import BaseCommand

from sanzhang.notifications.tasks import sweep_deliveries


class Command(BaseCommand):
    help = "Queue again every pending outgoing notice that is due (idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        count = sweep_deliveries.call()
        self.stdout.write(f"{count} pending deliveries queued.")
