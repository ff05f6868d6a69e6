"""The demo county's supervision record, made by the code the scheduler runs: the last 30 daily
summaries, the drafts of the last four weeks (the older two issued, half their items answered),
the last three months' reports, and two published notices. The office's actions are the
history importer's (an inactive county-office account)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from sanzhang.issues.models import Issue, State, Tier
from sanzhang.people.models import User
from sanzhang.places.models import Place, PlaceKind
from sanzhang.supervision import monthly, notices, rectification, summaries
from sanzhang.supervision.models import RectificationItem, RectificationList

from .issues import IMPORTER

DAYS, WEEKS, MONTHS = 30, 4, 3


def load_supervision_history() -> None:
    office = User.objects.get(username=IMPORTER)
    today = summaries.day_of(timezone.now())
    for n in range(DAYS, 0, -1):
        summaries.produce(today - datetime.timedelta(days=n))
    this_week = rectification.monday_of(timezone.localdate())
    for n in range(WEEKS, 0, -1):
        for listed in rectification.draft_week(this_week - datetime.timedelta(weeks=n)):
            if n > 2:
                _issue_and_answer(listed, office)
    month = monthly.month_start(timezone.localdate())
    for _ in range(MONTHS):
        month = monthly.previous_month(month)
        monthly.produce(month)
    _notices(office)


def _issue_and_answer(listed: RectificationList, office: User) -> None:
    items = listed.items.all()
    if items.filter(responsible_post__isnull=True, responsible_organisation__isnull=True):
        return  # an item nobody is responsible for yet stays a draft for the office
    rectification.issue_list(listed, office)
    for item in list(items)[::2]:  # as if half were answered by their posts
        # nosemgrep: sanzhang-unconditional-state-update (demo loader: one process, none signed in)
        RectificationItem.objects.filter(pk=item.pk).update(
            status=RectificationItem.Status.ANSWERED,
            answer="已按要求整改完毕，现场已复查。",
            answered_at=timezone.now(),
        )


def _notices(office: User) -> None:
    county = Place.objects.get(kind=PlaceKind.COUNTY, parent=None)
    solved = Issue.objects.filter(state=State.CLOSED, tier=Tier.HARD).order_by("-closed_at")[:3]
    praise = notices.save_draft(
        office,
        None,
        title="关于职能部门协同解决难点重点问题的表扬通报",
        kind="praise",
        body="各职能部门按交办会要求，协同解决了一批群众反映强烈的难点重点问题，予以通报表扬。",
        places=[county],
        issue_numbers=[i.number for i in solved],
    )
    notices.publish(praise, office)
    township = Place.objects.filter(kind=PlaceKind.DISTRICT).order_by("code").first()
    if township is not None:
        late = notices.save_draft(
            office,
            None,
            title=f"关于{township.name}部分诉求超期未办结的通报",
            kind="criticism",
            places=[township],
            issue_numbers=[],
            body="经督查，部分群众诉求超过办理时限，请限期整改并报送整改情况。",
        )
        notices.publish(late, office)
