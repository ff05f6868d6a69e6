"""Public notices (通报): drafted by the county office with the issues they name, published to
the places concerned under a number of the year (通报〔2026〕3号), then kept unchanged."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import in_scope, scope_codes, scope_filter
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.issues.models import Issue
from sanzhang.places.models import Place
from sanzhang.places.tree import lineage

from .models import Notice

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

MAX_ISSUES = 100


def _office(actor: Actor) -> None:
    require(actor, Can.RUN_SUPERVISION, _("Only the county office issues notices."))


def concerning(codes: list[str] | None) -> Q:
    """Notices naming a place in these subtrees, or a place above them (a county-wide one)."""
    if codes is None:
        return Q()
    query = Q(places__code__in={c for code in codes for c in lineage(code)})
    for code in codes:
        query |= Q(places__code__under=code)
    return query


def visible_to(user: Actor) -> QuerySet[Notice]:
    notices = Notice.objects.all()
    if can(user, Can.RUN_SUPERVISION):
        # The office: its own drafts, and every notice concerning its county.
        own = Q(created_by__organisation_id=user.organisation_id) if user.organisation_id else None
        if own is None:
            return notices.none()  # an office account with no office sees no notices
        found = notices.filter(own | concerning(scope_codes(user) or []))
        return notices.filter(pk__in=found.values("pk"))
    published = notices.filter(status=Notice.Status.PUBLISHED)
    return published.filter(pk__in=published.filter(concerning(scope_codes(user))).values("pk"))


def published_about(place: Place) -> QuerySet[Notice]:
    """The published notices concerning a place (its subtree, or a place above it)."""
    published = Notice.objects.filter(status=Notice.Status.PUBLISHED)
    return published.filter(concerning([place.code])).distinct()


def published_count(place: Place) -> int:
    return published_about(place).count()


def save_draft(
    actor: Actor,
    notice: Notice | None,
    *,
    title: str,
    kind: str,
    body: str,
    places: list[Place],
    issue_numbers: list[str],
) -> Notice:
    _office(actor)
    title, body = title.strip(), body.strip()
    if not title or not body:
        raise Invalid(_("A notice needs a title and its text."))
    if kind not in Notice.Kind.values:
        raise Invalid(_("Choose the kind of notice."))
    if not places:
        raise Invalid(_("Choose the places the notice concerns."))
    numbers = [n.strip() for n in issue_numbers if n.strip()]
    if len(numbers) > MAX_ISSUES:
        raise Invalid(_("Attach at most %(n)d issues.") % {"n": MAX_ISSUES})
    if any(not in_scope(actor, place.code) for place in places):
        raise NotAllowed(_("A notice concerns places of your own county."))
    # Issues outside the office's county read as ones that do not exist.
    issues = list(Issue.objects.filter(scope_filter(actor, "place__code"), number__in=numbers))
    unknown = sorted(set(numbers) - {i.number for i in issues})
    if unknown:
        raise Invalid(_("No such issue: %(numbers)s") % {"numbers": "、".join(unknown[:5])})
    with transaction.atomic():
        if notice is None:
            notice = Notice.objects.create(
                title=title[:120], kind=kind, body=body, created_by=actor
            )
        else:
            updated = Notice.objects.filter(
                pk=notice.pk, version=notice.version, status=Notice.Status.DRAFT
            ).update(title=title[:120], kind=kind, body=body, version=F("version") + 1)
            if not updated:
                raise Conflict(_("This notice was changed or published meanwhile."))
            notice.refresh_from_db()
        notice.places.set(places)
        notice.issues.set(issues)
    record("notice.draft", actor=actor, obj=notice)
    return notice


def publish(notice: Notice, actor: Actor) -> Notice:
    """Publish under the next number of the year; two publishing at once get two numbers."""
    _office(actor)
    now = timezone.now()
    year = timezone.localtime(now).year
    for _attempt in range(5):
        taken = Notice.objects.filter(number__startswith=f"通报〔{year}〕").count()
        number = f"通报〔{year}〕{taken + 1}号"
        try:
            with transaction.atomic():
                updated = Notice.objects.filter(pk=notice.pk, status=Notice.Status.DRAFT).update(
                    status=Notice.Status.PUBLISHED,
                    number=number,
                    published_at=now,
                    version=F("version") + 1,
                )
        except IntegrityError:
            continue  # that number went to another notice just now
        if not updated:
            raise Conflict(_("This notice was published already."))
        notice.refresh_from_db()
        record("notice.publish", actor=actor, obj=notice)
        return notice
    raise Conflict(_("Could not number the notice; please try again."))
