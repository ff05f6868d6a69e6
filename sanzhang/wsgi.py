import logging
import os
import threading

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
application = get_wsgi_application()


def _warm_up() -> None:
    from django.db import connection

    from sanzhang.triage import services

    try:
        services.warm_up()
    except Exception:  # a database not migrated yet, say: the first report loads them instead
        logging.getLogger(__name__).exception("the triage models could not be read in advance")
    finally:
        connection.close()


# The county's triage model and jieba's dictionary load in the background as the process
# starts, not while the first resident's report waits.
threading.Thread(target=_warm_up, name="triage-warm-up", daemon=True).start()
