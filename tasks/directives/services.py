"""Writes of 督办事项, one transaction each, permissions checked here, a notice on each step.

- ``directive_create`` (立项): a draft item with its source, requirement, units and deadline.
- ``directive_issue`` (交办): numbered 合智督〔year〕N号 under the year's counter lock; the deadline
  (``due_workdays`` working days from today, or the date given) and the sign-in deadline
  (``sign_workdays`` working days) fixed; ``original_due_date`` set once, never moved after;
  the units' staff notified.
"""

from collections.abc import Sequence
from datetime import date
from typing import Any, Required, TypedDict, Unpack

from django.db import transaction

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.plan.models import Task
from tasks.workdays.selectors import add_workdays
from units.models import Unit, User
from units.notifications.services import notify
from units.permissions import is_leader, is_office

from .models import (
    Directive,
    DirectiveAction,
    DirectiveFeedback,
    DirectiveNumber,
    DirectiveSource,
    DirectiveState,
    DirectiveUnit,
    FeedbackKind,
    FeedbackRhythm,
    FeedbackState,
)
from .permissions import (
    can_archive,
    can_close,
    can_edit_draft,
    can_issue,
    can_register,
    can_reopen,
    can_return,
    can_sign,
    can_urge,
    duty_of,
)
from .steps import (
    TEXT_MAX,
    directive_link,
    fail,
    feedback_reviewed,
    lead_unit_id,
    next_feedback_after,
    office_staff,
    step_add,
    tell,
    text_checked,
    unit_staff,
)

TITLE_MAX = 200
DUE_WORKDAYS_MAX = 250
SIGN_WORKDAYS_MAX = 10
_fail = fail
_text = text_checked


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


SOURCE_FIELDS = {
    "source_leader": 100,
    "source_meeting": 200,
    "source_authority": 200,
    "source_doc_number": 100,
    "source_document": 255,
}
EDITABLE = frozenset(
    {
        "title",
        "source",
        "requirement",
        "lead_unit",
        "co_units",
        "due_workdays",
        "due_date",
        "sign_workdays",
        "rhythm",
        "task",
        "source_date",
        "source_text",
        *SOURCE_FIELDS,
    }
)


def _cleaned(
    *,
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
) -> tuple[dict, list[Unit]]:
    """The item's fields checked (each refusal names its field), and its co units expanded."""
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
    sources = {
        "source_leader": source_leader,
        "source_meeting": source_meeting,
        "source_authority": source_authority,
        "source_doc_number": source_doc_number,
        "source_document": source_document,
    }
    sources = {k: (v or "").strip()[: SOURCE_FIELDS[k]] for k, v in sources.items()}
    if source == DirectiveSource.INSTRUCTION and not sources["source_leader"]:
        raise _fail("source_leader", "领导批示请填写批示领导。")
    if source == DirectiveSource.MEETING and not sources["source_meeting"]:
        raise _fail("source_meeting", "会议议定事项请填写会议名称。")
    if source == DirectiveSource.HIGHER and not sources["source_authority"]:
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
    values = {
        "title": title,
        "source": source,
        "requirement": requirement,
        "task": task,
        "due_workdays": due_workdays,
        "due_date": due_date,
        "sign_workdays": sign_workdays,
        "rhythm": rhythm,
        "source_date": source_date,
        "source_text": source_text,
        **sources,
    }
    return values, co


def _units_set(directive: Directive, lead_unit: Unit, co: list[Unit]) -> None:
    DirectiveUnit.objects.bulk_create(
        [DirectiveUnit(directive=directive, unit=lead_unit, role="lead", order=0)]
        + [
            DirectiveUnit(directive=directive, unit=unit, role="co", order=i)
            for i, unit in enumerate(co, start=1)
        ]
    )


class DirectiveFields(TypedDict, total=False):
    """An item's fields as registering takes them (``_cleaned`` checks them and holds the
    defaults); the first four are required."""

    title: Required[str]
    source: Required[str]
    requirement: Required[str]
    lead_unit: Required[Unit | None]
    co_units: Sequence[Unit]
    due_workdays: int | None
    due_date: date | None
    sign_workdays: int
    rhythm: str
    task: Task | None
    source_leader: str
    source_meeting: str
    source_authority: str
    source_doc_number: str
    source_document: str
    source_date: date | None
    source_text: str


