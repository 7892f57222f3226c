"""The daily sweep (催办 by the machine): ``reminders_sweep(as_of=...)``.

On a rest day it returns at once having sent nothing. On a working day it sends every step whose
day falls after the previous working day and up to ``as_of`` — the steps that fell on the rest
days in between are caught up, never one older than that. Each notice is written once per
(rule, key, recipient) by ``notify``'s constraint, the key naming the rule, the period, the unit
and the step, so running the sweep twice (or every day of a month twice) sends nothing twice.

Notices are per unit (one notice lists the unit's duties), written in one transaction per unit,
so the number of queries grows with the units told, never with the number of assignments.
"""

import os
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse

from hefei_ai_zone import clock
from tasks.milestones.models import Milestone
from tasks.reminders.directives import directive_reminders
from tasks.reminders.models import BEFORE_KINDS, Escalation, ReminderRule, RuleKind
from tasks.reminders.selectors import (
    Staff,
    Workdays,
    contact_addresses,
    milestones_near,
    periods_open,
    returned_reports,
    rules_active,
    staff_read,
    unit_people,
    workdays_read,
)
from tasks.reporting.models import ProgressReport, ReportingPeriod
from tasks.reporting.selectors import Duty, duties_for_period
from tasks.workdays.selectors import is_workday
from units.notifications.models import Notice
from units.notifications.services import notify

LIST_MAX = 10  # duties named in one notice; the rest are counted
# Test-only: seconds to pause after each unit's transaction, so that an integration test can kill
# the worker in the middle of a sweep (tests/integration). Off (0) unless the variable is set.
PAUSE_PER_UNIT = float(os.environ.get("REMINDERS_SWEEP_PAUSE") or 0)


@dataclass
class SweepResult:
    as_of: date
    workday: bool
    notices: int = 0  # notices written by this sweep (not the ones already there)
    units: int = 0  # units told (a unit once per rule and step)
    escalated: int = 0  # duties newly marked escalated
    sent: list[str] = field(default_factory=list)  # the keys notified

    def summary(self) -> str:
        if not self.workday:
            return f"{self.as_of:%Y-%m-%d} 不是工作日，未发送提醒。"
        return (
            f"{self.as_of:%Y-%m-%d}：新发送提醒 {self.notices} 条，新标记催办 {self.escalated} 项。"
        )


def _what(duty_assignment: object) -> str:
    a = duty_assignment
    task = getattr(a, "task", None)
    if task is not None:
        return f"{task.code} {task.content[:30]}"
    demo = getattr(a, "demo", None)
    return demo.name if demo is not None else "任务"


def _returned_on(report: ProgressReport) -> date | None:
    """The day (Asia/Shanghai) of a returned report's last return (annotated by the selector)."""
    moment = getattr(report, "returned_at", None)
    return clock.local_date(moment) if moment else None


def _listing(lines: list[str]) -> str:
    shown = [f"{i}. {line}" for i, line in enumerate(lines[:LIST_MAX], start=1)]
    if len(lines) > LIST_MAX:
        shown.append(f"……等共 {len(lines)} 项")
    return "\n".join(shown)


