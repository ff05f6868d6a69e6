"""Sending one delivery to its channel. The text names the issue, its place and its step, and
nothing about the resident: group chats are seen by many."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings
from django.utils import translation

from .models import Delivery


class SendFailed(Exception):
    pass


def robot_text(delivery: Delivery) -> str:
    event = delivery.event
    issue = event.issue
    with translation.override("zh-hans"):
        return (
            f"【三长联动】诉求 {issue.number}（{issue.place.name}，{issue.category.name}）"
            f"{event.get_kind_display()}，当前环节：{issue.get_state_display()}"
        )


def send(delivery: Delivery) -> None:
    """POST the notice; raise SendFailed with a short reason when the channel refuses it."""
    body = {"msgtype": "text", "text": {"content": robot_text(delivery)}}
    request = urllib.request.Request(  # noqa: S310 (the county office configures http(s) URLs)
        delivery.endpoint.url,
        data=json.dumps(body, ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(  # noqa: S310
            request, timeout=settings.DELIVERY_TIMEOUT_SECONDS
        ) as response:
            answer = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise SendFailed(f"HTTP {error.code}") from error
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        raise SendFailed(str(getattr(error, "reason", error))[:200]) from error
    except ValueError as error:
        raise SendFailed("not JSON") from error
    if answer.get("errcode", 0) != 0:  # the robot's own refusal comes with HTTP 200
        raise SendFailed(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:200])
