"""Writes of 催办 and 督办单, one transaction each, permissions checked here, a notice on each step
(units.notifications.services.notify: once per rule, key and recipient).

- ``urge_send``: the office urges units that have not submitted everything in a period; one
  ``Urge`` per unit, a timeline entry (``ReportTransition`` with action ``urge``, state unchanged)
  on each of their reports not yet submitted, a notice to the unit's reporters and approvers.
- ``order_issue`` → ``order_answer`` → ``order_close`` | ``order_return`` (→ answered again).
  Numbers 督办〔year〕N号 are taken from ``SupervisionNumber`` under a row lock, so two issues at
  the same moment get N and N+1 (and the unique constraint stands behind it).
"""

from collections.abc import Iterable

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.files import upload_stored
from tasks.plan.models import Assignment, Task
from tasks.reporting.models import (
    PeriodState,
    ReportingPeriod,
    ReportTransition,
)
from tasks.reporting.selectors import duties_for_period
from tasks.workdays.selectors import add_workdays
from units.audit import services as audit
from units.audit.models import AuditKind
from units.models import Role, Unit, User
from units.notifications.services import notify
from units.permissions import is_unit_staff

from .models import (
    OrderState,
    StepAction,
    SupervisionNumber,
    SupervisionOrder,
    SupervisionStep,
    Urge,
)
from .permissions import can_answer, can_issue, can_return, can_review, can_urge

MESSAGE_MAX = 1000
TEXT_MAX = 5000
REPLY_WORKDAYS_MAX = 60


