"""Signatures on the requests sent to organisations' own systems (HMAC-SHA256).

The receiver recomputes the signature over the timestamp, the Idempotency-Key and the exact
body with the key they share with us, compares in constant time, and refuses a timestamp
older than a few minutes; a captured request cannot be replayed later, nor sent again at once
under another Idempotency-Key (the receiver acts once per key). A receiver to copy:
docs/examples/department_receiver.py.
"""

from __future__ import annotations

import hashlib
import hmac
import time

TIMESTAMP_HEADER = "X-Sanzhang-Timestamp"
SIGNATURE_HEADER = "X-Sanzhang-Signature"
VERSION = "v1"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, key: str, body: bytes) -> str:
    """`v1=` and the hex HMAC-SHA256 of "<timestamp>.<idempotency key>." and the body."""
    mac = hmac.new(secret.encode(), f"{timestamp}.{key}.".encode() + body, hashlib.sha256)
    return f"{VERSION}={mac.hexdigest()}"


def signed_headers(secret: str, key: str, body: bytes, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, key, body),
        "Idempotency-Key": key,
    }


def verify(
    secret: str, timestamp: str, key: str, sent: str, body: bytes, now: float | None = None
) -> bool:
    """True when `sent` signs `key` and `body` at `timestamp` with `secret`, in time."""
    try:
        at = int(timestamp)
    except ValueError:
        return False
    if abs((time.time() if now is None else now) - at) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, at, key, body), sent)
