"""Posts and their current holders in the REST API, within the caller's scope."""

import datetime

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from sanzhang.access.scope import scope_filter
from sanzhang.core.api_schemas import ErrorOut
from sanzhang.core.http import AuthedRequest
from sanzhang.places.tree import under_code

from .models import Tenure

router = Router(tags=["posts"])


class TenureOut(Schema):
    post_id: int
    post_kind: str = Field(alias="post.kind")
    place_code: str = Field(alias="post.place.code")
    place_name: str = Field(alias="post.place.name")
    holder: str = Field(alias="person.name")
    role: str
    started_on: datetime.date


@router.get("/", response={200: list[TenureOut], 422: ErrorOut})
@paginate
def list_holders(request: AuthedRequest, under: str = ""):  # type: ignore[no-untyped-def]
    """Current holders of posts in the caller's scope, optionally under one place code."""
    tenures = Tenure.objects.current().filter(scope_filter(request.user, "post__place__code"))
    if under:
        tenures = tenures.filter(post__place__code__under=under_code(under))
    return tenures.select_related("post__place", "person").order_by("post__place__code", "id")
