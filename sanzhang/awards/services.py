"""Running a best leader campaign (最美三长评选): nominate, shortlist with each nominee's record,
vote (one vote per resident account per campaign), publish the result."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import in_scope, scope_codes
from sanzhang.audit.services import record as audit
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.evaluations.services import latest_standing
from sanzhang.issues.models import IssueEvent
from sanzhang.people.models import User
from sanzhang.places.tree import is_under, lineage
from sanzhang.points.periods import Period
from sanzhang.points.services import points_in
from sanzhang.posts.models import Post, Tenure
from sanzhang.visits.models import Visit

from .models import Campaign, Nomination, Vote

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor

PUBLIC_STAGES = [Campaign.Stage.VOTING, Campaign.Stage.PUBLISHED]

Stage = Campaign.Stage
RECORD_DAYS = 365


def _office(actor: Actor) -> None:
    require(actor, Can.RUN_AWARDS, _("Only the county office runs the campaign."))


def _move(campaign: Campaign, from_stage: str, to_stage: str, **changes: Any) -> None:
    moved = Campaign.objects.filter(pk=campaign.pk, stage=from_stage).update(
        stage=to_stage, **changes
    )
    if not moved:
        raise Conflict(_("The campaign has moved on meanwhile; please look at it again."))
    campaign.refresh_from_db()


def _in_campaign(campaign: Campaign, code: str) -> bool:
    """The place with `code` lies in the campaign's county (any place, for an older one)."""
    return campaign.place is None or is_under(code, campaign.place.code)


def campaigns_visible_to(user: Actor) -> QuerySet[Campaign]:
    """Campaigns of the counties the user works in or lives in (and above, and below for a
    province's office); before voting, only to those who follow awards."""
    codes = scope_codes(user)
    campaigns = Campaign.objects.all()
    if codes is not None:
        household = user.person.household if user.person is not None else None
        if can(user, Can.ACT_AS_RESIDENT) and household is not None:
            codes = [*codes, household.place.code]
        where = Q(place__isnull=True)
        for code in codes:
            where |= Q(place__code__in=lineage(code)) | Q(place__code__under=code)
        campaigns = campaigns.filter(where)
    if not can(user, Can.FOLLOW_AWARDS):
        campaigns = campaigns.filter(stage__in=PUBLIC_STAGES)
    return campaigns


def create_campaign(actor: Actor, *, title: str, winners: int) -> Campaign:
    _office(actor)
    if not actor.organisation_id:
        raise NotAllowed(_("This office account belongs to no office."))
    title = title.strip()
    if not title:
        raise Invalid(_("Give the campaign a title."))
    if not 1 <= winners <= 100:
        raise Invalid(_("Between 1 and 100 awards."))
    place = actor.organisation.place if actor.organisation else None  # the office's county
    campaign = Campaign.objects.create(
        title=title[:100], winners=winners, created_by=actor, place=place
    )
    audit("awards.campaign", actor=actor, obj=campaign)
    return campaign


def nominate(actor: Actor, campaign: Campaign, *, post: Post, reason: str) -> Nomination:
    """A place nominates the current holder of one of its posts (community staff, or the
    county office anywhere)."""
    require(
        actor,
        Can.NOMINATE_FOR_AWARDS,
        _("Nominations come from the community or village, or the office."),
    )
    if campaign.stage != Stage.NOMINATING:
        raise Conflict(_("Nominations are closed."))
    if not in_scope(actor, post.place.code) or not _in_campaign(campaign, post.place.code):
        raise NotAllowed(_("That post is outside your area."))
    holder = Tenure.objects.current().filter(post=post, role=Tenure.Role.HOLDER).first()
    if holder is None:
        raise Invalid(_("Nobody holds that post now."))
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Say what the nominee has done."))
    place = actor.organisation.place if actor.organisation else post.place
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                campaign=campaign,
                person=holder.person,
                post=post,
                place=place,
                reason=reason[:2000],
                nominated_by=actor,
            )
    except IntegrityError:
        raise Conflict(_("%(name)s is nominated already.") % {"name": holder.person.name}) from None
    audit("awards.nominate", actor=actor, obj=nomination)
    return nomination