@transaction.atomic
def directive_create(*, actor: User, **fields: Unpack[DirectiveFields]) -> Directive:
    """Register (立项) an item as a draft. Exactly one of ``due_workdays`` and ``due_date``."""
    if not can_register(actor):
        raise NotPermittedError("只有领导小组办公室（或批示的领导）可以登记督办事项。")
    values, co = _cleaned(**fields)
    lead_unit = fields["lead_unit"]
    assert lead_unit is not None
    directive = Directive.objects.create(**values, created_by=actor)
    _units_set(directive, lead_unit, co)
    step_add(directive, DirectiveAction.CREATE, actor)
    return directive


@transaction.atomic
def directive_update(*, actor: User, directive: Directive, **fields: Any) -> Directive:
    """Change a draft (立项 not yet issued): the fields given replace the current ones, checked
    as when registering; ``lead_unit``/``co_units`` given replace the units."""
    directive = locked(directive)
    if not can_edit_draft(actor, directive):
        if directive.state != DirectiveState.DRAFT:
            raise ApplicationError(f"{directive.number}已交办，不能再修改。")
        raise NotPermittedError("只有领导小组办公室可以修改督办事项。")
    unknown = set(fields) - EDITABLE - {"lead_unit"}
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    duties = list(directive.units.select_related("unit"))
    current: dict[str, Any] = {
        name: getattr(directive, name) for name in EDITABLE - {"lead_unit", "co_units", "task"}
    }
    current["task"] = directive.task
    current["lead_unit"] = next((d.unit for d in duties if d.role == "lead"), None)
    current["co_units"] = [d.unit for d in duties if d.role == "co"]
    if "due_date" in fields and "due_workdays" not in fields:
        current["due_workdays"] = None
    if "due_workdays" in fields and "due_date" not in fields:
        current["due_date"] = None
    merged = {**current, **fields}
    values, co = _cleaned(**merged)
    for name, value in values.items():
        setattr(directive, name, value)
    directive.save()
    if "lead_unit" in fields or "co_units" in fields:
        directive.units.all().delete()
        _units_set(directive, merged["lead_unit"], co)
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
        if not can_register(actor):
            raise NotPermittedError("只有领导小组办公室可以交办督办事项。")
        if directive.state != DirectiveState.DRAFT:
            raise ApplicationError(f"{directive.number}已交办，不能再次交办。")
        raise NotPermittedError("只有领导小组办公室可以交办督办事项。")
    comment = _text(comment, field="comment", label="交办意见", limit=TEXT_MAX)
    today = clock.today()
    due: date | None
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


# --- the lifecycle after 交办 -----------------------------------------------------------------


def _refused(directive: Directive, *, role_ok: bool, who: str, what: str) -> Exception:
    """The refusal of a step: NotPermittedError when the actor is not the one who takes it (who),
    otherwise an ApplicationError naming the item's state (what cannot be done in it)."""
    if not role_ok:
        return NotPermittedError(who)
    return ApplicationError(f"{directive.number}{directive.get_state_display()}，{what}。")


def _comment(comment: str, *, label: str, required: str = "") -> str:
    return _text(comment, field="comment", label=label, limit=TEXT_MAX, required=required)


def _all_staff(directive: Directive) -> list[User]:
    return unit_staff(list(directive.units.values_list("unit_id", flat=True)))


