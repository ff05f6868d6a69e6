import time

from django.core.management.base import BaseCommand, CommandParser

from sanzhang.schedules.services import tick


class Command(BaseCommand):
    help = "Queue scheduled work when it falls due (run one beside the worker; more are safe)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="tick once and exit")
        parser.add_argument("--interval", type=float, default=30.0)

    def handle(self, *args: object, once: bool, interval: float, **options: object) -> None:
        while True:
            for run in tick():
                self.stdout.write(f"queued {run}")
            if once:
                return
            time.sleep(interval)
