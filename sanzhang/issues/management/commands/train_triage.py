from django.core.management.base import BaseCommand, CommandParser

from sanzhang.issues.triage_training import counties, train_county


class Command(BaseCommand):
    help = "Train each county's triage model now from its confirmed issues (or one county's)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--county", help="the county's place code; all counties if left out")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        codes = [options["county"].strip().upper()] if options["county"] else counties()
        for code in codes:
            version = train_county(code)
            if version is None:
                self.stdout.write(f"{code}: too little confirmed history; keywords suggest.")
            else:
                self.stdout.write(f"{code}: triage model version {version}.")
