"""/favicon.ico: browsers ask for it whatever a page names, so it answers (not a 404 in every
log) by sending them to the site's icon among the static files."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_GET


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    # Resolved per request: the static files' manifest may not exist when the URLs load.
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))
