"""`manage.py load_demo`: the Guangchang-sized demo county (once; `--reset` reloads it)."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from sanzhang.core.progress import stage_bar
from sanzhang.demo.loader import STAGES, DemoAlreadyLoaded, counts, load_demo, remove_demo
from sanzhang.register.export import register_csv

# The demo's household register in the import layout (docs/register-format.md): a county's
# first file to try the import with, and the file the register's round-trip test reads.
REGISTER_FILE = "demo-register.csv"


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
            with stage_bar(STAGES) as stage:
                loaded = load_demo(scale=scale, stage=stage)
        except DemoAlreadyLoaded:
            self.stdout.write(f"The database already holds a county: {counts()}")
            self.stdout.write("Nothing loaded (use --reset to replace it).")
            return
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Loaded the demo county in {seconds:.1f} s: {loaded}")
        )
        path = settings.VAR_DIR / REGISTER_FILE
        path.write_bytes(register_csv())
        self.stdout.write(f"The demo's household register, as an import file: {path}")