class _Sweep:
    def __init__(self, as_of: date, staff: Staff, days: Workdays, result: SweepResult) -> None:
        self.as_of = as_of
        self.staff = staff
        self.days = days
        self.previous = days.previous(as_of)
        self.result = result

    def due(self, step: date | None) -> bool:
        """A step goes out on the first working day on or after its day, and only then."""
        return step is not None and self.previous < step <= self.as_of

    def step_day(self, rule: ReminderRule, day: date, n: int) -> date | None:
        return self.days.before(day, n) if rule.kind in BEFORE_KINDS else self.days.after(day, n)

    def tell(
        self,
        rule: ReminderRule,
        *,
        unit_id: int,
        key: str,
        title: str,
        body: str,
        link: str,
        office_link: str = "",
        escalate: Iterable[Duty] = (),
    ) -> None:
        people, office = unit_people(unit_id, rule.roles, self.staff)
        # the 联络员 (no account) are emailed on the unit's notices, or the office's without them
        addresses = contact_addresses(unit_id, rule.roles, self.staff)
        with transaction.atomic():
            if people:
                notify(
                    rule=rule.code,
                    key=key,
                    recipients=people,
                    title=title,
                    body=body,
                    link=link,
                    addresses=addresses,
                )
            if office:
                notify(
                    rule=rule.code,
                    key=key,
                    recipients=office,
                    title=title,
                    body=body,
                    link=office_link or link,
                    addresses=[] if people else addresses,
                )
            marks = [
                Escalation(
                    period=d.period, assignment=d.assignment, unit=d.unit, escalated_on=self.as_of
                )
                for d in escalate
            ]
            if marks:
                Escalation.objects.bulk_create(marks, ignore_conflicts=True)
        if people or office:
            self.result.units += 1
            self.result.sent.append(key)
        if PAUSE_PER_UNIT:
            time.sleep(PAUSE_PER_UNIT)

    # --- the rules ----------------------------------------------------------------------------

    def periods(self, rule: ReminderRule, period: ReportingPeriod, open_duties: list[Duty]) -> None:
        by_unit: dict[int, list[Duty]] = defaultdict(list)
        for d in open_duties:
            by_unit[d.unit.pk].append(d)
        my_tasks = reverse("reporting:my-tasks")
        for n in rule.steps:
            if not self.due(self.step_day(rule, period.due_date, n)):
                continue
            for unit_id, duties in by_unit.items():
                unit = duties[0].unit
                key = f"{rule.code}:period:{period.pk}:unit:{unit_id}:step:{n}"
                listing = _listing([_what(d.assignment) for d in duties])
                due = f"{period.due_date:%Y年%m月%d日}"
                office_link = (
                    reverse("reporting:period-detail", args=[period.code]) + f"#unit-{unit_id}"
                )
                if rule.kind == RuleKind.DUE_SOON:
                    title = (
                        f"{period.label}进展报告将于{due}截止，"
                        f"{unit.name}尚有 {len(duties)} 项未提交"
                    )
                    body = f"距截止还有 {n} 个工作日。尚未提交：\n{listing}"
                    self.tell(
                        rule,
                        unit_id=unit_id,
                        key=key,
                        title=title,
                        body=body,
                        link=my_tasks,
                        office_link=office_link,
                    )
                elif rule.kind == RuleKind.OVERDUE:
                    title = f"{period.label}进展报告已逾期，{unit.name}尚有 {len(duties)} 项未提交"
                    body = f"报送截止日期为{due}，请尽快提交：\n{listing}"
                    self.tell(
                        rule,
                        unit_id=unit_id,
                        key=key,
                        title=title,
                        body=body,
                        link=my_tasks,
                        office_link=office_link,
                    )
                else:
                    title = f"【催办】{unit.name}{period.label}进展报告逾期 {n} 个工作日未提交"
                    body = (
                        f"报送截止日期为{due}，以下 {len(duties)} 项仍未提交，"
                        f"请督促办理：\n{listing}"
                    )
                    self.tell(
                        rule,
                        unit_id=unit_id,
                        key=key,
                        title=title,
                        body=body,
                        link=my_tasks,
                        office_link=office_link,
                        escalate=duties,
                    )

    def returned(self, rule: ReminderRule, reports: list[ProgressReport]) -> None:
        groups: dict[tuple[int, int, date], list[ProgressReport]] = defaultdict(list)
        for n in rule.steps:
            for r in reports:
                returned_on = _returned_on(r)
                if returned_on is None:
                    continue
                step = self.days.after(returned_on, n)
                if self.due(step):
                    assert step is not None
                    groups[(r.unit_id, n, step)].append(r)
        for (unit_id, n, step), group in groups.items():
            key = (
                f"{rule.code}:period:{group[0].period_id}:unit:{unit_id}:step:{n}:on:{step:%Y%m%d}"
            )
            if len(group) == 1:
                link = reverse("reporting:report-detail", args=[group[0].pk])
            else:
                link = reverse("reporting:my-tasks")
            title = f"被退回的 {len(group)} 份进展报告已 {n} 个工作日未重新提交"
            body = "请按退回意见修改后重新提交：\n" + _listing(
                [f"{r.period.label} {_what(r.assignment)}" for r in group]
            )
            self.tell(rule, unit_id=unit_id, key=key, title=title, body=body, link=link)

    def milestones(self, rule: ReminderRule, milestones: list[Milestone]) -> None:
        groups: dict[tuple[int, int, date], list[Milestone]] = defaultdict(list)
        for n in rule.steps:
            for m in milestones:
                step = self.days.before(m.due_date, n)
                if self.due(step):
                    assert step is not None
                    groups[(m.unit_id, n, step)].append(m)
        link = reverse("milestones:list")
        for (unit_id, n, step), group in groups.items():
            key = f"{rule.code}:unit:{unit_id}:step:{n}:on:{step:%Y%m%d}"
            title = f"{len(group)} 个节点将在 {n} 个工作日后到期"
            body = "请按时完成并标记：\n" + _listing(
                [f"{m.due_date:%Y-%m-%d} {m.title}" for m in group]
            )
            self.tell(rule, unit_id=unit_id, key=key, title=title, body=body, link=link)