def nominee_record(person_id: int, now: datetime.datetime | None = None) -> dict[str, int]:
    """The nominee's last year: points, visits made, issues solved (rated satisfied while they
    held the owning post), satisfied and dissatisfied ratings of those issues, and the share
    satisfied in the latest public evaluation (党群评议) with its number of votes."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=RECORD_DAYS)
    posts = list(Tenure.objects.filter(person_id=person_id).values_list("post_id", flat=True))
    accounts = User.objects.filter(person_id=person_id)
    ratings = IssueEvent.objects.filter(
        kind__in=[IssueEvent.Kind.RATED_SATISFIED, IssueEvent.Kind.RATED_DISSATISFIED],
        at__gte=since,
        data__owner_post__in=posts,
    ).exclude(data__has_key="on_behalf")  # call-backs (回访) are not the residents' own word
    counted = ratings.aggregate(
        satisfied=Count("pk", filter=Q(kind=IssueEvent.Kind.RATED_SATISFIED)),
        dissatisfied=Count("pk", filter=Q(kind=IssueEvent.Kind.RATED_DISSATISFIED)),
    )
    year = Period(
        start=timezone.localdate(since),
        end=timezone.localdate(now) + datetime.timedelta(days=1),
        key="record",
        label="",
    )
    record = {
        "points": points_in(person_id, year),
        "visits": Visit.objects.filter(leader__in=accounts, visited_at__gte=since).count(),
        "solved": counted["satisfied"],
        "satisfied": counted["satisfied"],
        "dissatisfied": counted["dissatisfied"],
    }
    # The people's own evaluation of them (党群评议), the latest closed one in the year.
    evaluated = latest_standing(person_id, timezone.localdate(since))
    if evaluated is not None:
        record["evaluated"] = evaluated["total"]
        record["evaluated_percent"] = evaluated["percent"]
    return record


def shortlist(actor: Actor, campaign: Campaign, nominations: list[Nomination]) -> int:
    _office(actor)
    if not nominations:
        raise Invalid(_("Choose the nominees for the shortlist."))
    with transaction.atomic():
        _move(campaign, Stage.NOMINATING, Stage.SHORTLISTED)
        for nomination in nominations:
            if nomination.campaign_id != campaign.pk:
                raise Invalid(_("That nominee is in another campaign."))
            nomination.shortlisted = True
            nomination.record = nominee_record(nomination.person_id)
            nomination.save(update_fields=["shortlisted", "record"])
    audit("awards.shortlist", actor=actor, obj=campaign, detail={"n": len(nominations)})
    return len(nominations)


def open_voting(actor: Actor, campaign: Campaign) -> None:
    _office(actor)
    _move(campaign, Stage.SHORTLISTED, Stage.VOTING, voting_opened_at=timezone.now())
    audit("awards.open_voting", actor=actor, obj=campaign)


def vote(voter: Any, campaign: Campaign, nomination: Nomination) -> Vote:
    """One vote per resident account per campaign: a second is refused, even at the same
    moment from two phones (the unique constraint decides)."""
    require(voter, Can.ACT_AS_RESIDENT, _("Residents vote, with their own account."))
    home = voter.person.household if voter.person_id and voter.person.household_id else None
    if home is None or not _in_campaign(campaign, home.place.code):
        raise NotAllowed(_("This campaign is for another county's residents."))
    if campaign.stage != Stage.VOTING:
        raise Conflict(_("Voting is not open."))
    if nomination.campaign_id != campaign.pk or not nomination.shortlisted:
        raise Invalid(_("That nominee is not on this campaign's shortlist."))
    try:
        with transaction.atomic():
            vote = Vote.objects.create(campaign=campaign, nomination=nomination, voter=voter)
            # Voting may have closed since the campaign was read: then the vote is undone.
            if not Campaign.objects.filter(pk=campaign.pk, stage=Stage.VOTING).exists():
                raise Conflict(_("Voting is not open."))
            return vote
    except IntegrityError:
        raise Conflict(_("You have already voted in this campaign.")) from None


def tally(campaign: Campaign) -> list[dict[str, Any]]:
    rows = (
        campaign.nominations.filter(shortlisted=True)
        .select_related("person", "post__place", "place")
        .annotate(n=Count("votes"))
        .order_by("-n", "id")
    )
    return [
        {
            "nomination": n.pk,
            "name": n.person.name,
            "post": str(n.post),
            "place": n.place.name,
            "votes": n.n,
            "rank": i,
            "awarded": i <= campaign.winners,
        }
        for i, n in enumerate(rows, start=1)
    ]


def publish(actor: Actor, campaign: Campaign) -> None:
    _office(actor)
    with transaction.atomic():
        _move(campaign, Stage.VOTING, Stage.PUBLISHED, published_at=timezone.now())
        campaign.result = tally(campaign)
        campaign.save(update_fields=["result"])
    audit("awards.publish", actor=actor, obj=campaign)
