import logging
import os
import threading

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanzhang.settings")
_django = get_wsgi_application()
# The URLconf and every view module it names, imported as the worker starts: left to the first
# requests, they imported it together, each waiting on the others' import locks (a third of a
# fresh worker's samples under load).
get_resolver().url_patterns  # noqa: B018 (imported for its side effect)
_warmed_in: int | None = None  # the process that started the warm-up (a fork starts its own)
_warming = threading.Lock()


def _warm_up() -> None:
    from django.db import connection

    from sanzhang.triage import services

    try:
        services.warm_up()
    except Exception:  # a database not migrated yet, say: the first report loads them instead
        logging.getLogger(__name__).exception("the triage models could not be read in advance")
    finally:
        connection.close()


def application(environ, start_response):  # type: ignore[no-untyped-def]
    """Django's application. The county's triage model and jieba's dictionary load in the
    background from a process's first request on, not while a resident's report waits on
    them: started here rather than at import, so a server that imports this module before it
    forks its workers (gunicorn --preload) never forks a thread holding their locks."""
    global _warmed_in
    if _warmed_in != os.getpid():
        with _warming:  # two first requests at once start one warm-up
            if _warmed_in != os.getpid():
                _warmed_in = os.getpid()
                threading.Thread(target=_warm_up, name="triage-warm-up", daemon=True).start()
    return _django(environ, start_response)
