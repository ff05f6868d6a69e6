"""An example receiver for a department's (or a 12345 platform's) own system: it checks each
request sanzhang sends, records the step once, and may answer a step back through the API.

Standard library only, to copy and adapt. Run:
    SANZHANG_SIGNING_KEY=... SANZHANG_API=https://sanzhang.example.gov.cn \
    SANZHANG_TOKEN=sz_... python department_receiver.py 8080
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.request
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOLERANCE_SECONDS = 300  # older requests are refused: a captured one cannot be replayed later


def signature_ok(key: str, timestamp: str, idempotency_key: str, sent: str, body: bytes) -> bool:
    """The signature covers the timestamp, the Idempotency-Key and the body: a request sent
    again under another key, or later, does not pass."""
    try:
        at = int(timestamp)
    except ValueError:
        return False
    if abs(time.time() - at) > TOLERANCE_SECONDS:
        return False
    signed = f"{at}.{idempotency_key}.".encode() + body
    expected = hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v1={expected}", sent)


def answer_step(api: str, token: str, number: str, action: str, note: str = "") -> dict[str, Any]:
    """Take a step of the issue as the department's system account (its bearer token)."""
    request = urllib.request.Request(  # noqa: S310 (the county's own https address)
        f"{api}/api/v1/issues/{number}/{action}",
        data=json.dumps({"note": note}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return json.loads(response.read())


class Receiver:
    """Keeps the steps it received (by their Idempotency-Key, so a resent one counts once) and
    calls `on_step` for each new one."""

    def __init__(
        self,
        key: str,
        on_step: Callable[[dict[str, Any]], None],
        address: tuple[str, int] = ("127.0.0.1", 0),
    ) -> None:
        self.key = key
        self.on_step = on_step
        self.seen: dict[str, dict[str, Any]] = {}
        self.refused = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                key = self.headers.get("Idempotency-Key", "")
                if not signature_ok(
                    receiver.key,
                    self.headers.get("X-Sanzhang-Timestamp", ""),
                    key,
                    self.headers.get("X-Sanzhang-Signature", ""),
                    body,
                ):
                    receiver.refused += 1
                    self.send_response(401)
                    self.end_headers()
                    return
                if key not in receiver.seen:
                    receiver.seen[key] = json.loads(body)
                    receiver.on_step(receiver.seen[key])
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(address, Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/sanzhang"


if __name__ == "__main__":
    api, token = os.environ["SANZHANG_API"], os.environ["SANZHANG_TOKEN"]

    def start_when_assigned(step: dict[str, Any]) -> None:
        print(step["event"]["label"], step["issue"]["number"], step["issue"]["state"])
        if step["event"]["kind"] == "assigned":
            answer_step(api, token, step["issue"]["number"], "start")

    address = ("0.0.0.0", int(sys.argv[1]))  # noqa: S104 (a receiver listens for the county)
    Receiver(
        os.environ["SANZHANG_SIGNING_KEY"], start_when_assigned, address
    ).server.serve_forever()
