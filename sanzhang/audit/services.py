"""Writing and checking the audit log. Call `record` from services and views alike."""

from __future__ import annotations

import hashlib
import ipaddress
import json
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model
from django.http import HttpRequest
from django.utils import timezone

from .models import AuditEvent

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

_CHAIN_LOCK = 7_371_001  # PostgreSQL advisory lock key that serialises the chain


def _digest(event: AuditEvent) -> str:
    content = {
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "actor_name": event.actor_name,
        "actor_role": event.actor_role,
        "ip": event.ip,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "outcome": event.outcome,
        "detail": event.detail,
        "previous": event.previous_digest,
    }
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXIES proxies the address the
    farthest trusted proxy received the request from (each appends one to X-Forwarded-For).

    Entries left of that are whatever the client sent, so they are never believed. Also
    axes' AXES_CLIENT_IP_CALLABLE.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        hops = [hop.strip() for hop in forwarded if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None  # not an address: better none than a column PostgreSQL refuses


def record(
    action: str,
    *,
    actor: Actor | None = None,
    request: HttpRequest | None = None,
    obj: Model | None = None,
    outcome: str = "ok",
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row, chained to the one before it."""
    who: Visitor | None = actor
    if who is None and request is not None:
        who = request.user
    signed_in = who if who is not None and who.is_authenticated else None
    event = AuditEvent(
        at=timezone.now(),
        actor=signed_in,
        actor_name=signed_in.get_username() if signed_in else "",
        actor_role=signed_in.role if signed_in else "",
        ip=client_ip(request),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        outcome=outcome,
        detail=detail or {},
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_CHAIN_LOCK])
        last = AuditEvent.objects.order_by("-id").values_list("digest", flat=True).first()
        event.previous_digest = last or ""
        event.digest = _digest(event)
        event.save()
    return event


def first_broken_link() -> int | None:
    """The id of the first row whose digest or link does not hold, or None if the chain holds."""
    previous = ""
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.previous_digest != previous or _digest(event) != event.digest:
            return event.id
        previous = event.digest
    return None
