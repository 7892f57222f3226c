"""The daily sweep's 督办事项 reminders (called by ``reminders_sweep`` on working days only; a
step that fell on the rest days before is caught up, each notice written once by its key).

- 签收: a unit that has not signed by the item's ``sign_due_date`` is told on the first working
  day after it (once; ``DirectiveUnit.sign_reminded_at``); the office is told on the working day
  after that (the list shows the item as 逾期未签收: selectors.sign_overdue_q).
- 反馈: the lead unit is told the working day before its feedback date (the rhythm's
  ``next_feedback_date``) and, when the date passed without its feedback (the date did not
  move), on the first working day after it.
- 办结时限: the units are told 3 working days before the deadline, and the units and the office
  on the first working day after it when the item is not closed (nor applied to close). An
  approved extension moves the deadline, so the reminders count again from the new date.

Queries: the open items with their units (two), the staff (one), the working days (one), then
one ``notify`` per item and step told.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import NoReverseMatch, reverse

from hefei_ai_zone import clock
from tasks.directives.models import Directive, DirectiveState, DirectiveUnit
from tasks.reminders.selectors import Staff, Workdays, staff_read, workdays_read
from units.models import Role, User
from units.notifications.models import Notice
from units.notifications.services import notify

RULE = "directive-remind"
DUE_SOON_WORKDAYS = 3
SIGN_STATES = (DirectiveState.ISSUED, DirectiveState.IN_PROGRESS)
LOOKAHEAD_DAYS = 31  # calendar days: covers 3 working days over the longest holiday
LOOKBACK_DAYS = 45


def _link(directive: Directive) -> str:
    try:
        return reverse("directives:detail", args=[directive.pk])
    except NoReverseMatch:
        return ""


def _staff(staff: Staff, unit_ids: Iterable[int]) -> list[User]:
    return [
        user
        for unit_id in unit_ids
        for role in (Role.REPORTER, Role.APPROVER)
        for user in staff.of(unit_id, role)
    ]


def _tell(directive: Directive, step: str, recipients: list[User], title: str, body: str) -> None:
    notify(
        rule=RULE,
        key=f"directive-remind:{directive.pk}:{step}",
        recipients=recipients,
        title=f"督办事项 {directive.number}{title}"[:200],
        body=body,
        link=_link(directive),
    )


def _items(as_of: date) -> list[Directive]:
    soon = as_of + timedelta(days=LOOKAHEAD_DAYS)
    return list(
        Directive.objects.filter(state__in=SIGN_STATES)
        .filter(
            Q(sign_due_date__lt=as_of, units__signed_at__isnull=True)
            | Q(due_date__lte=soon)
            | Q(next_feedback_date__lte=soon)
        )
        .distinct()
        .prefetch_related(Prefetch("units", queryset=DirectiveUnit.objects.order_by("order", "id")))
        .order_by("pk")
    )


def directive_reminders(*, as_of: date) -> int:
    """Send the 督办事项 reminders due on ``as_of`` (a working day); the notices newly written."""
    items = _items(as_of)
    if not items:
        return 0
    before = Notice.objects.filter(rule=RULE).count()
    dates = [d for i in items for d in (i.sign_due_date, i.due_date, i.next_feedback_date) if d]
    days = workdays_read(
        min([as_of - timedelta(days=LOOKBACK_DAYS), *dates]),
        max([as_of, *dates]) + timedelta(days=LOOKAHEAD_DAYS),
    )
    staff = staff_read()
    for directive in items:
        with transaction.atomic():
            _sign(directive, as_of, days, staff)
            _feedback(directive, as_of, days, staff)
            _deadline(directive, as_of, days, staff)
    return Notice.objects.filter(rule=RULE).count() - before


def _sign(directive: Directive, as_of: date, days: Workdays, staff: Staff) -> None:
    if directive.sign_due_date is None:
        return
    first = days.after(directive.sign_due_date, 1)
    second = days.after(directive.sign_due_date, 2)
    unsigned = [d for d in directive.units.all() if d.signed_at is None]
    if not unsigned or first is None or first > as_of:
        return
    for duty in unsigned:
        _tell(
            directive,
            f"sign:{duty.unit_id}",
            _staff(staff, [duty.unit_id]),
            " 逾期未签收",
            f"签收时限为 {directive.sign_due_date:%Y-%m-%d}，请尽快签收：{directive.title}",
        )
        if duty.sign_reminded_at is None:
            duty.sign_reminded_at = clock.now()
            duty.save(update_fields=["sign_reminded_at"])
    if second is not None and second <= as_of:
        _tell(
            directive,
            "sign-office",
            staff.office,
            f" 逾期未签收（{len(unsigned)} 个单位）",
            f"签收时限 {directive.sign_due_date:%Y-%m-%d} 已过，仍有单位未签收：{directive.title}",
        )


def _lead_id(directive: Directive) -> int | None:
    return next((d.unit_id for d in directive.units.all() if d.role == "lead"), None)


def _feedback(directive: Directive, as_of: date, days: Workdays, staff: Staff) -> None:
    due = directive.next_feedback_date
    lead_id = _lead_id(directive)
    if directive.state != DirectiveState.IN_PROGRESS or due is None or lead_id is None:
        return
    eve = days.before(due, 1)
    if eve is not None and eve <= as_of <= due:
        _tell(
            directive,
            f"feedback-soon:{due:%Y%m%d}",
            _staff(staff, [lead_id]),
            f" 请于 {due:%Y-%m-%d} 前反馈",
            directive.title,
        )
    missed = days.after(due, 1)
    if missed is not None and missed <= as_of:
        _tell(
            directive,
            f"feedback-missed:{due:%Y%m%d}",
            _staff(staff, [lead_id]),
            f" 逾期未反馈（应于 {due:%Y-%m-%d} 反馈）",
            directive.title,
        )


def _deadline(directive: Directive, as_of: date, days: Workdays, staff: Staff) -> None:
    due = directive.due_date
    if due is None:
        return
    unit_ids = [d.unit_id for d in directive.units.all()]
    near = days.before(due, DUE_SOON_WORKDAYS)
    if near is not None and near <= as_of <= due:
        _tell(
            directive,
            f"due-soon:{due:%Y%m%d}",
            _staff(staff, unit_ids),
            f" 将于 {due:%Y-%m-%d} 到期",
            f"办结时限 {due:%Y-%m-%d}，请抓紧办理：{directive.title}",
        )
    passed = days.after(due, 1)
    if passed is not None and passed <= as_of:
        _tell(
            directive,
            f"overdue:{due:%Y%m%d}",
            [*_staff(staff, unit_ids), *staff.office],
            f" 已超过办结时限（{due:%Y-%m-%d}）",
            directive.title,
        )
