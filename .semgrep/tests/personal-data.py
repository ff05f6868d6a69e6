import logging
import sys

from django.core.management.base import BaseCommand

from sanzhang.core.masking import mask_phone
from sanzhang.security.redact import redact

log = logging.getLogger(__name__)


def examples(request, person, phone):
    # ruleid: sanzhang-personal-data-in-logs
    log.info("resident %s", person.phone)
    # ruleid: sanzhang-personal-data-in-logs
    log.warning(f"bad ID number {person.id_number}")
    # ruleid: sanzhang-personal-data-in-logs
    logging.error("code not sent to %s", phone)
    # ruleid: sanzhang-personal-data-in-logs
    log.debug("form: %s", request.POST)
    # ruleid: sanzhang-personal-data-in-logs
    log.exception("could not read %r", request.body)
    # ruleid: sanzhang-personal-data-in-logs
    log.info("looked up %s", request.GET.get("q"))
    # ruleid: sanzhang-personal-data-in-logs
    print(person.address)
    # ruleid: sanzhang-personal-data-in-logs
    sys.stderr.write(f"{phone}\n")
    # ok: sanzhang-personal-data-in-logs
    log.info("resident %s", person.pk)
    # ok: sanzhang-personal-data-in-logs
    log.info("resident %s", mask_phone(person.phone))
    # ok: sanzhang-personal-data-in-logs
    log.info("name tried: %s", redact(request.POST.get("username", "")))
    # ok: sanzhang-personal-data-in-logs
    print(person.name)


class Command(BaseCommand):
    def handle(self, *args, **options):
        person = options["person"]
        # ruleid: sanzhang-personal-data-in-logs
        self.stdout.write(f"{person.name}: {person.phone}")
        # ok: sanzhang-personal-data-in-logs
        self.stdout.write(f"{person.name}: {mask_phone(person.phone)}")
