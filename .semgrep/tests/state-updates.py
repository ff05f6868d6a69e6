from django.db.models import F

from sanzhang.issues.models import Issue


def examples(issue, rectification):
    # ruleid: sanzhang-unconditional-state-update
    Issue.objects.filter(pk=issue.pk).update(state="closed")
    # ruleid: sanzhang-unconditional-state-update
    rectification.items.filter(list_id=1).update(status="open", version=F("version") + 1)
    # ok: sanzhang-unconditional-state-update
    Issue.objects.filter(pk=issue.pk, version=issue.version).update(
        state="closed", version=F("version") + 1
    )
    # ok: sanzhang-unconditional-state-update
    rectification.items.filter(status="draft").update(status="open")
    # ok: sanzhang-unconditional-state-update
    Issue.objects.filter(pk=issue.pk, state__in=["new", "claimed"]).update(state="closed")
    # ok: sanzhang-unconditional-state-update
    Issue.objects.filter(pk=issue.pk).update(updated_at=issue.updated_at)


def narrowed_before(now):
    lapsed = Issue.objects.filter(state="sending", due__lte=now)
    # ok: sanzhang-unconditional-state-update
    lapsed.filter(attempts__gte=3).update(state="failed")
