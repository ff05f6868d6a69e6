"""Reserve holders (双三长制): a resident chosen to serve beside each post holder. A reserve
reads what the holder reads; they take the holder's steps only where their county lets reserves
of that kind of post act (`PostRule.reserves_act`), and they follow the holder when the holder
stands down (`posts.services.stand_down`)."""

from __future__ import annotations

from sanzhang.places.tree import is_under

from .models import PostRule, Tenure


def current_places(person_id: int) -> tuple[dict[int, str], dict[int, str], dict[int, str]]:
    """Place id → code of the posts `person_id` holds now, of those they stand reserve for,
    and of those reserve posts whose county lets reserves act: one query for both roles, a
    second only with reserves."""
    rows = list(
        Tenure.objects.current()
        .filter(person_id=person_id, role__in=[Tenure.Role.HOLDER, Tenure.Role.RESERVE])
        .values_list("role", "post__place_id", "post__place__code", "post__kind")
    )
    held = {place_id: code for role, place_id, code, _ in rows if role == Tenure.Role.HOLDER}
    reserves = [
        (place_id, code, kind) for role, place_id, code, kind in rows if role != Tenure.Role.HOLDER
    ]
    if not reserves:
        return held, {}, {}
    acting_rules = list(
        PostRule.objects.filter(
            kind__in={kind for _, _, kind in reserves}, reserves_act=True
        ).values_list("county__code", "kind")
    )
    every = {place_id: code for place_id, code, _ in reserves}
    acting = {
        place_id: code
        for place_id, code, kind in reserves
        if any(k == kind and is_under(code, county) for county, k in acting_rules)
    }
    return held, every, acting


def acting_reserves(place_id: int) -> list[int]:
    """The people standing reserve now for a post at `place_id` whose county lets reserves of
    that post act: they are told what the holder is told of the issues they may act on."""
    rows = list(
        Tenure.objects.current()
        .filter(post__place_id=place_id, role=Tenure.Role.RESERVE)
        .values_list("person_id", "post__place__code", "post__kind")
    )
    if not rows:
        return []
    rules = list(
        PostRule.objects.filter(
            kind__in={kind for _, _, kind in rows}, reserves_act=True
        ).values_list("county__code", "kind")
    )
    return [
        person_id
        for person_id, code, kind in rows
        if any(k == kind and is_under(code, county) for county, k in rules)
    ]