@transaction.atomic
def directive_sign(*, actor: User, directive: Directive) -> Directive:
    """The actor's unit signs for the item (签收); the lead unit's signature moves it from
    issued to in progress (and fixes the first feedback date of its rhythm). The office told."""
    directive = locked(directive)
    if not can_sign(actor, directive):
        duty = duty_of(actor, directive)
        if duty is not None and duty.signed_at is not None:
            raise ApplicationError(f"{duty.unit}已于 {duty.signed_at:%Y-%m-%d %H:%M} 签收。")
        raise _refused(
            directive,
            role_ok=duty is not None,
            who="只有承办单位的人员可以签收本单位的督办事项。",
            what="不能签收",
        )
    duty = duty_of(actor, directive)
    assert duty is not None
    duty.signed_at = clock.now()
    duty.signed_by = actor
    duty.save(update_fields=["signed_at", "signed_by"])
    from_state = directive.state
    if duty.role == "lead" and directive.state == DirectiveState.ISSUED:
        directive.state = DirectiveState.IN_PROGRESS
        directive.next_feedback_date = next_feedback_after(directive, clock.today())
        directive.save(update_fields=["state", "next_feedback_date", "updated_at"])
    step = step_add(directive, DirectiveAction.SIGN, actor, from_state=from_state, unit=actor.unit)
    tell(directive, step, office_staff(), f"：{actor.unit}已签收")
    return directive


@transaction.atomic
def directive_close(*, actor: User, directive: Directive, comment: str = "") -> Directive:
    """The office accepts the closing report (办结): the item closed, its report accepted."""
    directive = locked(directive)
    if not can_close(actor, directive):
        raise _refused(
            directive,
            role_ok=is_office(actor),
            who="只有领导小组办公室可以办结督办事项。",
            what="只有申请办结的事项可以办结",
        )
    text = _comment(comment, label="办结意见")
    report = _closing_report(directive)
    if report is not None:
        feedback_reviewed(report, FeedbackState.ACCEPTED, actor, text)
    directive.state = DirectiveState.CLOSED
    directive.closed_at = report.reviewed_at if report is not None else clock.now()
    directive.next_feedback_date = None
    directive.save(update_fields=["state", "closed_at", "next_feedback_date", "updated_at"])
    step = step_add(
        directive, DirectiveAction.CLOSE, actor, from_state=DirectiveState.CLOSING, comment=text
    )
    tell(directive, step, _all_staff(directive), " 已办结", text)
    return directive


def _closing_report(directive: Directive) -> DirectiveFeedback | None:
    return (
        directive.feedback.select_for_update()
        .filter(kind=FeedbackKind.CLOSING, state=FeedbackState.SUBMITTED)
        .order_by("-submitted_at", "-id")
        .first()
    )


@transaction.atomic
def directive_return(*, actor: User, directive: Directive, comment: str) -> Directive:
    """The office returns the closing report to be redone (退回重办) with its reason: the item
    back in progress, the lead unit told."""
    directive = locked(directive)
    if not can_return(actor, directive):
        raise _refused(
            directive,
            role_ok=is_office(actor),
            who="只有领导小组办公室可以退回重办。",
            what="只有申请办结的事项可以退回重办",
        )
    text = _comment(comment, label="退回理由", required="退回重办时请写明理由。")
    report = _closing_report(directive)
    if report is not None:
        feedback_reviewed(report, FeedbackState.RETURNED, actor, text)
    directive.state = DirectiveState.IN_PROGRESS
    directive.next_feedback_date = next_feedback_after(directive, clock.today())
    directive.save(update_fields=["state", "next_feedback_date", "updated_at"])
    _status_recount(directive)
    step = step_add(
        directive, DirectiveAction.RETURN, actor, from_state=DirectiveState.CLOSING, comment=text
    )
    lead_id = lead_unit_id(directive)
    tell(directive, step, unit_staff([lead_id] if lead_id else []), " 被退回重办", text)
    return directive


@transaction.atomic
def directive_archive(*, actor: User, directive: Directive, comment: str = "") -> Directive:
    """The office archives a closed item (销号): it leaves the open list."""
    directive = locked(directive)
    if not can_archive(actor, directive):
        raise _refused(
            directive,
            role_ok=is_office(actor),
            who="只有领导小组办公室可以销号。",
            what="只有已办结的事项可以销号",
        )
    text = _comment(comment, label="销号意见")
    directive.state = DirectiveState.ARCHIVED
    directive.archived_at = clock.now()
    directive.save(update_fields=["state", "archived_at", "updated_at"])
    step = step_add(
        directive, DirectiveAction.ARCHIVE, actor, from_state=DirectiveState.CLOSED, comment=text
    )
    tell(directive, step, _all_staff(directive), " 已销号", text)
    return directive


