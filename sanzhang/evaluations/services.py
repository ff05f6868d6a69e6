"""Public evaluation's verbs: open and close a period (the county office), evaluate a holder
(residents and party members), and read the results.

For other apps (the best-leader shortlist, the monthly report): `results_for(period,
place_code)` gives each holder's counts and satisfaction rate under a place, and
`latest_closed(place_code)` the most recent closed period over it. The satisfaction rate is
(satisfied + basically satisfied) / all evaluations, as the county's 满意率 is counted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can, can, require
from sanzhang.access.scope import scope_codes
from sanzhang.audit.services import record
from sanzhang.core.errors import Conflict, Invalid, NotAllowed
from sanzhang.people.models import Person
from sanzhang.places.tree import lineage
from sanzhang.points.models import Cause
from sanzhang.points.services import award
from sanzhang.posts.models import Tenure

from .models import COMMENT_MAX, Choice, Evaluation, Period, Result, State

if TYPE_CHECKING:
    from sanzhang.access.actor import Actor, Visitor

TITLE_MAX = 60


@dataclass(frozen=True)
class HolderResult:
    """One holder's evaluation in a period. `rate` is None when nobody evaluated them."""

    tenure_id: int
    person_id: int
    name: str
    post_kind: str
    place_code: str
    place_name: str
    satisfied: int
    basic: int
    unsatisfied: int

    @property
    def total(self) -> int:
        return self.satisfied + self.basic + self.unsatisfied

    @property
    def rate(self) -> float | None:
        return (self.satisfied + self.basic) / self.total if self.total else None

    @property
    def percent(self) -> str:
        return "" if self.rate is None else f"{self.rate * 100:.1f}%"

    @property
    def post_label(self) -> str:
        from sanzhang.posts.models import PostKind

        return str(PostKind(self.post_kind).label) if self.post_kind in PostKind.values else ""


# --- periods -----------------------------------------------------------------------------


def open_period(
    actor: Actor,
    *,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    pass_rate: int | None = None,
    min_votes: int | None = None,
    request: Any = None,
) -> Period:
    """The county office opens an evaluation of the holders in its county."""
    require(actor, Can.RUN_EVALUATIONS, _("Only the county office opens evaluations."))
    organisation = getattr(actor, "organisation", None)
    if organisation is None:
        raise NotAllowed(_("This office account belongs to no office."))
    title = (title or "").strip()
    if not title:
        raise Invalid(_("Give the evaluation a title, such as 2026年第四季度."))
    if len(title) > TITLE_MAX:
        raise Invalid(_("Please keep the title under 60 characters."))
    if ends_on < starts_on:
        raise Invalid(_("The evaluation must end on or after the day it starts."))
    if pass_rate is not None and not 0 < pass_rate <= 100:
        raise Invalid(_("The satisfaction rate for points is a percentage from 1 to 100."))
    period = Period(
        place=organisation.place,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        opened_by=actor,
    )
    if pass_rate is not None:
        period.pass_rate = pass_rate
    if min_votes is not None:
        period.min_votes = max(1, min_votes)
    try:
        with transaction.atomic():
            period.save()
            record(
                "evaluation.opened",
                actor=actor,
                request=request,
                obj=period,
                detail={
                    "title": title,
                    "place": organisation.place.code,
                    "starts_on": str(starts_on),
                    "ends_on": str(ends_on),
                },
            )
    except IntegrityError as exc:
        raise Conflict(_("An evaluation is already open here; close it first.")) from exc
    return period


def close_period(period: Period, actor: Actor, *, request: Any = None) -> list[HolderResult]:
    """Close the period: keep each holder's counts, and give points to the holders rated at
    least `pass_rate` % satisfied by at least `min_votes` people (under the points rule for
    `evaluation_satisfied` in force; none in force, no points). Closing twice is refused."""
    require(actor, Can.RUN_EVALUATIONS, _("Only the county office closes evaluations."))
    with transaction.atomic():
        results = settle(period, timezone.now(), actor=actor)
        record(
            "evaluation.closed",
            actor=actor,
            request=request,
            obj=period,
            detail={
                "holders": len(results),
                "rewarded": sum(1 for r in results if earns_points(period, r)),
            },
        )
    return results


