"""Posting reaches the households under the place (or of a special group there), within the
poster's area only; a household's receipt is written once; the unread list is the rest."""

from __future__ import annotations

import pytest

from sanzhang.announcements import audience, services
from sanzhang.announcements.models import Announcement, Receipt
from sanzhang.announcements.tasks import push_announcement
from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import make_household
from sanzhang.core.errors import Invalid, NotAllowed
from sanzhang.notifications.models import Delivery, Endpoint, Notification

pytestmark = pytest.mark.django_db


def _post(user, place, **kwargs):  # type: ignore[no-untyped-def]
    values = {"title": "防汛预警", "body": "今晚有暴雨，请低洼住户转移。", "urgent": True}
    return services.post_announcement(user, place=place, **{**values, **kwargs}).announcement


def test_a_grid_leaders_announcement_reaches_the_households_of_the_grid(
    county, grid_leader, homes
) -> None:
    a = _post(grid_leader, county.grid_a)
    found = set(audience.households_of(a))
    assert found == {homes["a1"], homes["a2"], homes["a3"]}
    assert a.audience_size == 3
    assert a.signed.startswith("第一网格")
    assert AuditEvent.objects.filter(action="announcement.posted", object_id=str(a.pk)).exists()


def test_a_special_group_announcement_reaches_only_that_groups_households(
    county, community_staff, homes, elderly
) -> None:
    a = _post(community_staff, county.community, tag=elderly, urgent=False)
    assert set(audience.households_of(a)) == {homes["a3"], homes["b1"]}
    assert list(audience.for_household(homes["a3"])) == [a]
    assert not audience.for_household(homes["a1"]).exists()


def test_moved_away_households_are_not_in_the_audience(county, grid_leader, homes) -> None:
    homes["a2"].moved_away_on = homes["a2"].created_at.date()
    homes["a2"].save()
    a = _post(grid_leader, county.grid_a)
    assert homes["a2"] not in set(audience.households_of(a))


def test_a_leader_may_not_post_outside_their_area(county, grid_leader, outsider) -> None:
    with pytest.raises(NotAllowed):
        _post(grid_leader, county.grid_b)
    with pytest.raises(NotAllowed):
        _post(grid_leader, county.community)  # above the grid
    with pytest.raises(NotAllowed):
        _post(grid_leader, county.building_a1)  # a building: not a place one posts from


def test_a_unit_leader_and_a_resident_may_not_post(county, unit_leader, residents) -> None:
    with pytest.raises(NotAllowed):
        _post(unit_leader, county.unit_a1_1)
    with pytest.raises(NotAllowed):
        _post(residents["a1"], county.grid_a)
    assert not services.places_for(unit_leader).exists()


def test_a_title_and_a_text_are_needed(county, grid_leader) -> None:
    with pytest.raises(Invalid):
        _post(grid_leader, county.grid_a, title=" ")


def test_the_same_form_twice_is_one_announcement(county, grid_leader) -> None:
    first = services.post_announcement(
        grid_leader, place=county.grid_a, title="停水通知", body="明天停水", post_key="k1"
    )
    again = services.post_announcement(
        grid_leader, place=county.grid_a, title="停水通知", body="明天停水", post_key="k1"
    )
    assert first.created and not again.created
    assert again.announcement == first.announcement
    assert Announcement.objects.count() == 1
    with pytest.raises(Invalid):
        services.post_announcement(
            grid_leader, place=county.grid_a, title="停电通知", body="明天停电", post_key="k1"
        )


def test_a_household_reads_once_whoever_opens_it(county, grid_leader, homes, residents) -> None:
    a = _post(grid_leader, county.grid_a)
    second = make_household(county.unit_a1_1, "999")  # noqa: F841 (another home, unread)
    assert services.read(residents["a1"], a) is True
    assert services.read(residents["a1"], a) is False
    assert Receipt.objects.filter(announcement=a).count() == 1
    assert services.read(residents["a1"], a) is False


def test_a_resident_may_not_read_another_areas_announcement(county, grid_leader, residents) -> None:
    a = _post(grid_leader, county.grid_a)
    with pytest.raises(NotAllowed):
        services.read(residents["b1"], a)


