"""The GeoReport v2 endpoints: each reads its parameters, asks `services` and answers in the
format its URL ends with (.json or .xml), refusals in the spec's error array."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from sanzhang.core.errors import Invalid, Refusal

from . import services
from .formats import error, render

View = Callable[..., HttpResponse]


def answers(view: View) -> View:
    """A refusal of the domain as the spec's error, in the URL's format. GeoReport v2 names
    400 for a bad request where the REST API says 422."""

    @wraps(view)
    def wrapped(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, fmt, **kwargs)
        except Refusal as refusal:
            status = 400 if isinstance(refusal, Invalid) else refusal.status
            return error(fmt, status, refusal.message)

    return wrapped


def _key(request: HttpRequest) -> str:
    """The api_key of the query or form, or a bearer token (the REST API's way)."""
    scheme, _space, bearer = request.headers.get("Authorization", "").partition(" ")
    given = request.POST.get("api_key") or request.GET.get("api_key")
    return given or (bearer.strip() if scheme.lower() == "bearer" else "")


@require_GET
@answers
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(request.path).rsplit("/", 1)[0] + "/"
    tokens = request.build_absolute_uri(reverse("tokens"))
    return render(fmt, "discovery", services.discovery(base, tokens))


@require_GET
@answers
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    user = services.caller(_key(request))
    code = services.jurisdiction(user, request.GET.get("jurisdiction_id", ""))
    return render(fmt, "services", services.service_list(code))


@require_GET
@answers
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    user = services.caller(_key(request))
    place = services.jurisdiction(user, request.GET.get("jurisdiction_id", ""))
    return render(fmt, "service_definition", services.service_definition(place, code))


# A client that is not a browser posts with its api_key and no cookie: nothing here reads the
# session, so there is no signed-in user for a forged form to act as.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@answers
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    user = services.caller(_key(request))
    if request.method == "POST":
        key = request.headers.get("Idempotency-Key", "")
        intake = services.post_request(user, request.POST, key)
        status = 201 if intake.created else 200
        return render(fmt, "service_requests", services.posted(intake), status)
    code = services.jurisdiction(user, request.GET.get("jurisdiction_id", ""))
    query = services.parse_query(request.GET, timezone.now())
    found = services.find(services.shown_to(user, code), query)
    return render(fmt, "service_requests", services.rows(found, request.build_absolute_uri))


@require_GET
@answers
def one_request(request: HttpRequest, fmt: str, number: str) -> HttpResponse:
    user = services.caller(_key(request))
    issue = services.one(services.shown_to(user, None), number)
    return render(fmt, "service_requests", services.rows([issue], request.build_absolute_uri))


@require_GET
@answers
def token(request: HttpRequest, fmt: str, token: str) -> HttpResponse:
    user = services.caller(_key(request))
    return render(fmt, "service_requests", services.token(services.shown_to(user, None), token))
