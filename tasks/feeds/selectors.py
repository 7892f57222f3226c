"""Reads of calendar feeds: whose feed a token is, and the events of a person's feed.

A fixed number of queries whatever the data: the token with its person (1), the periods (1),
the milestones (1)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from tasks.milestones.models import Milestone, MilestoneState
from tasks.plan.models import Assignment
from tasks.reporting.models import PeriodState, ReportingPeriod
from tasks.supervision.selectors import order_list
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import CalendarFeed
from .services import token_digest


@dataclass(frozen=True)
class FeedEvent:
    """One all-day event of a feed. ``uid`` is stable across fetches (the calendar app updates
    the event in place when its date or title changes); ``link`` is a path on the site."""

    uid: str
    day: date
    summary: str
    description: str = ""
    link: str = ""


def feed_owner(*, token: str) -> User | None:
    """The active person whose active feed this token is, or None (unknown, revoked, inactive)."""
    if not token or len(token) > 128:
        return None
    feed = (
        CalendarFeed.objects.select_related("user__unit")
        .filter(token_hash=token_digest(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed is not None else None


def active_feed(*, user: User) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()


def period_due_events(user: User) -> list[FeedEvent]:
    """The reporting due dates of the current plan's open and planned periods: for a unit's staff
    when the unit has duties in the plan, for the office and leaders always."""
    periods = ReportingPeriod.objects.filter(
        plan__is_current=True, state__in=[PeriodState.OPEN, PeriodState.PLANNED]
    ).order_by("due_date", "id")
    if is_unit_staff(user):
        duties = Assignment.objects.filter(unit=user.unit).filter(
            Q(task__plan=OuterRef("plan")) | Q(demo__plan=OuterRef("plan"))
        )
        periods = periods.filter(Exists(duties))
    elif not (is_office(user) or is_leader(user)):
        return []
    return [
        FeedEvent(
            uid=f"period-{p.pk}-due",
            day=p.due_date,
            summary=f"{p.label}进展报送截止",
            description=(
                f"报送周期 {p.code}（{p.start_date:%Y-%m-%d} 至 {p.end_date:%Y-%m-%d}），"
                f"状态：{p.get_state_display()}。"
            ),
            link=reverse("reporting:period-detail", args=[p.code]),
        )
        for p in periods
    ]


def milestone_events(user: User) -> list[FeedEvent]:
    """The due dates of the unit's milestones not yet confirmed done (a unit's staff only)."""
    if not is_unit_staff(user):
        return []
    milestones = (
        Milestone.objects.filter(unit=user.unit)
        .exclude(state=MilestoneState.CONFIRMED)
        .select_related("assignment__task", "assignment__demo")
        .order_by("due_date", "id")
    )
    events = []
    for m in milestones:
        task, demo = m.assignment.task, m.assignment.demo
        owner = f"任务 {task.code}，" if task else (f"示范工程“{demo.name}”，" if demo else "")
        events.append(
            FeedEvent(
                uid=f"milestone-{m.pk}-due",
                day=m.due_date,
                summary=f"年度节点截止：{m.title}",
                description=(f"{owner}{m.year}年度节点，状态：{m.get_state_display()}。"),
                link=reverse("milestones:detail", args=[m.pk]),
            )
        )
    return events


def supervision_deadlines(user: User) -> list[FeedEvent]:
    """The reply deadlines of the open 督办单 that concern the person: their unit's for a unit's
    staff, every open one for the office and leaders (``supervision.selectors.order_list``, the
    same rule as the 督办单 pages); one query."""
    events = []
    for order in order_list(user, open_only=True):
        events.append(
            FeedEvent(
                uid=f"supervision-{order.pk}-due",
                day=order.due_date,
                summary=f"督办单反馈截止：{order.number}",
                description=(
                    f"{order.unit.name}，任务 {order.task.code}，"
                    f"状态：{order.get_state_display()}。"
                ),
                link=reverse("supervision:order-detail", args=[order.pk]),
            )
        )
    return events


def feed_events(user: User) -> list[FeedEvent]:
    """Everything on the person's feed, by date."""
    events = period_due_events(user) + milestone_events(user) + supervision_deadlines(user)
    return sorted(events, key=lambda e: (e.day, e.uid))
