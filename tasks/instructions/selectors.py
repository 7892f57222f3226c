"""Reads of 领导批示: the office's inbox, a leader's own, the menu's count, what a 批示 is
written on (its lead and co units) and the prefill of the 督办事项 form."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import Truncator

from hefei_ai_zone.errors import NotPermittedError
from tasks.plan.models import Assignment, AssignmentRole, Task
from tasks.reporting.models import ProgressReport
from units.models import Unit, User

from .models import InstructionState, InstructionTarget, LeaderInstruction, LeaderPreference
from .permissions import can_handle, instructions_visible_to

TITLE_CHARS = 40
LIGHT_LABELS = {"red": "红灯", "yellow": "黄灯", "green": "绿灯", "grey": "未报送"}


def _with_targets(qs: QuerySet[LeaderInstruction]) -> QuerySet[LeaderInstruction]:
    return qs.select_related(
        "author",
        "task",
        "report__unit",
        "report__period",
        "report__assignment__task",
        "unit",
        "period",
        "directive",
    )


def inbox(user: User, *, state: str = "") -> list[LeaderInstruction]:
    """The 批示 the user may read, new ones first, then the newest (one query)."""
    qs = LeaderInstruction.objects.filter(instructions_visible_to(user))
    if state:
        qs = qs.filter(state=state)
    return list(_with_targets(qs).distinct().order_by("-state", "-created_at", "-id"))


def new_count(user: User) -> int:
    """The menu's count for the office: 批示 not yet handled (one query)."""
    if not can_handle(user):
        return 0
    return LeaderInstruction.objects.filter(state=InstructionState.NEW).count()


def preference_of(user: User) -> LeaderPreference:
    """The leader's setting (the defaults when never saved; not written here)."""
    found = LeaderPreference.objects.filter(leader=user).first()
    return found or LeaderPreference(leader=user)


def target_label(instruction: LeaderInstruction) -> str:
    """What a 批示 is written on, in words (for lists, notices and the item's source)."""
    kind = instruction.target
    if kind == InstructionTarget.TASK and instruction.task:
        return f"任务 {instruction.task.code}"
    if kind == InstructionTarget.REPORT and instruction.report:
        r = instruction.report
        return f"{r.unit.name} {r.period.label}进展报告"
    if kind == InstructionTarget.UNIT and instruction.unit:
        return f"单位 {instruction.unit.name}"
    if kind == InstructionTarget.LIGHT and instruction.period:
        what = instruction.task.code if instruction.task else ""
        if instruction.unit:
            what = f"{instruction.unit.name} {what}".strip()
        light = LIGHT_LABELS.get(instruction.light, instruction.light)
        return f"{instruction.period.label}总览{light}（{what}）"
    return instruction.get_target_display()


@dataclass(frozen=True)
class TargetUnits:
    lead: Unit | None
    co: list[Unit]
    task: Task | None


def _task_units(task: Task) -> tuple[Unit | None, list[Unit]]:
    duties = list(
        Assignment.objects.filter(task=task).select_related("unit").order_by("order", "pk")
    )
    lead = next((a.unit for a in duties if a.role == AssignmentRole.LEAD), None)
    co = [a.unit for a in duties if a.role != AssignmentRole.LEAD]
    if lead is not None and lead.is_group:  # a group leads: its first member leads the item
        members = list(lead.members.order_by("sort_order", "pk"))
        co = [lead, *co]
        lead = members[0] if members else None
    return lead, co


def target_units(
    *,
    task: Task | None = None,
    report: ProgressReport | None = None,
    unit: Unit | None = None,
) -> TargetUnits:
    """The item's units from what a 批示 is written on: a task's lead and co units; a report's
    unit (its task's co units beside it); a unit alone; a red light's unit, else its task's."""
    if report is not None:
        report_task = report.assignment.task
        co: list[Unit] = []
        if report_task is not None:
            _lead, co = _task_units(report_task)
            co = [u for u in ([_lead] if _lead else []) + co if u.pk != report.unit_id]
        return TargetUnits(report.unit, co, report_task)
    if unit is not None:
        return TargetUnits(unit, [], task)
    if task is not None:
        lead, co = _task_units(task)
        return TargetUnits(lead, co, task)
    return TargetUnits(None, [], None)


def short_title(instruction: LeaderInstruction) -> str:
    """A short title: the first line of the text, else what it is written on."""
    first = (instruction.text.strip().splitlines() or [""])[0].strip()
    if first:
        return Truncator(first).chars(TITLE_CHARS)
    return f"关于{target_label(instruction)}的领导批示"[:200]


def instruction_prefill(user: User, pk: int) -> dict[str, Any]:
    """What the 督办事项 form starts from when the office turns a 批示 into an item.

    Raises NotPermittedError for anyone but the office and LeaderInstruction.DoesNotExist for an
    unknown id (the caller answers 404)."""
    if not can_handle(user):
        raise NotPermittedError("只有领导小组办公室可以把领导批示转为督办事项。")
    instruction = _with_targets(LeaderInstruction.objects.all()).get(pk=pk)
    units = target_units(
        task=instruction.task,
        report=instruction.report,
        unit=instruction.unit,
    )
    author = instruction.author
    return {
        "title": short_title(instruction),
        "source": "instruction",
        "source_leader": author.display_name,
        "source_date": timezone.localdate(instruction.created_at),
        "source_text": instruction.text,
        "source_document": target_label(instruction),
        "requirement": instruction.text,
        "task": units.task,
        "lead_unit": units.lead,
        "co_units": units.co,
        "instruction": instruction,
    }
