"""Accounts for leaders, staff and departments without the admin: the staff over a person
(community staff for their community, the county office for the county) invite them from
their record in the register; the person opens the link within a few days, chooses a user
name and sets their own password under the usual password rules.

Only a keyed hash of the link's token is stored: the link is shown once to whoever made it.
A person has at most one open invitation (a new one withdraws the old)."""

from __future__ import annotations

import datetime
import secrets
from typing import TYPE_CHECKING

from django.contrib.auth import password_validation
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, require
from sanzhang.access.scope import scope_filter
from sanzhang.audit.services import record
from sanzhang.core.crypto import keyed_hash
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import Tenure

from .models import Invitation

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

VALID_DAYS = 7
# Which accounts each inviter may offer, and the kind of organisation each account works for.
OFFERS: dict[str, list[str]] = {
    Role.COMMUNITY_STAFF: [Role.LEADER, Role.COMMUNITY_STAFF],
    Role.COUNTY_OFFICE: [
        Role.LEADER,
        Role.COMMUNITY_STAFF,
        Role.DEPARTMENT,
        Role.ORG_DEPARTMENT,
        Role.COUNTY_OFFICE,
    ],
}
ORGANISATION_KIND: dict[str, str] = {
    Role.COMMUNITY_STAFF: Organisation.Kind.COMMITTEE,
    Role.DEPARTMENT: Organisation.Kind.DEPARTMENT,
    Role.ORG_DEPARTMENT: Organisation.Kind.DEPARTMENT,  # 组织部 is a department of the party
    Role.COUNTY_OFFICE: Organisation.Kind.COUNTY_OFFICE,
}


def roles_offered(actor: Actor) -> list[str]:
    return OFFERS.get(actor.role, [])


def people_to_invite(actor: Actor) -> QuerySet[Person]:
    """People of the actor's area without an account."""
    return people_of_area(actor).filter(user__isnull=True)


def people_of_area(actor: Actor) -> QuerySet[Person]:
    """People living in the actor's area, and those holding a post there now (a leader's
    record may have no household); none for those who do not invite."""
    if not roles_offered(actor):
        return Person.objects.none()
    holding = Q(
        pk__in=Tenure.objects.current()
        .filter(scope_filter(actor, "post__place__code"))
        .values("person_id")
    )
    living = scope_filter(actor, "household__place__code") & Q(household__isnull=False)
    return Person.objects.filter(living | holding)


def organisations_for(actor: Actor) -> QuerySet[Organisation]:
    return Organisation.objects.filter(scope_filter(actor, "place__code")).order_by("kind", "name")


def token_hash(token: str) -> str:
    return keyed_hash(f"invitation:{token}")


def invite(
    actor: Actor,
    person: Person,
    role: str,
    organisation: Organisation | None = None,
    *,
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Offer `person` an account with `role` (working for `organisation` where the role has
    one); returns the invitation and the token for its link, which is not stored."""
    require(actor, Can.INVITE_ACCOUNTS, _("Only community staff and the county office invite."))
    if role not in roles_offered(actor):
        raise NotAllowed(_("You may not offer this kind of account."))
    if not people_to_invite(actor).filter(pk=person.pk).exists():
        if User.objects.filter(person=person).exists():
            raise Conflict(_("This person has an account already."))
        raise NotAllowed(_("This person is outside your area."))
    kind = ORGANISATION_KIND.get(role)
    if kind is None:
        organisation = None
    elif organisation is None or organisation.kind != kind:
        raise Invalid(_("Choose the organisation the account works for."))
    elif not organisations_for(actor).filter(pk=organisation.pk).exists():
        raise NotAllowed(_("This organisation is outside your area."))
    now = timezone.now()
    token = secrets.token_urlsafe(24)
    with transaction.atomic():
        # One open invitation per person: the new one replaces any before it.
        Invitation.objects.filter(
            person=person, used_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=now)
        invitation = Invitation.objects.create(
            person=person,
            role=role,
            organisation=organisation,
            token_hash=token_hash(token),
            created_by=actor,
            expires_at=now + datetime.timedelta(days=VALID_DAYS),
        )
        record("invitation.made", actor=actor, obj=invitation, detail={"role": role})
    return invitation, token


def open_invitation(token: str) -> Invitation | None:
    """The invitation this token opens, if it is still open (not used, withdrawn or expired)."""
    if not token or len(token) > 64:
        return None
    return (
        Invitation.objects.filter(
            token_hash=token_hash(token),
            used_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("person", "organisation")
        .first()
    )


def check_password(password: str, username: str, invitation: Invitation) -> None:
    """The password rules of every account (raises Django's ValidationError)."""
    candidate = User(username=username, first_name=invitation.person.name[:150])
    password_validation.validate_password(password, candidate)


def accept(token: str, *, username: str, password: str, request: HttpRequest | None = None) -> User:
    """The invited person takes the account: made once, whatever the retries."""
    invitation = open_invitation(token)
    if invitation is None:
        raise Conflict(_("This invitation link is no longer valid; ask for a new one."))
    if User.objects.filter(person_id=invitation.person_id).exists():
        # An account made meanwhile (a resident signing up by phone): this link is spent.
        Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())
        raise Conflict(_("You have an account already; ask your community to change it."))
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise Invalid(_("This user name is taken; choose another."))
    now = timezone.now()
    try:
        with transaction.atomic():
            taken = Invitation.objects.filter(
                pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
            ).update(used_at=now)
            if not taken:
                raise Conflict(_("This invitation link is no longer valid; ask for a new one."))
            user = User(
                username=username,
                role=invitation.role,
                person=invitation.person,
                organisation=invitation.organisation,
                first_name=invitation.person.name[:150],
            )
            user.set_password(password)
            user.save()
            Invitation.objects.filter(pk=invitation.pk).update(user=user)
            password_validation.password_changed(password, user)
            record("invitation.accepted", actor=user, request=request, obj=invitation)
    except IntegrityError as error:  # the name or the person taken a moment earlier
        raise Conflict(_("This user name is taken; choose another.")) from error
    return user


def invitations_for(actor: Actor) -> QuerySet[Invitation]:
    """Invitations to people of the actor's area, newest first."""
    offered = roles_offered(actor)
    if not offered:
        return Invitation.objects.none()
    # Only the kinds of account the actor could have offered (not the office's own).
    return (
        Invitation.objects.filter(person__in=people_of_area(actor), role__in=offered)
        .select_related("person", "organisation", "user")
        .order_by("-created_at")
    )


def withdraw(actor: Actor, invitation: Invitation, *, request: HttpRequest | None = None) -> None:
    """Withdraw an open invitation of the actor's area; one used or withdrawn is told."""
    require(actor, Can.INVITE_ACCOUNTS, _("Only community staff and the county office invite."))
    if not invitations_for(actor).filter(pk=invitation.pk).exists():
        raise NotAllowed(_("This person is outside your area."))
    withdrawn = Invitation.objects.filter(
        pk=invitation.pk, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if not withdrawn:
        raise Conflict(_("This invitation is used or withdrawn already."))
    record("invitation.withdrawn", actor=actor, request=request, obj=invitation)