def unit_staff(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """The active reporters and approvers of each unit (one query)."""
    staff: dict[int, list[User]] = {}
    for user in User.objects.filter(
        unit_id__in=list(unit_ids), role__in=(Role.REPORTER, Role.APPROVER), is_active=True
    ).order_by("pk"):
        staff.setdefault(user.unit_id or 0, []).append(user)
    return staff


def office_staff() -> list[User]:
    return list(User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk"))


def _text(value: str, *, field: str, label: str, limit: int, required: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ApplicationError(required, {"fields": {field: [required]}})
    if len(text) > limit:
        message = f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）。"
        raise ApplicationError(message, {"fields": {field: [message]}})
    return text


# --- 催办 -------------------------------------------------------------------------------------


@transaction.atomic
def urge_send(
    *, actor: User, period: ReportingPeriod, unit_ids: Iterable[int], message: str
) -> list[Urge]:
    """Urge the chosen units on their duties not yet submitted in the period."""
    if not can_urge(actor):
        raise NotPermittedError("只有领导小组办公室可以催办。")
    text = _text(
        message, field="message", label="催办内容", limit=MESSAGE_MAX, required="请填写催办内容。"
    )
    chosen = {int(pk) for pk in unit_ids}
    if not chosen:
        message = "请选择要催办的单位。"
        raise ApplicationError(message, {"fields": {"units": [message]}})
    if period.state == PeriodState.PLANNED:
        raise ApplicationError(f"{period.label}尚未开放，不能催办。")
    missing: dict[int, list] = {}
    units: dict[int, Unit] = {}
    for duty in duties_for_period(period):
        if duty.unit.pk in chosen and not duty.is_submitted:
            missing.setdefault(duty.unit.pk, []).append(duty)
            units[duty.unit.pk] = duty.unit
    if not missing:
        raise ApplicationError("所选单位在本周期已全部提交，无需催办。")
    staff = unit_staff(missing)
    link = reverse("reporting:my-tasks") + f"?period={period.code}"
    urges = []
    for unit_id in sorted(missing, key=lambda pk: (units[pk].sort_order, pk)):
        duties = missing[unit_id]
        urge = Urge.objects.create(period=period, unit=units[unit_id], message=text, sent_by=actor)
        urge.assignments.set([d.assignment for d in duties])
        ReportTransition.objects.bulk_create(
            [
                ReportTransition(
                    report=d.report,
                    action="urge",
                    from_state=d.report.state,
                    to_state=d.report.state,
                    actor=actor,
                    comment=text,
                    version=d.report.version,
                    created_at=urge.sent_at,
                )
                for d in duties
                if d.report is not None
            ]
        )
        notify(
            rule="urge",
            key=f"urge:{urge.pk}",
            recipients=staff.get(unit_id, []),
            title=f"催办：{period.label}还有 {len(duties)} 项任务未报送",
            body=text,
            link=link,
        )
        audit.record(
            AuditKind.URGE,
            actor=actor,
            obj=urge,
            detail=f"催办{units[unit_id].name}：{period.label}未报送 {len(duties)} 项。{text}",
        )
        urges.append(urge)
    return urges


# --- 督办单 -----------------------------------------------------------------------------------


def _next_number(year: int) -> int:
    """The next number of the year, under the lock of the year's counter row."""
    SupervisionNumber.objects.bulk_create([SupervisionNumber(year=year)], ignore_conflicts=True)
    counter = SupervisionNumber.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _order_link(order: SupervisionOrder) -> str:
    return reverse("supervision:order-detail", args=[order.pk])


def _tell_unit(order: SupervisionOrder, step: str, title: str, body: str) -> None:
    """A step of the order, told once to the staff of the unit it is addressed to."""
    notify(
        rule="supervision",
        key=f"supervision:{order.pk}:{step}",
        recipients=unit_staff([order.unit_id]).get(order.unit_id, []),
        title=f"督办单 {order.number}{title}",
        body=body,
        link=_order_link(order),
    )


def _step(order: SupervisionOrder, action: str, actor: User, comment: str = "") -> None:
    """A step of the order's timeline, and its record in the audit log (督办单)."""
    SupervisionStep.objects.create(order=order, action=action, actor=actor, comment=comment)
    label = StepAction(action).label
    audit.record(
        AuditKind.ORDER,
        actor=actor,
        obj=order,
        detail=f"督办单 {order.number}（{order.unit}）{label}"
        + (f"：{comment}" if comment else ""),
    )


@transaction.atomic
def order_issue(
    *, actor: User, task: Task, unit: Unit, facts: str, reply_workdays: int
) -> SupervisionOrder:
    """Issue a numbered 督办单 to a unit responsible for the task; the reply is due the
    ``reply_workdays``-th working day after today."""
    if not can_issue(actor):
        raise NotPermittedError("只有领导小组办公室可以签发督办单。")
    text = _text(
        facts, field="facts", label="督办事项", limit=TEXT_MAX, required="请填写督办事项。"
    )
    if not 1 <= reply_workdays <= REPLY_WORKDAYS_MAX:
        message = f"反馈时限应为 1 到 {REPLY_WORKDAYS_MAX} 个工作日。"
        raise ApplicationError(message, {"fields": {"reply_workdays": [message]}})
    if unit.is_group:
        message = "督办单应发给具体单位，不能发给单位集合。"
        raise ApplicationError(message, {"fields": {"unit": [message]}})
    responsible = Assignment.objects.filter(
        Q(unit=unit) | Q(unit__members=unit), task=task
    ).exists()
    if not responsible:
        message = f"{unit.name}不是任务 {task.code} 的责任单位。"
        raise ApplicationError(message, {"fields": {"unit": [message]}})
    today = clock.today()
    due = add_workdays(today, reply_workdays)
    order = SupervisionOrder.objects.create(
        year=today.year,
        seq=_next_number(today.year),
        task=task,
        unit=unit,
        facts=text,
        reply_workdays=reply_workdays,
        due_date=due,
        issued_by=actor,
    )
    _step(order, StepAction.ISSUE, actor, text)
    _tell_unit(order, "issue", f"：请于 {due:%Y-%m-%d} 前反馈", text)
    return order


@transaction.atomic
def order_answer(
    *, actor: User, order: SupervisionOrder, answer: str, upload: UploadedFile | None = None
) -> SupervisionOrder:
    """The unit answers (反馈), with an optional evidence file; again after a send-back."""
    order = locked(order)
    if not can_answer(actor, order):
        if not is_unit_staff(actor) or order.unit_id != actor.unit_id:
            raise NotPermittedError("只有被督办单位的人员可以反馈。")
        raise ApplicationError(f"督办单{order.get_state_display()}，现在不能反馈。")
    text = _text(
        answer, field="answer", label="反馈内容", limit=TEXT_MAX, required="请填写反馈内容。"
    )
    round_no = order.steps.filter(action=StepAction.ANSWER).count() + 1
    order.answer = text
    order.state = OrderState.ANSWERED
    order.answered_at = clock.now()
    with upload_stored(order, upload):
        order.full_clean()
        order.save()
    _step(order, StepAction.ANSWER, actor, text)
    notify(
        rule="supervision",
        key=f"supervision:{order.pk}:answer:{round_no}",
        recipients=[*office_staff(), *([order.issued_by] if order.issued_by else [])],
        title=f"{order.unit.name}已反馈督办单 {order.number}",
        body=text,
        link=_order_link(order),
    )
    return order


@transaction.atomic
def order_return(*, actor: User, order: SupervisionOrder, comment: str) -> SupervisionOrder:
    """The office sends the answer back with its reason; the unit answers again."""
    order = locked(order, "unit")
    if not can_return(actor, order):
        if not can_issue(actor):
            raise NotPermittedError("只有领导小组办公室可以退回督办单的反馈。")
        raise ApplicationError(f"督办单{order.get_state_display()}，只有已反馈的可以退回。")
    text = _text(
        comment, field="comment", label="退回理由", limit=TEXT_MAX, required="退回时请写明理由。"
    )
    round_no = order.steps.filter(action=StepAction.RETURN).count() + 1
    order.state = OrderState.RETURNED
    order.save(update_fields=["state"])
    _step(order, StepAction.RETURN, actor, text)
    _tell_unit(order, f"return:{round_no}", " 的反馈被退回，请重新反馈", text)
    return order


@transaction.atomic
def order_close(*, actor: User, order: SupervisionOrder, comment: str = "") -> SupervisionOrder:
    """The office closes the order (办结)."""
    order = locked(order, "unit")
    if not can_review(actor, order):
        if not can_issue(actor):
            raise NotPermittedError("只有领导小组办公室可以办结督办单。")
        raise ApplicationError("督办单已办结。")
    text = (comment or "").strip()
    if len(text) > TEXT_MAX:
        raise ApplicationError(f"办结意见不能超过 {TEXT_MAX} 个字。")
    order.state = OrderState.CLOSED
    order.closed_at = clock.now()
    order.save(update_fields=["state", "closed_at"])
    _step(order, StepAction.CLOSE, actor, text)
    _tell_unit(order, "close", " 已办结", text)
    return order