def test_the_unread_list_is_the_audience_without_receipts(
    county, grid_leader, homes, residents
) -> None:
    a = _post(grid_leader, county.grid_a)
    services.read(residents["a1"], a)
    assert set(audience.unread(grid_leader, a)) == {homes["a2"], homes["a3"]}
    assert audience.counts(grid_leader, a) == (1, 3)
    assert services.tell_at_door(grid_leader, a, homes["a2"]) is True
    assert set(audience.unread(grid_leader, a)) == {homes["a3"]}
    receipt = Receipt.objects.get(announcement=a, household=homes["a2"])
    assert receipt.how == Receipt.How.AT_THE_DOOR and receipt.by == grid_leader


def test_a_grid_leader_follows_up_a_county_announcement_in_their_grid_only(
    county, county_officer, grid_leader, homes
) -> None:
    a = _post(county_officer, county.county)
    assert a.audience_size == 5
    assert a in audience.visible_to(grid_leader)
    assert set(audience.unread(grid_leader, a)) == {homes["a1"], homes["a2"], homes["a3"]}
    with pytest.raises(NotAllowed):
        services.tell_at_door(grid_leader, a, homes["b1"])


def test_the_push_tells_each_resident_once_and_the_channels(county, grid_leader, residents) -> None:
    robot = Endpoint.objects.create(
        kind=Endpoint.Kind.WECOM_ROBOT,
        name="第一网格群",
        url="https://robot.test/a",
        place=county.grid_a,
    )
    other = Endpoint.objects.create(
        kind=Endpoint.Kind.WECOM_ROBOT,
        name="第二网格群",
        url="https://robot.test/b",
        place=county.grid_b,
    )
    sms = Endpoint.objects.create(
        kind=Endpoint.Kind.SMS, name="短信", url="https://sms.test/", place=county.county
    )
    county_group = Endpoint.objects.create(
        kind=Endpoint.Kind.WECOM_ROBOT, name="县群", url="https://robot.test/c", place=county.county
    )
    a = _post(grid_leader, county.grid_a)
    assert push_announcement.call(a.pk) == "pushed"
    assert push_announcement.call(a.pk) == "nothing to push"
    told = set(Notification.objects.filter(subject=a.subject).values_list("recipient", flat=True))
    assert told == {residents[k].pk for k in ("a1", "a2", "a3")}
    notice = Notification.objects.get(subject=a.subject, recipient=residents["a1"])
    assert notice.text == "第一网格网格长：防汛预警" and notice.link == f"/announcements/{a.pk}/"
    assert notice.reason == "announcement" and notice.read_at is None and notice.created_at
    sent_to = set(Delivery.objects.filter(subject=a.subject).values_list("endpoint", flat=True))
    assert sent_to == {robot.pk, sms.pk} and other.pk not in sent_to
    assert county_group.pk not in sent_to  # a grid's notice is for the grid's groups
    a.refresh_from_db()
    assert a.pushed_at is not None
    services.read(residents["a1"], a)
    assert Notification.objects.get(subject=a.subject, recipient=residents["a1"]).read_at


def test_the_push_works_in_batches(county, county_officer, residents, monkeypatch) -> None:
    from sanzhang.announcements import tasks

    monkeypatch.setattr(tasks, "BATCH", 2)
    a = _post(county_officer, county.county, urgent=False)
    ids = tasks.account_ids(a)
    assert len(ids) == 5
    assert tasks.tell_batch(a, ids[:2])
    assert Notification.objects.filter(subject=a.subject).count() == 2
    assert tasks.account_ids(a) == ids[2:]  # a push resumed after a crash starts there
    stale = Announcement.objects.get(pk=a.pk)
    stale.pushed_through = 0  # a second worker that read the cursor before the first moved it
    assert not tasks.tell_batch(stale, ids[:2])
    assert push_announcement.call(a.pk) == "pushed"
    assert Notification.objects.filter(subject=a.subject).count() == 5


def test_a_special_groups_announcement_tells_only_that_groups_accounts(
    county, community_staff, residents, elderly
) -> None:
    robot = Endpoint.objects.create(
        kind=Endpoint.Kind.WECOM_ROBOT,
        name="莲花社区群",
        url="https://robot.test/c",
        place=county.community,
    )
    a = _post(community_staff, county.community, tag=elderly, urgent=False)
    assert push_announcement.call(a.pk) == "pushed"
    # Who belongs to a special group stays out of the group chats, which are public by nature.
    assert not Delivery.objects.filter(subject=a.subject, endpoint=robot).exists()
    told = set(Notification.objects.filter(subject=a.subject).values_list("recipient", flat=True))
    assert told == {residents["a3"].pk, residents["b1"].pk}
