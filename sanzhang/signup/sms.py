"""Texting a one-time code: through the install's SMS provider (an SMS channel at the top of
the place tree) by the background worker, or, in development with none set up
(SMS_DEV_OUTBOX), into the development outbox (var/dev-sms.txt: the phone the developer does
not have). The code is in
neither the application's log nor the audit log; the worker's queue holds it encrypted."""

from __future__ import annotations

import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from sanzhang.core.crypto import decrypt, encrypt
from sanzhang.notifications.channels import SendFailed, post_json
from sanzhang.notifications.models import Endpoint

log = logging.getLogger(__name__)
DEV_OUTBOX = "dev-sms.txt"


def provider() -> Endpoint | None:
    """The install's SMS provider: an active SMS channel on a place at the top of the tree."""
    endpoints = Endpoint.objects.filter(kind=Endpoint.Kind.SMS, is_active=True, place__depth=0)
    return endpoints.order_by("pk").first()


def can_text() -> bool:
    return settings.SMS_DEV_OUTBOX or provider() is not None


def code_text(code: str) -> str:
    return f"【三长联动】验证码 {code}，10 分钟内有效。请勿告诉他人。"


def text_code(phone: str, code: str) -> None:
    endpoint = provider()
    if endpoint is not None:
        send_text.enqueue(endpoint.pk, encrypt(phone), encrypt(code_text(code)))
    elif settings.SMS_DEV_OUTBOX:
        line = f"{timezone.localtime():%Y-%m-%d %H:%M:%S} {phone} {code_text(code)}\n"
        with (settings.VAR_DIR / DEV_OUTBOX).open("a", encoding="utf-8") as outbox:
            outbox.write(line)
    else:
        log.error("no SMS provider: a sign-up code could not be sent")


@task()
def send_text(endpoint_id: int, phone_token: str, text_token: str) -> str:
    """Send one code once; a failure is logged without the phone or the text (the resident
    asks for a new code, so there is no retry)."""
    endpoint = Endpoint.objects.filter(pk=endpoint_id, is_active=True).first()
    if endpoint is None:
        return "no channel"
    try:
        post_json(endpoint, {"phones": [decrypt(phone_token)], "text": decrypt(text_token)})
    except SendFailed as error:
        log.warning("sign-up code not sent: %s", error)
        return "failed"
    return "sent"
