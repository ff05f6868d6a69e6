"""Refusals people understand: Django's bare error pages replaced by pages in the user's
language with the header, what happened and a way back; under /api/ the same refusals as
JSON in the API's error shape ({"detail": ..., "errors": []}), never HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _

from .api_schemas import error_body

API_PREFIX = "/api/"


def _api_detail(status: int) -> str:
    # The API's own words for the same refusals (sanzhang.api's handlers).
    return {
        400: _("The request could not be understood."),
        403: _("Not allowed."),
        404: _("Not found."),
    }[status]


def refuse(
    request: HttpRequest, status: int, title: str, explanation: str, api_detail: str = ""
) -> HttpResponse:
    """The refusal page, or under /api/ the error shape (with `api_detail`, else the status's
    own words)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(api_detail or _api_detail(status)), status=status)
    context = {"status": status, "title": title, "explanation": explanation}
    return render(request, "errors/refused.html", context, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return refuse(
        request,
        400,
        _("The request could not be understood"),
        _("Something in the page or link was damaged. Go back and try again."),
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return refuse(
        request,
        403,
        _("This page is not for your account"),
        _("Your role does not use this page. If you think it should, ask your community."),
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return refuse(
        request,
        404,
        _("Nothing here"),
        _("The page does not exist, or it is outside your area."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was open too long, or the page was kept from an earlier session (common on a
    phone left in a pocket): nothing was saved, and going back and sending again works."""
    return refuse(
        request,
        403,
        _("The page had expired, nothing was saved"),
        _("Go back, reload the page and send it again."),
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """A page that needs neither the database nor the session (they may be what failed)."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse(error_body(_("Something went wrong on our side")), status=500)
    html = loader.get_template("errors/500.html").render({"request": request})
    return HttpResponse(html, status=500)