def _lookahead(rules: list[ReminderRule]) -> int:
    """Calendar days that hold the largest offset in working days (2n + 31, as the calendar's)."""
    longest = max((max(r.steps) for r in rules if r.kind in BEFORE_KINDS), default=0)
    return 2 * longest + 31


def reminders_sweep(*, as_of: date) -> SweepResult:
    """Send the reminders due on ``as_of`` (see the module's docstring). WorkdayYearMissing when
    the calendar of a year it needs is not entered."""
    if not is_workday(as_of):
        return SweepResult(as_of=as_of, workday=False)
    result = SweepResult(as_of=as_of, workday=True)
    result.notices += directive_reminders(as_of=as_of)  # 督办事项 (tasks/reminders/directives.py)
    rules = rules_active()
    if not rules:
        return result
    codes = [r.code for r in rules]
    before = Notice.objects.filter(rule__in=codes).count()
    marked = Escalation.objects.count()
    kinds = {r.kind for r in rules}
    periods = periods_open()
    returned = returned_reports(periods) if RuleKind.RETURNED_AGAIN in kinds else []
    ahead = as_of + timedelta(days=_lookahead(rules))
    # from a rest span back (a step on the rest days before as_of is caught up)
    near = (
        milestones_near(as_of - timedelta(days=31), ahead)
        if RuleKind.MILESTONE_SOON in kinds
        else []
    )
    # the calendar from before the oldest day a step counts from to the furthest due date
    starts = [p.due_date for p in periods] + [d for r in returned if (d := _returned_on(r))]
    first = min([as_of - timedelta(days=45), *starts])
    last = max([as_of, *[p.due_date for p in periods], *[m.due_date for m in near]])
    days = workdays_read(first, last + timedelta(days=1))
    sweep = _Sweep(as_of, staff_read(), days, result)
    period_kinds = (RuleKind.DUE_SOON, RuleKind.OVERDUE, RuleKind.ESCALATION)
    for period in periods:
        if not kinds & set(period_kinds):
            break
        open_duties = [d for d in duties_for_period(period) if not d.is_submitted]
        for rule in rules:
            if rule.kind in period_kinds:
                sweep.periods(rule, period, open_duties)
    for rule in rules:
        if rule.kind == RuleKind.RETURNED_AGAIN:
            sweep.returned(rule, returned)
        elif rule.kind == RuleKind.MILESTONE_SOON:
            sweep.milestones(rule, near)
    result.notices += Notice.objects.filter(rule__in=codes).count() - before
    result.escalated = Escalation.objects.count() - marked
    return result
