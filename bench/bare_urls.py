"""The project's URLs plus /bench/bare/: the same stack doing one insert, for comparison."""

import uuid
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sanzhang.urls import urlpatterns as project_urls


@csrf_exempt
def bare(request: HttpRequest) -> JsonResponse:
    Session.objects.create(
        session_key=uuid.uuid4().hex, session_data="", expire_date=timezone.now() + timedelta(1)
    )
    return JsonResponse({"ok": True}, status=201)


def bare_signed_in(request: HttpRequest) -> JsonResponse:
    """The same insert for a signed-in caller with the CSRF check and the form read: the part
    of a report's cost that any authenticated form post pays on this stack."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "sign in"}, status=401)
    Session.objects.create(
        session_key=uuid.uuid4().hex,
        session_data=request.POST.get("text", ""),
        expire_date=timezone.now() + timedelta(1),
    )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-signed-in/", bare_signed_in),
    *project_urls,
]
