"""Writes of 督办事项, one transaction each, permissions checked here, a notice on each step.

- ``directive_create`` (立项): a draft item with its source, requirement, units and deadline.
- ``directive_issue`` (交办): numbered 合智督〔year〕N号 under the year's counter lock; the deadline
  (``due_workdays`` working days from today, or the date given) and the sign-in deadline
  (``sign_workdays`` working days) fixed; ``original_due_date`` set once, never moved after;
  the units' staff notified.
"""

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.urls import NoReverseMatch, reverse

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.plan.models import Task
from tasks.workdays.selectors import add_workdays
from units.models import Role, Unit, User
from units.notifications.services import notify

from .models import (
    Directive,
    DirectiveAction,
    DirectiveNumber,
    DirectiveSource,
    DirectiveState,
    DirectiveStep,
    DirectiveUnit,
    FeedbackRhythm,
)
from .permissions import can_issue, can_register

TITLE_MAX = 200
TEXT_MAX = 5000
DUE_WORKDAYS_MAX = 250
SIGN_WORKDAYS_MAX = 10


def _fail(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}})


def _text(value: str, *, field: str, label: str, limit: int, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise _fail(field, required)
    if len(text) > limit:
        raise _fail(field, f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）。")
    return text


def unit_staff(unit_ids: Sequence[int]) -> list[User]:
    """The active reporters and approvers of the units (one query)."""
    return list(
        User.objects.filter(
            unit_id__in=list(unit_ids), role__in=(Role.REPORTER, Role.APPROVER), is_active=True
        ).order_by("pk")
    )


def directive_link(directive: Directive) -> str:
    try:
        return reverse("directives:detail", args=[directive.pk])
    except NoReverseMatch:  # the pages' slice not mounted (a job run without the URLconf)
        return ""


def step_add(
    directive: Directive,
    action: str,
    actor: User | None,
    *,
    from_state: str = "",
    unit: Unit | None = None,
    comment: str = "",
) -> DirectiveStep:
    """A step of the item's timeline."""
    return DirectiveStep.objects.create(
        directive=directive,
        action=action,
        from_state=from_state,
        to_state=directive.state,
        actor=actor,
        unit=unit,
        comment=comment,
    )


def _units_check(lead: Unit | None, co_units: Sequence[Unit]) -> list[Unit]:
    """The lead (a unit, not a group) and the co units; a group among the co units stands for
    its members (expanded here, in the plan's order), the lead never twice."""
    if lead is None:
        raise _fail("lead_unit", "请选择牵头单位。")
    if lead.is_group:
        raise _fail("lead_unit", "牵头单位应为具体单位，不能是单位集合。")
    seen = {lead.pk}
    co: list[Unit] = []
    for unit in co_units:
        members = list(unit.members.order_by("sort_order", "pk")) if unit.is_group else [unit]
        for member in members:
            if member.pk not in seen:
                seen.add(member.pk)
                co.append(member)
    return co


@transaction.atomic
def directive_create(
    *,
    actor: User,
    title: str,
    source: str,
    requirement: str,
    lead_unit: Unit | None,
    co_units: Sequence[Unit] = (),
    due_workdays: int | None = None,
    due_date: date | None = None,
    sign_workdays: int = 1,
    rhythm: str = FeedbackRhythm.ONCE,
    task: Task | None = None,
    source_leader: str = "",
    source_meeting: str = "",
    source_authority: str = "",
    source_doc_number: str = "",
    source_document: str = "",
    source_date: date | None = None,
    source_text: str = "",
) -> Directive:
    """Register (立项) an item as a draft. Exactly one of ``due_workdays`` and ``due_date``."""
    if not can_register(actor):
        raise NotPermittedError("只有领导小组办公室（或批示的领导）可以登记督办事项。")
    if source not in DirectiveSource.values:
        raise _fail("source", "请选择督办事项的来源：领导批示、会议议定事项或上级交办。")
    if rhythm not in FeedbackRhythm.values:
        raise _fail("rhythm", "请选择反馈频次。")
    title = _text(
        title, field="title", label="事项名称", limit=TITLE_MAX, required="请填写事项名称。"
    )
    requirement = _text(
        requirement,
        field="requirement",
        label="办理要求",
        limit=TEXT_MAX,
        required="请填写办理要求。",
    )
    source_text = _text(source_text, field="source_text", label="来源内容", limit=TEXT_MAX)
    if source == DirectiveSource.INSTRUCTION and not source_leader.strip():
        raise _fail("source_leader", "领导批示请填写批示领导。")
    if source == DirectiveSource.MEETING and not source_meeting.strip():
        raise _fail("source_meeting", "会议议定事项请填写会议名称。")
    if source == DirectiveSource.HIGHER and not source_authority.strip():
        raise _fail("source_authority", "上级交办事项请填写交办机关。")
    if (due_workdays is None) == (due_date is None):
        raise _fail("due_workdays", "请填写办结时限：工作日数或截止日期，二选一。")
    if due_workdays is not None and not 1 <= due_workdays <= DUE_WORKDAYS_MAX:
        raise _fail("due_workdays", f"办结时限应为 1 到 {DUE_WORKDAYS_MAX} 个工作日。")
    if due_date is not None and due_date <= clock.today():
        raise _fail("due_date", "办结时限应晚于今天。")
    if not 1 <= sign_workdays <= SIGN_WORKDAYS_MAX:
        raise _fail("sign_workdays", f"签收时限应为 1 到 {SIGN_WORKDAYS_MAX} 个工作日。")
    co = _units_check(lead_unit, co_units)
    assert lead_unit is not None
    directive = Directive.objects.create(
        title=title,
        source=source,
        requirement=requirement,
        task=task,
        due_workdays=due_workdays,
        due_date=due_date,
        sign_workdays=sign_workdays,
        rhythm=rhythm,
        source_leader=source_leader.strip()[:100],
        source_meeting=source_meeting.strip()[:200],
        source_authority=source_authority.strip()[:200],
        source_doc_number=source_doc_number.strip()[:100],
        source_document=source_document.strip()[:255],
        source_date=source_date,
        source_text=source_text,
        created_by=actor,
    )
    DirectiveUnit.objects.bulk_create(
        [DirectiveUnit(directive=directive, unit=lead_unit, role="lead", order=0)]
        + [
            DirectiveUnit(directive=directive, unit=unit, role="co", order=i)
            for i, unit in enumerate(co, start=1)
        ]
    )
    step_add(directive, DirectiveAction.CREATE, actor)
    return directive


def _next_number(year: int) -> int:
    DirectiveNumber.objects.bulk_create([DirectiveNumber(year=year)], ignore_conflicts=True)
    counter = DirectiveNumber.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


@transaction.atomic
def directive_issue(*, actor: User, directive: Directive, comment: str = "") -> Directive:
    """Issue (交办) a draft: number, deadlines, the units' staff told."""
    directive = locked(directive)
    if not can_issue(actor, directive):
        if directive.state != DirectiveState.DRAFT:
            raise ApplicationError(f"{directive.number}已交办，不能再次交办。")
        raise NotPermittedError("只有领导小组办公室可以交办督办事项。")
    comment = _text(comment, field="comment", label="交办意见", limit=TEXT_MAX)
    today = clock.today()
    if directive.due_workdays is not None:
        due = add_workdays(today, directive.due_workdays)
    else:
        due = directive.due_date
        if due is None or due <= today:
            raise _fail("due_date", "办结时限应晚于今天，请修改后再交办。")
    directive.year = today.year
    directive.seq = _next_number(today.year)
    directive.due_date = due
    directive.original_due_date = due
    directive.sign_due_date = add_workdays(today, directive.sign_workdays)
    directive.next_feedback_date = None
    directive.state = DirectiveState.ISSUED
    directive.issued_by = actor
    directive.issued_at = clock.now()
    directive.save()
    step_add(
        directive, DirectiveAction.ISSUE, actor, from_state=DirectiveState.DRAFT, comment=comment
    )
    unit_ids = list(directive.units.values_list("unit_id", flat=True))
    notify(
        rule="directive",
        key=f"directive:{directive.pk}:issue",
        recipients=unit_staff(unit_ids),
        title=f"督办事项 {directive.number}：{directive.title}"[:200],
        body=(
            f"请于 {directive.sign_due_date:%Y-%m-%d} 前签收，{due:%Y-%m-%d} 前办结。"
            f"{directive.requirement}"
        ),
        link=directive_link(directive),
    )
    return directive