@transaction.atomic
def directive_reopen(
    *,
    actor: User,
    directive: Directive,
    instruction: str,
    due_date: date | None = None,
    due_workdays: int | None = None,
) -> Directive:
    """A leader reopens a closed or archived item with a new 批示 (required): back in progress,
    with a new deadline when given (a date, or working days from today); the original deadline
    kept for the assessment. The units' staff and the office told."""
    directive = locked(directive)
    if not can_reopen(actor, directive):
        raise _refused(
            directive,
            role_ok=is_leader(actor),
            who="只有领导可以批示重新督办。",
            what="只有已办结或已销号的事项可以重新督办",
        )
    text = _text(
        instruction,
        field="instruction",
        label="批示内容",
        limit=TEXT_MAX,
        required="重新督办请填写领导批示。",
    )
    today = clock.today()
    if due_date is not None and due_workdays is not None:
        raise _fail("due_date", "新的办结时限：工作日数或截止日期，二选一。")
    if due_workdays is not None:
        if not 1 <= due_workdays <= DUE_WORKDAYS_MAX:
            raise _fail("due_workdays", f"办结时限应为 1 到 {DUE_WORKDAYS_MAX} 个工作日。")
        due_date = add_workdays(today, due_workdays)
    elif due_date is not None and due_date <= today:
        raise _fail("due_date", "新的办结时限应晚于今天。")
    from_state = directive.state
    directive.state = DirectiveState.IN_PROGRESS
    directive.closed_at = None
    directive.archived_at = None
    if due_date is not None:
        directive.due_date = due_date
    directive.next_feedback_date = next_feedback_after(directive, today)
    directive.save()
    step = step_add(directive, DirectiveAction.REOPEN, actor, from_state=from_state, comment=text)
    tell(
        directive,
        step,
        [*_all_staff(directive), *office_staff()],
        " 重新督办",
        text + (f"（办结时限 {directive.due_date:%Y-%m-%d}）" if directive.due_date else ""),
    )
    return directive


from .feedback import (  # noqa: E402  (the lifecycle's feedback, extension and closing steps)
    _status_recount,
    close_apply,
    extension_apply,
    extension_decide,
    extension_review,
    feedback_accept,
    feedback_return,
    feedback_submit,
)

__all__ = [
    "close_apply",
    "directive_archive",
    "directive_close",
    "directive_create",
    "directive_issue",
    "directive_reopen",
    "directive_return",
    "directive_sign",
    "directive_update",
    "extension_apply",
    "extension_decide",
    "extension_review",
    "feedback_accept",
    "feedback_return",
    "feedback_submit",
    "step_add",
    "unit_staff",
]


@transaction.atomic
def directive_urge(*, actor: User, directive: Directive, message: str) -> Directive:
    """The office urges (催办) an item issued or in progress, with its message: a step on the
    timeline (and in the audit log), a notice to the units that have not signed yet (issued) or
    to the lead unit (in progress). The state does not change."""
    directive = locked(directive)
    if not can_urge(actor, directive):
        raise _refused(
            directive,
            role_ok=is_office(actor),
            who="只有领导小组办公室可以催办督办事项。",
            what="只有已交办、办理中的事项可以催办",
        )
    text = _comment(message, label="催办内容", required="请填写催办内容。")
    if directive.state == DirectiveState.ISSUED:
        unit_ids = list(
            directive.units.filter(signed_at__isnull=True).values_list("unit_id", flat=True)
        )
    else:
        lead_id = lead_unit_id(directive)
        unit_ids = [lead_id] if lead_id else []
    step = step_add(
        directive, DirectiveAction.URGE, actor, from_state=directive.state, comment=text
    )
    tell(directive, step, unit_staff(unit_ids), " 催办", text)
    return directive
