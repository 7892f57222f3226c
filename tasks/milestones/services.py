"""Writes of the annual work arrangements (年度工作安排): milestones (节点) of an assignment.

The office sets milestones (confirmed at once); the lead unit of the task (or demo project)
proposes them, and the office confirms the arrangement. The owing unit marks a milestone done
with a note and, optionally, an evidence file; the office confirms it or sends it back.

Every function takes the acting user, checks tasks.milestones.permissions, runs in one transaction
and locks the row it changes (``SELECT … FOR UPDATE``). Errors are hefei_ai_zone.errors types with
Chinese messages naming the fields at fault.
"""

from datetime import date
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.files import upload_stored
from tasks.milestones.permissions import (
    can_arrange_milestones,
    can_confirm_arrangement,
    can_confirm_milestone,
    can_edit_arrangement,
    can_mark_milestone_done,
    is_lead_staff,
)
from tasks.models import Assignment, Milestone, MilestoneState
from units.models import Unit, User
from units.permissions import is_office, is_unit_staff

TITLE_MAX = 255
LOCK_RELATED = ("assignment__unit", "assignment__task__plan", "assignment__demo__plan")
MISSING_NOTE = "标记完成时必须填写完成情况，说明做了什么、成果是什么。"
TEXT_MAX = 2000
FIELD_LABELS = {
    "title": "节点内容",
    "due_date": "完成时限",
    "unit": "责任单位",
    "note": "完成情况",
    "file": "佐证材料",
    "comment": "意见",
}


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}})


def _errors(errors: dict[str, list[str]]) -> ApplicationError:
    if len(errors) == 1:
        (messages,) = errors.values()
        return ApplicationError(messages[0], {"fields": errors})
    names = "、".join(FIELD_LABELS.get(f, f) for f in errors)
    return ApplicationError(f"以下内容有误：{names}。", {"fields": errors})


def _what(assignment: Assignment) -> str:
    if assignment.task_id:
        return f"任务 {assignment.task.code}"  # type: ignore[union-attr]
    return f"示范工程“{assignment.demo.name}”"  # type: ignore[union-attr]


def _plan_years(assignment: Assignment) -> range:
    owner = assignment.task or assignment.demo
    return owner.plan.years  # type: ignore[union-attr]


def _clean_arrangement(
    assignment: Assignment, changes: dict[str, Any], *, creating: bool
) -> dict[str, Any]:
    """Validate title, due date and owing unit; every error names its field, in Chinese."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    if "title" in changes or creating:
        title = " ".join(str(changes.get("title") or "").split())
        if not title:
            errors["title"] = ["请填写节点内容，如“完成实施方案编制”。"]
        elif len(title) > TITLE_MAX:
            errors["title"] = [f"节点内容不能超过 {TITLE_MAX} 字，当前 {len(title)} 字。"]
        else:
            clean["title"] = title
    if "due_date" in changes or creating:
        due = changes.get("due_date")
        years = _plan_years(assignment)
        if not isinstance(due, date):
            errors["due_date"] = ["请填写完成时限（日期，如 2021-06-30）。"]
        elif due.year not in years:
            errors["due_date"] = [
                f"完成时限应在实施方案的年度内（{years[0]}–{years[-1]} 年），"
                f"收到的是 {due:%Y-%m-%d}。"
            ]
        else:
            clean["due_date"] = due
            clean["year"] = due.year
    if "unit" in changes or creating:
        unit: Unit | None = changes.get("unit") or (assignment.unit if creating else None)
        owner = assignment.unit
        if unit is None:
            errors["unit"] = ["请选择承担这个节点的单位。"]
        elif unit.pk == owner.pk and owner.is_group:
            errors["unit"] = [
                f"“{owner.name}”是单位集合，请选择承担这个节点的成员单位（节点由具体单位标记完成）。"
            ]
        elif unit.pk != owner.pk and not (
            owner.is_group and owner.members.filter(pk=unit.pk).exists()
        ):
            errors["unit"] = [
                f"“{unit.name}”不承担这项分工：节点应由“{owner.name}”"
                f"{'或其成员单位' if owner.is_group else ''}承担。"
            ]
        else:
            clean["unit"] = unit
    if errors:
        raise _errors(errors)
    return clean


@transaction.atomic
def milestone_create(
    *,
    actor: User,
    assignment: Assignment,
    title: str,
    due_date: date | None,
    unit: Unit | None = None,
) -> Milestone:
    """A milestone of the assignment: set by the office (confirmed), or proposed by the lead unit
    (``arrangement_confirmed=False``) for the office to confirm. The owing unit defaults to the
    assignment's unit."""
    assignment = (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("unit", "task__plan", "demo__plan")
        .get(pk=assignment.pk)
    )
    if not can_arrange_milestones(actor, assignment):
        raise NotPermittedError(
            "只有领导小组办公室可以安排年度节点；牵头单位可以提出节点，经办公室确认。",
            {"fields": {"assignment": ["不是本单位牵头的任务或示范工程。"]}},
        )
    clean = _clean_arrangement(
        assignment, {"title": title, "due_date": due_date, "unit": unit}, creating=True
    )
    milestone = Milestone(
        assignment=assignment,
        arrangement_confirmed=can_confirm_arrangement(actor),
        created_by=actor,
        **clean,
    )
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, **changes: Any) -> Milestone:
    """Change title, due date or owing unit (only those given)."""
    milestone = locked(
        milestone, "assignment__unit", "assignment__task__plan", "assignment__demo__plan"
    )
    if not can_edit_arrangement(actor, milestone):
        raise NotPermittedError(_refusal(actor, milestone, "修改"))
    unknown = sorted(set(changes) - {"title", "due_date", "unit"})
    if unknown:
        raise _errors({name: ["不能修改此项。"] for name in unknown})
    clean = _clean_arrangement(milestone.assignment, changes, creating=False)
    for name, value in clean.items():
        setattr(milestone, name, value)
    milestone.full_clean()
    milestone.save()
    return milestone


