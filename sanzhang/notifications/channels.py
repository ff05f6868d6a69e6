"""Sending one delivery to its channel. The text names the issue, its place and its step, and
nothing about the resident: group chats are seen by many. An organisation's own system gets
the step and the issue as its staff see them (never who reported it), signed."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from sanzhang.people.models import Person

from .models import WEB_SCHEMES, Delivery, Endpoint
from .signing import signed_headers


class SendFailed(Exception):
    pass


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A channel answers where it was configured: urllib would otherwise follow a redirect to
    ftp:// or to another host, past the http(s) check on the address."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def robot_text(delivery: Delivery) -> str:
    if delivery.event is None:
        return delivery.text
    event = delivery.event
    issue = event.issue
    with translation.override("zh-hans"):
        return (
            f"【三长联动】诉求 {issue.number}（{issue.place.name}，{issue.category.name}）"
            f"{event.get_kind_display()}，当前环节：{issue.get_state_display()}"
        )


def sms_phones(delivery: Delivery) -> list[str]:
    """The phones of those told in the app of the event or subject (decrypted only here, to
    send); a subject nobody was told of (a daily summary) texts no one."""
    if delivery.event is not None:
        told = Q(user__notifications__event=delivery.event)
    elif delivery.subject:
        told = Q(user__notifications__subject=delivery.subject)
    else:
        return []
    people = Person.objects.filter(told, phone_hash__gt="").distinct()
    return sorted({person.phone for person in people if person.phone})


def send(delivery: Delivery) -> None:
    """POST the notice; raise SendFailed with a short reason when the channel refuses it."""
    endpoint = delivery.endpoint
    if endpoint.kind == endpoint.Kind.SYSTEM:
        post_signed(endpoint, system_payload(delivery), f"sanzhang-delivery-{delivery.pk}")
        return
    if endpoint.kind == endpoint.Kind.SMS:
        phones = sms_phones(delivery)
        if not phones:
            return  # nobody with a phone to tell: nothing to send, and nothing failed
        body: dict = {"phones": phones, "text": robot_text(delivery)}
    else:
        body = {"msgtype": "text", "text": {"content": robot_text(delivery)}}
    post_json(endpoint, body, idempotency_key=f"sanzhang-delivery-{delivery.pk}")


def system_payload(delivery: Delivery) -> dict[str, Any]:
    """What an organisation's system is told of a step of an issue it leads or helps with: the
    step and the issue as its staff see them on the issue page, without who reported it."""
    event = delivery.event
    if event is None:
        return {"subject": delivery.subject, "text": delivery.text}
    issue = event.issue
    with translation.override("zh-hans"):
        return {
            "event": {
                "id": event.pk,
                "kind": event.kind,
                "label": str(event.get_kind_display()),
                "at": event.at.isoformat(),
                "from_state": event.from_state,
                "to_state": event.to_state,
                "note": event.note,
            },
            "issue": {
                "number": issue.number,
                "url": f"/api/v1/issues/{issue.number}",
                "state": issue.state,
                "tier": issue.tier,
                "category": issue.category.name,
                "place": {"code": issue.place.code, "name": issue.place.name},
                "text": issue.text,
                "due_at": issue.due_at.isoformat() if issue.due_at else None,
                "lead": issue.owner_organisation.name if issue.owner_organisation else None,
                "helpers": sorted(org.name for org in issue.helper_organisations.all()),
            },
        }


def post_signed(endpoint: Endpoint, body: dict[str, Any], idempotency_key: str) -> None:
    """POST `body` to an organisation's system, signed with its key; any 2xx is success."""
    data = json.dumps(body, ensure_ascii=False).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        **signed_headers(endpoint.secret or "", idempotency_key, data),
    }
    _post(endpoint, data, headers)


def post_json(endpoint: Endpoint, body: dict, *, idempotency_key: str = "") -> None:
    """POST `body` to the channel (an SMS provider gets its key as a bearer token); raise
    SendFailed with a short reason, never the body, when the channel refuses it.

    `idempotency_key` goes out as the Idempotency-Key header: a delivery sent again (the
    channel answered after our timeout, or a worker died before recording it) carries the
    same key, so a receiver that honours it acts once."""
    headers = {"Content-Type": "application/json; charset=utf-8"}
    if endpoint.kind == endpoint.Kind.SMS and endpoint.secret:
        headers["Authorization"] = f"Bearer {endpoint.secret}"
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    raw = _post(endpoint, json.dumps(body, ensure_ascii=False).encode(), headers)
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as error:
        raise SendFailed("not JSON") from error
    # The robot's own refusal comes with HTTP 200 and an errcode; SMS providers say so too.
    if not isinstance(answer, dict):
        raise SendFailed("not a JSON object")
    if answer.get("errcode", 0) != 0:
        raise SendFailed(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:200])


def _post(endpoint: Endpoint, data: bytes, headers: dict[str, str]) -> bytes:
    """POST to the channel's address; its answer's body, or SendFailed with a short reason
    (never the body sent)."""
    if urllib.parse.urlsplit(endpoint.url).scheme.lower() not in WEB_SCHEMES:
        # A row written past the form's check (the shell, a row older than it) is not fetched:
        # urllib would follow ftp:// or file:// from the server.
        raise SendFailed("not an http(s) address")
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
        endpoint.url, data=data, headers=headers, method="POST"
    )
    try:
        with OPENER.open(request, timeout=settings.DELIVERY_TIMEOUT_SECONDS) as response:
            return bytes(response.read(64 * 1024))
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SendFailed(str(getattr(error, "reason", error))[:200]) from error
