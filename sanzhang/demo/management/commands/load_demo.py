"""`manage.py load_demo`: the Guangchang-sized demo county (once; `--reset` reloads it)."""

import time

from django.core.management.base import BaseCommand, CommandParser

from sanzhang.demo.loader import DemoAlreadyLoaded, counts, load_demo, remove_demo


class Command(BaseCommand):
    help = "Load the demo county (10 communities, 11 townships, 38,000 households at scale 1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", type=float, default=1.0, help="1 = Guangchang's size")
        parser.add_argument("--reset", action="store_true", help="remove the county first")

    def handle(self, *args: object, scale: float, reset: bool, **options: object) -> None:
        if reset:
            remove_demo()
        started = time.perf_counter()
        try:
            loaded = load_demo(scale=scale)
        except DemoAlreadyLoaded:
            self.stdout.write(f"The database already holds a county: {counts()}")
            self.stdout.write("Nothing loaded (use --reset to replace it).")
            return
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo county in {seconds:.1f} s: {loaded}")
        )
