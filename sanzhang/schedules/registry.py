"""The schedules: what runs how often. Code, not data: each names a function."""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Schedule:
    name: str
    # Dotted path of a function returning a str or int; it takes the period's start when
    # `takes_period` is set (a daily summary must know which day it sums), else no arguments.
    function: str
    every: datetime.timedelta
    # True: every missed period gets its own run after downtime (a daily summary per day);
    # False: only the latest one does (a sweep that covers everything anyway).
    catch_up: bool = False
    # Where periods start, from midnight UTC (a daily run at 20:00 Beijing time: 12 hours).
    offset: datetime.timedelta = datetime.timedelta(0)
    takes_period: bool = False


def local_hour(hour: int) -> datetime.timedelta:
    """The offset from midnight UTC of `hour` o'clock in the county's time zone."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    utc_offset = datetime.datetime(2020, 1, 1, tzinfo=zone).utcoffset() or datetime.timedelta()
    return (datetime.timedelta(hours=hour) - utc_offset) % datetime.timedelta(days=1)


SCHEDULES: list[Schedule] = [
    Schedule(
        "escalate_overdue",
        "sanzhang.issues.overdue.escalate_overdue",
        datetime.timedelta(minutes=15),
    ),
    Schedule(
        "sweep_deliveries",
        "sanzhang.notifications.tasks.sweep_pending",
        datetime.timedelta(minutes=5),
    ),
    Schedule(
        "sweep_report_notices",  # new reports whose notices a lost queue entry left unwritten
        "sanzhang.issues.report_notices.sweep_untold",
        datetime.timedelta(minutes=5),
    ),
    Schedule(
        "sweep_announcements",  # pushes of announcements a worker left unfinished
        "sanzhang.announcements.tasks.sweep_unpushed",
        datetime.timedelta(minutes=5),
    ),
    Schedule(
        "daily_summaries",
        "sanzhang.supervision.summaries.produce_for_period",
        datetime.timedelta(days=1),
        catch_up=True,
        offset=local_hour(settings.DAILY_SUMMARY_HOUR),
        takes_period=True,
    ),
    Schedule(
        "weekly_rectification",
        "sanzhang.supervision.rectification.draft_for_period",
        datetime.timedelta(days=7),
        catch_up=True,
        offset=datetime.timedelta(days=5) + local_hour(8),  # Mondays (2020-01-06 was one)
        takes_period=True,
    ),
    Schedule(
        "monthly_reports",  # daily: makes last month's reports from the 1st, once
        "sanzhang.supervision.monthly.produce_for_period",
        datetime.timedelta(days=1),
        offset=local_hour(6),
        takes_period=True,
    ),
    Schedule(
        "flag_rectification",
        "sanzhang.supervision.rectification.flag_overdue_items",
        datetime.timedelta(days=1),
        offset=local_hour(8),
    ),
    Schedule(
        "daily_digests",  # what waits on each leader and staff member who asked (每日待办摘要)
        "sanzhang.supervision.digests.send_for_period",
        datetime.timedelta(days=1),
        offset=local_hour(settings.DAILY_DIGEST_HOUR),
        takes_period=True,
    ),
    Schedule(
        "remind_unrated",  # results waiting for the resident's rating (请评价), once each
        "sanzhang.supervision.callbacks.remind_unrated",
        datetime.timedelta(days=1),
        offset=local_hour(10),
    ),
    Schedule(
        "ship_audit",  # the audit log off the machine, its chain's head anchored there
        "sanzhang.audit.shipping.ship_configured",
        datetime.timedelta(hours=1),
    ),
    Schedule(
        "carry_out_rotations",  # 轮岗: the plans whose day has come, early in the morning
        "sanzhang.rotation.plans.carry_out_due",
        datetime.timedelta(days=1),
        offset=local_hour(1),
    ),
    Schedule(
        "remind_terms_ending",  # terms ending within a month, told once to the staff over them
        "sanzhang.rotation.terms.remind_terms_ending",
        datetime.timedelta(days=1),
        offset=local_hour(9),
    ),
    Schedule(
        "train_triage",  # each county's triage model, from its confirmed issues, at night
        "sanzhang.issues.triage_training.train_all",
        datetime.timedelta(days=1),
        offset=local_hour(3),
    ),
    Schedule(
        "flag_late_wishes",
        "sanzhang.wishes.services.flag_late",
        datetime.timedelta(days=1),
        offset=local_hour(8),
    ),
]


def by_name(name: str) -> Schedule:
    return next(s for s in SCHEDULES if s.name == name)