@transaction.atomic
def milestone_delete(*, actor: User, milestone: Milestone) -> None:
    milestone = locked(
        milestone, "assignment__unit", "assignment__task__plan", "assignment__demo__plan"
    )
    if not can_edit_arrangement(actor, milestone):
        raise NotPermittedError(_refusal(actor, milestone, "删除"))
    name = milestone.file.name
    milestone.delete()
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def _refusal(actor: User, milestone: Milestone, verb: str) -> str:
    if is_unit_staff(actor) and is_lead_staff(actor, milestone.assignment):
        return (
            f"节点安排已经领导小组办公室确认（或已标记完成），牵头单位不能再{verb}；"
            "如需调整，请联系办公室。"
        )
    return f"只有领导小组办公室（或提出节点、尚未确认时的牵头单位）可以{verb}年度节点。"


@transaction.atomic
def milestone_confirm_arrangement(*, actor: User, milestone: Milestone) -> Milestone:
    """The office confirms a milestone the lead unit proposed."""
    milestone = locked(
        milestone, "assignment__unit", "assignment__task__plan", "assignment__demo__plan"
    )
    if not can_confirm_arrangement(actor):
        raise NotPermittedError("只有领导小组办公室可以确认牵头单位提出的节点安排。")
    if milestone.arrangement_confirmed:
        raise ApplicationError("这个节点的安排已经确认过了。")
    milestone.arrangement_confirmed = True
    milestone.save(update_fields=["arrangement_confirmed"])
    return milestone


def _text(value: str | None, field: str, what: str, *, required: bool) -> str:
    text = (value or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise _field_error(field, what)
    if len(text) > TEXT_MAX:
        raise _field_error(
            field, f"{FIELD_LABELS[field]}不能超过 {TEXT_MAX} 字，当前 {len(text)} 字。"
        )
    return text


def milestone_mark_done(
    *, actor: User, milestone: Milestone, note: str, upload: UploadedFile | None = None
) -> Milestone:
    """The owing unit's staff mark a milestone done, with a note (required) and optionally one
    evidence file (checked by tasks.evidence.check_upload; it replaces an earlier one). A refusal
    leaves no file behind."""
    with transaction.atomic():
        row = locked(milestone, *LOCK_RELATED)
        if not can_mark_milestone_done(actor, row):
            _refuse_done(actor, row)
        text = _text(note, "note", MISSING_NOTE, required=True)
        with upload_stored(row, upload):
            row.state = MilestoneState.DONE
            row.done_at = clock.now()
            row.done_by = actor
            row.done_note = text
            row.save()
    return row


def _refuse_done(actor: User, milestone: Milestone) -> None:
    if not is_unit_staff(actor) or milestone.unit_id != actor.unit_id:
        raise NotPermittedError(
            f"只有承担这个节点的单位（{milestone.unit.name}）的填报员或审核人可以标记完成。"
        )
    if not milestone.arrangement_confirmed:
        raise ApplicationError("这个节点是牵头单位提出的，领导小组办公室确认安排后才能标记完成。")
    raise ApplicationError(f"节点当前状态为“{milestone.get_state_display()}”，不能再标记完成。")


@transaction.atomic
def milestone_confirm(*, actor: User, milestone: Milestone, comment: str = "") -> Milestone:
    """The office confirms a milestone marked done."""
    milestone = locked(
        milestone, "assignment__unit", "assignment__task__plan", "assignment__demo__plan"
    )
    if not can_confirm_milestone(actor, milestone):
        if not is_office(actor):
            raise NotPermittedError("只有领导小组办公室可以确认节点完成。")
        raise ApplicationError(f"节点当前状态为“{milestone.get_state_display()}”，不在待确认之列。")
    milestone.state = MilestoneState.CONFIRMED
    milestone.confirmed_at = clock.now()
    milestone.confirmed_by = actor
    milestone.review_comment = _text(comment, "comment", "", required=False)
    milestone.save(update_fields=["state", "confirmed_at", "confirmed_by", "review_comment"])
    return milestone


@transaction.atomic
def milestone_reject(*, actor: User, milestone: Milestone, comment: str) -> Milestone:
    """The office sends a milestone marked done back as not done (a comment is required): it is
    pending again and its done time is cleared; the unit's note and file stay for the next try."""
    milestone = locked(
        milestone, "assignment__unit", "assignment__task__plan", "assignment__demo__plan"
    )
    if not can_confirm_milestone(actor, milestone):
        if not is_office(actor):
            raise NotPermittedError("只有领导小组办公室可以退回节点。")
        raise ApplicationError(f"节点当前状态为“{milestone.get_state_display()}”，不在待确认之列。")
    milestone.review_comment = _text(
        comment, "comment", "退回时必须填写意见，说明还差什么。", required=True
    )
    milestone.state = MilestoneState.PENDING
    milestone.done_at = None
    milestone.save(update_fields=["state", "done_at", "review_comment"])
    return milestone
