"""Encryption at rest for personal data, and keyed hashes to find it (SECURITY.md promise 13).

Values are Fernet tokens. FIELD_ENCRYPTION_KEYS lists keys newest first: the first encrypts,
every key decrypts, so a new key can be put in front and old rows re-encrypted at leisure.
Lookups never decrypt: `keyed_hash` gives a stable HMAC of the normalised value.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


def _derived_key(label: str) -> bytes:
    # Development only: keys derived from SECRET_KEY so a fresh clone needs no config.
    digest = hashlib.sha256(f"{label}:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


@cache
def _fernet() -> MultiFernet:
    keys = settings.FIELD_ENCRYPTION_KEYS or [_derived_key("field-encryption").decode()]
    return MultiFernet([Fernet(key) for key in keys])


@cache
def _hash_key() -> bytes:
    return (settings.FIELD_HASH_KEY or _derived_key("field-hash").decode()).encode()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    normalised = "".join(value.split()).upper()
    return hmac.new(_hash_key(), normalised.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """A text column that holds only ciphertext; Python code sees the plain value."""

    def from_db_value(self, value, expression, connection):  # type: ignore[no-untyped-def]
        return None if value is None else decrypt(value)

    def get_prep_value(self, value):  # type: ignore[no-untyped-def]
        value = super().get_prep_value(value)
        return None if value in (None, "") else encrypt(value)
