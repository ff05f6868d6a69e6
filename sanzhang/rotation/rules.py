"""The county's rules for its posts (PostRule): terms and what reserve holders may do."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, require
from sanzhang.access.scope import in_scope
from sanzhang.audit.services import record
from sanzhang.core.errors import Invalid
from sanzhang.places.models import Place, PlaceKind
from sanzhang.posts.models import PostKind, PostRule


def rules_of(county: Place) -> dict[str, PostRule]:
    return {rule.kind: rule for rule in PostRule.objects.filter(county=county)}


def set_rules(actor: Actor, county: Place, rules: dict[str, tuple[int | None, bool]]) -> None:
    """Set the county's term (months, None: no term) and whether reserves may act, per kind."""
    require(actor, Can.SET_TERMS, _("Only the county office sets terms."))
    if county.kind != PlaceKind.COUNTY or not in_scope(actor, county.code):
        raise Invalid(_("Terms are set for a county of your area."))
    with transaction.atomic():
        for kind, (months, act) in rules.items():
            if kind not in PostKind.values:
                continue
            PostRule.objects.update_or_create(
                county=county, kind=kind, defaults={"term_months": months, "reserves_act": act}
            )
        record(
            "rotation.rules_set",
            actor=actor,
            obj=county,
            detail={kind: [months, act] for kind, (months, act) in rules.items()},
        )
