"""The REST API at /api/v1/ (its OpenAPI document at /api/v1/openapi.json, browsable at
/api/v1/docs; both need a sign-in when DEBUG is off).

Each app contributes a router from its own `api.py`; scope and masking are the same as on
the pages, since both go through the apps' services and `visible_to` querysets.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from sanzhang.core.api_schemas import error_body, invalid_input_body
from sanzhang.core.errors import Refusal
from sanzhang.issues.api import meetings_router
from sanzhang.issues.api import router as issues_router
from sanzhang.notifications.api import router as notices_router
from sanzhang.party.api import router as party_router
from sanzhang.people.api import router as people_router
from sanzhang.places.api import router as places_router
from sanzhang.points.api import router as points_router
from sanzhang.posts.api import router as posts_router
from sanzhang.security.api import router as tokens_router
from sanzhang.security.tokens import PREFIX, BearerToken, session_auth, user_for
from sanzhang.signup.api import router as signin_router
from sanzhang.supervision.api import router as supervision_router
from sanzhang.visits.api import router as visits_router
from sanzhang.wishes.api import router as wishes_router


def docs_behind_login(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The API's document and docs page, only to a signed-in user (or a live bearer token)
    when DEBUG is off: the document maps every operation, which helps no stranger. An anonymous
    browser is sent to the login page and back, as any other page does. DEBUG is read per
    request, since ninja decorates the views once when the URLs load."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if settings.DEBUG or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        scheme, _space, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.startswith(PREFIX) and user_for(token):
            return view(request, *args, **kwargs)
        return redirect_to_login(request.get_full_path())

    return wrapped


# Refusals made before an operation's own code runs (middleware, ninja's authentication and
# parsing), by which operations they can reach. They are the same for every operation of a
# kind, so they are documented here once rather than in each router's `response={...}`; an
# operation that documents one of these statuses itself keeps its own description.
EVERY_OPERATION = {
    # core.input_hygiene (a NUL in the path, query or form) and an unreadable body.
    400: "The request could not be understood: a NUL character, or a body that is not JSON "
    "or a form.",
}
SIGNED_IN = {
    401: "No session and no live bearer token.",
    # A role the operation is not for, or (security.tokens) a password that must be changed.
    403: "Not allowed: a role this operation is not for, or a password to change first.",
}
WITH_BODY = {413: "The request is too large (MAX_REQUEST_BODY_BYTES)."}
POSTS = {429: "Too many requests (settings.RATE_LIMITS); see Retry-After."}


def _error(description: str) -> dict[str, Any]:
    schema = {"$ref": "#/components/schemas/ErrorOut"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


class SanzhangAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """ninja's document, with the refusals every operation of a kind can answer."""
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in document["paths"].values():
            for method, operation in operations.items():
                refusals = dict(EVERY_OPERATION)
                if operation.get("security"):
                    refusals |= SIGNED_IN
                if "requestBody" in operation:
                    refusals |= WITH_BODY
                if method == "post":
                    refusals |= POSTS
                for status, description in refusals.items():
                    operation["responses"].setdefault(status, _error(description))
        return document


api = SanzhangAPI(
    title="sanzhang API",
    version="1",
    description=str(
        _("Places, people, posts, the issue loop and supervision of the 三长联动 county platform.")
    ),
    # A client that is not a browser sends its bearer token; the pages' session (with CSRF)
    # serves the browser.
    auth=[BearerToken(), session_auth],
    urls_namespace="api",
    docs_decorator=docs_behind_login,
)
api.add_router("/places", places_router)
api.add_router("/people", people_router)
api.add_router("/posts", posts_router)
api.add_router("/issues", issues_router)
api.add_router("/meetings", meetings_router)
api.add_router("/supervision", supervision_router)
api.add_router("/visits", visits_router)
api.add_router("/wishes", wishes_router)
api.add_router("/points", points_router)
api.add_router("/party", party_router)
api.add_router("/notices", notices_router)
api.add_router("/auth", signin_router)
api.add_router("/tokens", tokens_router)


# Every refusal answers in the one shape of core.api_schemas.ErrorOut, which the operations
# document; django-ninja's own handlers would answer 422 with `detail` as a list instead.


@api.exception_handler(ValidationError)
def invalid_input(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Input that does not fit the operation's schema: each field at fault, in words."""
    return api.create_response(request, invalid_input_body(exc.errors), status=422)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals (an unreadable body, no login) in the caller's language."""
    if isinstance(exc, AuthenticationError):
        detail = str(_("Please log in first."))
    elif exc.status_code == 400:
        detail = str(_("The request body could not be read: send JSON or a form."))
    else:
        detail = str(exc)
    return api.create_response(request, error_body(detail), status=exc.status_code)


@api.exception_handler(RawPostDataException)
def form_to_a_json_operation(request: HttpRequest, exc: RawPostDataException) -> HttpResponse:
    """A form sent where JSON is expected (the middleware read it as a form first)."""
    detail = str(_("The request body could not be read: send JSON or a form."))
    return api.create_response(request, error_body(detail), status=400)


@api.exception_handler(Refusal)
def issue_refused(request: HttpRequest, exc: Refusal) -> HttpResponse:
    """A refusal of the issue loop: its status, and its message in the caller's language."""
    return api.create_response(request, error_body(exc.message), status=exc.status)


@api.exception_handler(PermissionDenied)
def not_allowed(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    """A role that may not use an operation at all: JSON, in development as in production."""
    return api.create_response(request, error_body(str(_("Not allowed."))), status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(str(_("Not found."))), status=404)


@api.exception_handler(RequestDataTooBig)
def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    detail = str(_("The request is too large."))
    return api.create_response(request, error_body(detail), status=413)