def settle(
    period: Period, at: datetime.datetime, *, actor: Actor | None = None
) -> list[HolderResult]:
    """The closing itself (the office's `close_period`, the demo's history): mark the period
    closed if it is open (else Conflict), count each holder's evaluations once, keep the
    counts as Results and award the points; returns the counts."""
    with transaction.atomic():
        closed = Period.objects.filter(pk=period.pk, state=State.OPEN).update(
            state=State.CLOSED, closed_by=actor, closed_at=at
        )
        if closed != 1:
            raise Conflict(_("This evaluation is closed already."))
        period.state, period.closed_by, period.closed_at = State.CLOSED, actor, at
        # Recounted from the votes themselves (one GROUP BY), whatever the running counts say.
        counted = count_votes(period)
        Result.objects.filter(period=period).delete()
        kept = Result.objects.bulk_create(
            (
                Result(
                    period=period,
                    tenure_id=row.tenure_id,
                    satisfied=row.satisfied,
                    basic=row.basic,
                    unsatisfied=row.unsatisfied,
                )
                for row in counted
            ),
            batch_size=2000,
        )
        rewarded = {row.tenure_id for row in counted if earns_points(period, row)}
        tenures = Tenure.objects.select_related("person", "post__place").in_bulk(rewarded)
        for result in kept:
            if result.tenure_id in rewarded:
                result.tenure = tenures[result.tenure_id]
                award(result.tenure.person, Cause.EVALUATION_SATISFIED, result, at=at, actor=actor)
    return counted


def earns_points(period: Period, row: HolderResult) -> bool:
    """At least `min_votes` evaluations and a rate of at least `pass_rate` % (in integers)."""
    content = row.satisfied + row.basic
    return row.total >= period.min_votes and content * 100 >= period.pass_rate * row.total


def periods_visible_to(user: Visitor) -> QuerySet[Period]:
    """Periods over or under the user's scope: a county's periods for its office and staff,
    and for the holders of posts in it."""
    codes = scope_codes(user)
    if codes is None:
        return Period.objects.all()
    query = Q(pk__in=[])
    for code in codes:
        query |= Q(place__code__under=code) | Q(place__code__in=lineage(code))
    return Period.objects.filter(query)


# --- evaluating ----------------------------------------------------------------------------


def home_code(person: Person | None) -> str | None:
    household = person.household if person is not None else None
    return household.place.code if household is not None else None


def periods_over(person: Person | None) -> QuerySet[Period]:
    """Every period over the person's home, open or closed."""
    code = home_code(person)
    if code is None:
        return Period.objects.none()
    return Period.objects.filter(place__code__in=lineage(code))


def open_periods_for(person: Person | None, day: datetime.date | None = None) -> QuerySet[Period]:
    """The open periods over the person's home that take votes on `day` (today)."""
    day = day or timezone.localdate()
    return periods_over(person).filter(state=State.OPEN, starts_on__lte=day, ends_on__gte=day)


def holders_over(person: Person, period: Period) -> QuerySet[Tenure]:
    """The current holders of posts at the person's home place and every place above it, in
    the period's area, nearest first; never the person themselves."""
    code = home_code(person)
    if code is None:
        return Tenure.objects.none()
    return (
        Tenure.objects.current()
        .filter(
            role=Tenure.Role.HOLDER,
            post__place__code__in=lineage(code),
            post__place__code__under=period.place.code,
        )
        .exclude(person=person)
        .select_related("person", "post__place")
        .order_by("-post__place__depth", "post__kind", "post__seat")
    )


def answers_of(person: Person, period: Period) -> dict[int, str]:
    """Tenure id → the choice the person gave in the period."""
    given = Evaluation.objects.filter(period=period, voter=person)
    return dict(given.values_list("tenure_id", "choice"))


