"""Rotation plans (轮岗): the staff record who follows whom in a post and on which day; the
worker carries each out on its day (at once, when the day has come), exactly once."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, require
from sanzhang.access.scope import in_scope
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid
from sanzhang.people.models import Person
from sanzhang.posts.models import Post, Tenure
from sanzhang.posts.services import PostError, appoint, end_tenure

from .models import RotationPlan


def plan_rotation(
    actor: Actor,
    post: Post,
    incoming: Person,
    *,
    on: datetime.date,
    reason: str,
) -> RotationPlan:
    """Record that `incoming` follows the post's holder on `on`. The same plan sent twice is
    one plan; another while one waits is refused (cancel it first). A plan for today or
    earlier is carried out at once."""
    require(actor, Can.MANAGE_ROTATION, _("You may not plan rotations."))
    if not in_scope(actor, post.place.code):
        raise Invalid(_("This post is outside your area."))
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Give a reason for the rotation."))
    # A day gone by would rewrite who held the post then (points, awards, evaluations read it).
    if on < timezone.localdate():
        raise Invalid(_("A rotation is planned for today or a later day."))
    holder = Tenure.objects.current().filter(post=post, role=Tenure.Role.HOLDER).first()
    if holder is not None and holder.person_id == incoming.pk:
        raise Invalid(_("%(name)s holds this post already.") % {"name": incoming.name})
    waiting = RotationPlan.objects.filter(post=post, state=RotationPlan.State.PLANNED).first()
    if waiting is not None:
        if waiting.incoming_id == incoming.pk and waiting.on == on:
            return waiting  # sent twice
        raise Conflict(_("A rotation is planned for this post already: cancel it first."))
    try:
        with transaction.atomic():
            plan = RotationPlan.objects.create(
                post=post,
                outgoing=holder,
                incoming=incoming,
                on=on,
                reason=reason,
                created_by=actor,
            )
    except IntegrityError as exc:  # another plan for the post at the same moment
        raise Conflict(_("A rotation is planned for this post already: cancel it first.")) from exc
    record("rotation.planned", actor=actor, obj=plan, detail={"on": on.isoformat()})
    if on <= timezone.localdate():
        carry_out(plan)
        plan.refresh_from_db()
    return plan


def cancel_plan(actor: Actor, plan: RotationPlan) -> bool:
    """Cancel a plan still waiting; False when it was carried out or cancelled meanwhile."""
    require(actor, Can.MANAGE_ROTATION, _("You may not plan rotations."))
    cancelled = RotationPlan.objects.filter(pk=plan.pk, state=RotationPlan.State.PLANNED).update(
        state=RotationPlan.State.CANCELLED, settled_at=timezone.now()
    )
    if cancelled:
        record("rotation.cancelled", actor=actor, obj=plan)
    return bool(cancelled)


def carry_out(plan: RotationPlan) -> bool:
    """Make the plan's incoming person the post's holder from the plan's day: the holder stands
    down (轮岗), and a reserve who follows leaves the reserve's place. Claimed by a conditional
    UPDATE, so two workers carry a plan out once; False when it was not waiting."""
    with transaction.atomic():
        claimed = RotationPlan.objects.filter(pk=plan.pk, state=RotationPlan.State.PLANNED).update(
            state=RotationPlan.State.CARRIED_OUT, settled_at=timezone.now()
        )
        if not claimed:
            return False
        holder = (
            Tenure.objects.current()
            .filter(post_id=plan.post_id, role=Tenure.Role.HOLDER)
            .values_list("pk", flat=True)
            .first()
        )
        if holder != plan.outgoing_id:  # stood down or rotated meanwhile: not this plan's post
            _failed(plan, _("The post's holder changed after the plan was made: plan it again."))
            return False
        reserve = (
            Tenure.objects.current()
            .filter(post_id=plan.post_id, role=Tenure.Role.RESERVE, person_id=plan.incoming_id)
            .first()
        )
        try:
            with transaction.atomic():
                if reserve is not None:
                    end_tenure(reserve, end=plan.on, reason=_("took over as holder"))
                tenure = appoint(plan.post, plan.incoming, start=plan.on)
        except PostError as error:
            _failed(plan, str(error))
            return False
        RotationPlan.objects.filter(pk=plan.pk).update(tenure=tenure)
        record("rotation.carried_out", obj=plan, detail={"tenure": tenure.pk})
    return True


def _failed(plan: RotationPlan, outcome: str) -> None:
    """Claimed in the caller's transaction, the plan could not be carried out after all: it is
    cancelled with why (the staff's page lists it), and the audit says so."""
    RotationPlan.objects.filter(pk=plan.pk, state=RotationPlan.State.CARRIED_OUT).update(
        state=RotationPlan.State.CANCELLED, outcome=outcome[:200]
    )
    record("rotation.failed", obj=plan, detail={"outcome": outcome[:200]})


def carry_out_due(today: datetime.date | None = None) -> int:
    """The worker's daily run: every plan whose day has come; returns how many were carried out."""
    today = today or timezone.localdate()
    due = RotationPlan.objects.filter(state=RotationPlan.State.PLANNED, on__lte=today)
    return sum(
        carry_out(plan) for plan in due.select_related("post", "incoming").order_by("on", "pk")
    )
