"""A person's own API tokens in the REST API: list them with their last use, revoke one."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest

from .models import ApiToken
from .tokens import live, revoke

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    kind: str
    prefix: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    last_used_at: datetime.datetime | None


class RevokedOut(Schema):
    revoked: bool


@router.get("/", response=list[TokenOut])
def list_tokens(request: AuthedRequest) -> list[ApiToken]:
    """The caller's live tokens (each device or system), newest first."""
    return list(live(request.user.pk))


@router.delete("/{token_id}", response={200: RevokedOut, 404: ErrorOut, 422: ErrorOut})
def revoke_token(request: AuthedRequest, token_id: int) -> dict:
    """Revoke one of the caller's tokens (the one in use included: signing out a device)."""
    token = get_object_or_404(ApiToken, pk=token_id, user_id=request.user.pk)
    return {"revoked": revoke(token, request.user)}