def evaluate(
    user: Actor, period: Period, tenure: Tenure, choice: str, comment: str = ""
) -> Evaluation:
    """The user's person evaluates a holder over their home, once per period."""
    if not can(user, Can.EVALUATE_POST_HOLDERS) or not user.person_id:
        raise NotAllowed(_("Only residents and party members with a household evaluate."))
    person = user.person
    assert person is not None  # nosec B101 # for mypy: person_id is set
    if choice not in Choice.values:
        raise Invalid(_("Choose satisfied, basically satisfied or not satisfied."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise Invalid(_("Please keep the comment under 200 characters."))
    now = timezone.now()
    with transaction.atomic():
        # Locked, so a vote and the closing never cross (SQLite serialises writers anyway).
        current = Period.objects.select_for_update().filter(pk=period.pk).first()
        today = timezone.localdate(now)
        if current is None or current.state != State.OPEN:
            raise Conflict(_("This evaluation is closed."))
        if not current.starts_on <= today <= current.ends_on:
            raise Invalid(_("This evaluation does not take answers today."))
        if not holders_over(person, current).filter(pk=tenure.pk).exists():
            raise NotAllowed(_("You may evaluate only the holders of posts over your home."))
        if Evaluation.objects.filter(period=current, tenure=tenure, voter=person).exists():
            raise Conflict(_("You have already evaluated this holder in this evaluation."))
        try:
            with transaction.atomic():
                given = Evaluation.objects.create(
                    period=current,
                    tenure=tenure,
                    voter=person,
                    cast_by=user,
                    choice=choice,
                    comment=comment,
                    at=now,
                )
                _count_in(current, tenure, choice)
                return given
        except IntegrityError as exc:  # the same answer, committed between look and insert
            raise Conflict(_("You have already evaluated this holder in this evaluation.")) from exc


def _count_in(period: Period, tenure: Tenure, choice: str) -> None:
    """Add one to the holder's running counts (a conditional-free UPDATE of one row, in the
    vote's transaction), so reading results never goes over the votes."""
    Result.objects.bulk_create(
        [Result(period=period, tenure=tenure, satisfied=0, basic=0, unsatisfied=0)],
        ignore_conflicts=True,
    )
    fields: dict[str, str] = {Choice.SATISFIED: "satisfied", Choice.BASIC: "basic"}
    field = fields.get(choice, "unsatisfied")
    Result.objects.filter(period=period, tenure=tenure).update(**{field: F(field) + 1})


# --- results -------------------------------------------------------------------------------

_HOLDER_FIELDS = (
    "tenure_id",
    "tenure__person_id",
    "tenure__person__name",
    "tenure__post__kind",
    "tenure__post__place__code",
    "tenure__post__place__name",
)


def _rows(values: Any) -> list[HolderResult]:
    return [
        HolderResult(
            tenure_id=v["tenure_id"],
            person_id=v["tenure__person_id"],
            name=v["tenure__person__name"],
            post_kind=v["tenure__post__kind"],
            place_code=v["tenure__post__place__code"],
            place_name=v["tenure__post__place__name"],
            satisfied=v["satisfied"],
            basic=v["basic"],
            unsatisfied=v["unsatisfied"],
        )
        for v in values
    ]


def count_votes(period: Period, place_code: str | None = None) -> list[HolderResult]:
    """Each holder's counts taken from the votes themselves, in one GROUP BY query: what the
    closing keeps, and a check on the running counts."""
    where = Q(tenure__post__place__code__under=place_code) if place_code else Q()
    grouped = (
        Evaluation.objects.filter(where, period=period)
        .values(*_HOLDER_FIELDS)
        .annotate(
            satisfied=Count("pk", filter=Q(choice=Choice.SATISFIED)),
            basic=Count("pk", filter=Q(choice=Choice.BASIC)),
            unsatisfied=Count("pk", filter=Q(choice=Choice.UNSATISFIED)),
        )
        .order_by("tenure__post__place__code", "tenure_id")
    )
    return _rows(grouped)


def results_for(
    period: Period, place_code: str | None = None, within: Q | None = None
) -> list[HolderResult]:
    """Each holder's counts in `period` for posts under `place_code` (all when None), and in
    `within` (a Q on `tenure__post__place__code`, e.g. a user's scope), by place code: one
    query over one row per holder, however many the votes. While the period is open these are
    the running counts; once closed, the counts recounted from the votes at closing."""
    return _rows(result_rows(period, place_code, within))


def result_rows(
    period: Period, place_code: str | None = None, within: Q | None = None
) -> QuerySet[Result, dict[str, Any]]:
    """`results_for`'s query, to page through (turn each page into rows with `as_results`)."""
    where = Q(tenure__post__place__code__under=place_code) if place_code else Q()
    if within is not None:
        where &= within
    rows: QuerySet[Result, dict[str, Any]] = (
        Result.objects.filter(where, period=period)
        .values(*_HOLDER_FIELDS, "satisfied", "basic", "unsatisfied")
        .order_by("tenure__post__place__code", "tenure_id")
    )
    return rows


def as_results(values: Any) -> list[HolderResult]:
    return _rows(values)


def latest_closed(place_code: str) -> Period | None:
    """The most recently closed period over (or at) the place: what a report quotes."""
    return (
        Period.objects.filter(state=State.CLOSED, place__code__in=lineage(place_code))
        .order_by("-ends_on", "-id")
        .first()
    )


def own_results(person: Person) -> list[tuple[Period, HolderResult, list[tuple[str, str]]]]:
    """A holder's own results in closed periods, with the comments given (choice, words),
    never who gave them, in an order that says nothing of when they came."""
    periods = {
        p.pk: p for p in Period.objects.filter(state=State.CLOSED, results__tenure__person=person)
    }
    rows = list(
        Result.objects.filter(period__in=list(periods), tenure__person=person)
        .values("period_id", *_HOLDER_FIELDS, "satisfied", "basic", "unsatisfied")
        .order_by("-period__ends_on", "tenure_id")
    )
    comments: dict[tuple[int, int], list[tuple[str, str]]] = {}
    said = (
        Evaluation.objects.filter(period__in=list(periods), tenure__person=person)
        .exclude(comment="")
        .values_list("period_id", "tenure_id", "choice", "comment")
        .order_by("choice", "comment")
    )
    for period_id, tenure_id, choice, comment in said:
        comments.setdefault((period_id, tenure_id), []).append((str(Choice(choice).label), comment))
    found = []
    for value, row in zip(rows, _rows(rows), strict=True):
        key = (value["period_id"], row.tenure_id)
        found.append((periods[value["period_id"]], row, comments.get(key, [])))
    return found


def latest_standing(person_id: int, since: datetime.date) -> dict[str, int] | None:
    """A holder's votes in the latest closed evaluation that ended on or after `since`, over
    all the posts they held in it (for the best leader shortlist); None when they had none."""
    rows = Result.objects.filter(
        tenure__person_id=person_id, period__state=State.CLOSED, period__ends_on__gte=since
    )
    latest = rows.order_by("-period__ends_on", "-period_id").values_list("period_id", flat=True)
    period_id = latest.first()
    if period_id is None:
        return None
    summed = rows.filter(period_id=period_id).aggregate(
        satisfied=Sum("satisfied"), basic=Sum("basic"), unsatisfied=Sum("unsatisfied")
    )
    counts = {key: value or 0 for key, value in summed.items()}
    total = sum(counts.values())
    if not total:
        return None
    good = counts["satisfied"] + counts["basic"]
    return {**counts, "total": total, "percent": round(100 * good / total)}


def summary_over(place_code: str, before: datetime.date) -> dict[str, Any] | None:
    """The latest evaluation closed over the place that ended before `before`, summed over
    the holders of posts under it (for the monthly report): holders evaluated, votes, the share
    satisfied or basically satisfied, and how many holders with enough votes fell below the
    bar. None when there is none yet."""
    period = (
        Period.objects.filter(
            state=State.CLOSED, place__code__in=lineage(place_code), ends_on__lt=before
        )
        .order_by("-ends_on", "-id")
        .first()
    )
    if period is None:
        return None
    rows = Result.objects.filter(period=period, tenure__post__place__code__under=place_code)
    summed = rows.aggregate(
        holders=Count("pk"),
        satisfied=Sum("satisfied"),
        basic=Sum("basic"),
        unsatisfied=Sum("unsatisfied"),
    )
    below = (
        rows.alias(
            total=F("satisfied") + F("basic") + F("unsatisfied"),
            good=(F("satisfied") + F("basic")) * 100,
        )
        .filter(total__gte=period.min_votes, good__lt=F("total") * period.pass_rate)
        .count()
    )
    good = (summed["satisfied"] or 0) + (summed["basic"] or 0)
    votes = good + (summed["unsatisfied"] or 0)
    return {
        "title": period.title,
        "holders": summed["holders"],
        "votes": votes,
        "percent": round(100 * good / votes) if votes else None,
        "below": below,
    }
