from django.core.management.base import BaseCommand

from sanzhang.issues.overdue import escalate_overdue


class Command(BaseCommand):
    help = "Escalate every issue past its step deadline one level (idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        moved = escalate_overdue()
        self.stdout.write(f"{moved} overdue issues escalated or reported up.")
