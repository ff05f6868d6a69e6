"""Before a resident sends a report: open issues of the same grid with similar words, so that
one already reported is followed (已有人反映？关注它) rather than reported twice. Only issues
whose reporters let their words be shown are offered, and following one shows nothing more
than the public page does."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sanzhang.access.actor import Actor
from sanzhang.access.roles import Can, require
from sanzhang.core.errors import Invalid
from sanzhang.places.models import Place

from .models import OPEN_STATES, WORDS_PUBLIC, Issue, IssueFollower
from .suggest import _bigrams, _grid_code

RECENT_DAYS = 60
READ_AT_MOST = 100  # the grid's latest open issues compared with what is being typed
LIMIT = 3
SHARED = 0.3  # the share of the typed words' character pairs an issue must have too


def similar_open(place: Place, text: str) -> list[Issue]:
    """Open, shown-with-consent issues of `place`'s grid whose words are like `text`."""
    typed = _bigrams(text)
    if len(typed) < 3:
        return []
    grid = _grid_code(place) or place.code
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    candidates = (
        Issue.objects.filter(
            WORDS_PUBLIC,
            place__code__under=grid,
            state__in=OPEN_STATES,
            created_at__gte=since,
        )
        .select_related("place", "category")
        .order_by("-created_at")[:READ_AT_MOST]
    )
    scored = []
    for issue in candidates:
        shared = len(typed & _bigrams(issue.text)) / len(typed)
        if shared >= SHARED:
            scored.append((shared, issue))
    scored.sort(key=lambda pair: -pair[0])
    return [issue for _shared, issue in scored[:LIMIT]]


def follow(user: Actor, issue: Issue) -> IssueFollower:
    """The resident is told of the issue's steps as its reporter is; following twice is once."""
    require(user, Can.ACT_AS_RESIDENT, _("Residents follow reports."))
    if issue.state not in OPEN_STATES or not issue.words_public:
        raise Invalid(_("This report cannot be followed."))
    try:
        with transaction.atomic():
            found, _created = IssueFollower.objects.get_or_create(issue=issue, user=user)
    except IntegrityError:  # the same tap, a moment earlier
        found = IssueFollower.objects.get(issue=issue, user=user)
    return found
