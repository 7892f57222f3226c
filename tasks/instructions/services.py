"""Writes of 领导批示, one transaction each, permissions checked here.

- ``instruction_write``: a leader's 批示 on a task, a report, a unit or a red light; the office
  is told; when the leader's setting says so, the item is registered and issued at once
  (tasks.directives.services) and the 批示 marked converted and ``direct``.
- ``instruction_convert``: the office's item made from a 批示 (the directive form calls it in
  its own transaction, right after ``directive_create``).
- ``instruction_file``: the office files (归档) a 批示 with a note.
- ``preference_set``: a leader's setting.
"""

from django.db import transaction
from django.urls import reverse

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.directives.models import Directive, DirectiveSource
from tasks.directives.services import DUE_WORKDAYS_MAX, directive_create, directive_issue
from tasks.lights import Light
from tasks.plan.models import Task
from tasks.reporting.models import ProgressReport, ReportingPeriod
from units.models import Role, Unit, User
from units.notifications.services import notify

from .models import (
    TEXT_MAX,
    InstructionState,
    InstructionTarget,
    LeaderInstruction,
    LeaderPreference,
)
from .permissions import can_handle, can_handle_instruction, can_write
from .selectors import short_title, target_label, target_units

NOTE_MAX = 500


def _fail(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}})


def _target(
    *,
    task: Task | None,
    report: ProgressReport | None,
    unit: Unit | None,
    period: ReportingPeriod | None,
    light: str,
) -> str:
    if unit is not None and unit.is_group:
        raise _fail("unit", "批示请写在具体单位上，不能写在单位集合上。")
    if period is not None or light:
        if period is None or light not in Light.values:
            raise _fail("light", "请指明总览上的灯色和报送周期。")
        if report is not None or (task is None and unit is None):
            raise _fail("light", "请指明这一灯色所属的任务或单位。")
        return InstructionTarget.LIGHT
    if report is not None:
        if task is not None or unit is not None:
            raise _fail("target", "一条批示只能写在一个对象上。")
        return InstructionTarget.REPORT
    if task is not None:
        if unit is not None:
            raise _fail("target", "一条批示只能写在一个对象上。")
        return InstructionTarget.TASK
    if unit is not None:
        return InstructionTarget.UNIT
    raise _fail("target", "请指明批示写在哪项任务、哪份报告、哪个单位或哪个灯色上。")


def _office() -> list[User]:
    return list(User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk"))


@transaction.atomic
def instruction_write(
    *,
    actor: User,
    text: str,
    task: Task | None = None,
    report: ProgressReport | None = None,
    unit: Unit | None = None,
    period: ReportingPeriod | None = None,
    light: str = "",
) -> LeaderInstruction:
    """A leader's 批示 on one thing; the office told; sent straight to the units as an issued
    item when the leader's setting says so."""
    if not can_write(actor):
        raise NotPermittedError("只有领导可以写批示。")
    text = (text or "").strip()
    if not text:
        raise _fail("text", "请填写批示内容。")
    if len(text) > TEXT_MAX:
        raise _fail("text", f"批示内容不能超过 {TEXT_MAX} 个字（现有 {len(text)} 个字）。")
    kind = _target(task=task, report=report, unit=unit, period=period, light=light)
    instruction = LeaderInstruction(
        author=actor,
        text=text,
        target=kind,
        task=task,
        report=report,
        unit=unit,
        period=period,
        light=light if kind == InstructionTarget.LIGHT else "",
    )
    instruction.full_clean()
    instruction.save()
    preference = LeaderPreference.objects.filter(leader=actor).first()
    what = target_label(instruction)
    if preference is not None and preference.direct_to_units:
        units = target_units(task=task, report=report, unit=unit)
        if units.lead is None:
            raise _fail("target", "批示所写对象没有牵头单位，无法直接交办，请关闭直接交办后再写。")
        directive = directive_create(
            actor=actor,
            title=short_title(instruction),
            source=DirectiveSource.INSTRUCTION,
            requirement=text,
            lead_unit=units.lead,
            co_units=units.co,
            due_workdays=min(preference.due_workdays, DUE_WORKDAYS_MAX),
            task=units.task,
            source_leader=actor.display_name,
            source_document=what,
            source_date=clock.today(),
            source_text=text,
        )
        directive_issue(actor=actor, directive=directive, comment="领导批示直接交办。")
        instruction.state = InstructionState.CONVERTED
        instruction.direct = True
        instruction.directive = directive
        instruction.handled_by = actor
        instruction.handled_at = clock.now()
        instruction.save()
    title = f"{actor.display_name}对{what}的批示"
    if instruction.direct:
        title += f"（已直接交办 {instruction.directive.number}）"  # type: ignore[union-attr]
    notify(
        rule="instruction",
        key=f"instruction:{instruction.pk}:write",
        recipients=_office(),
        title=title[:200],
        body=text[:500],
        link=reverse("instructions:inbox"),
    )
    return instruction


@transaction.atomic
def instruction_convert(
    *, actor: User, instruction_id: int, directive: Directive
) -> LeaderInstruction:
    """Mark a 批示 turned into an item (the item registered by the office from it)."""
    instruction = LeaderInstruction.objects.select_for_update().get(pk=instruction_id)
    if not can_handle(actor):
        raise NotPermittedError("只有领导小组办公室可以把领导批示转为督办事项。")
    if instruction.state != InstructionState.NEW:
        raise ApplicationError(f"这条批示{instruction.get_state_display()}，不能再转为督办事项。")
    if directive.source != DirectiveSource.INSTRUCTION:
        raise _fail("source", "由领导批示转来的督办事项，来源应为领导批示。")
    instruction.state = InstructionState.CONVERTED
    instruction.directive = directive
    instruction.handled_by = actor
    instruction.handled_at = clock.now()
    instruction.save()
    return instruction


@transaction.atomic
def instruction_file(
    *, actor: User, instruction: LeaderInstruction, note: str
) -> LeaderInstruction:
    """File (归档) a 批示 that needs no item, with the office's note; the author is told."""
    instruction = locked(instruction)
    if not can_handle(actor):
        raise NotPermittedError("只有领导小组办公室可以归档领导批示。")
    if not can_handle_instruction(actor, instruction):
        raise ApplicationError(f"这条批示{instruction.get_state_display()}，不能再归档。")
    note = (note or "").strip()
    if not note:
        raise _fail("note", "请填写归档说明。")
    if len(note) > NOTE_MAX:
        raise _fail("note", f"归档说明不能超过 {NOTE_MAX} 个字（现有 {len(note)} 个字）。")
    instruction.state = InstructionState.FILED
    instruction.note = note
    instruction.handled_by = actor
    instruction.handled_at = clock.now()
    instruction.save()
    notify(
        rule="instruction",
        key=f"instruction:{instruction.pk}:file",
        recipients=[instruction.author],
        title=f"您对{target_label(instruction)}的批示已归档"[:200],
        body=note,
        link=reverse("instructions:mine"),
    )
    return instruction


@transaction.atomic
def preference_set(*, actor: User, direct_to_units: bool, due_workdays: int) -> LeaderPreference:
    """A leader's own setting."""
    if not can_write(actor):
        raise NotPermittedError("只有领导可以设置批示的办理方式。")
    if not 1 <= due_workdays <= DUE_WORKDAYS_MAX:
        raise _fail("due_workdays", f"办结时限应为 1 到 {DUE_WORKDAYS_MAX} 个工作日。")
    preference, _ = LeaderPreference.objects.update_or_create(
        leader=actor,
        defaults={"direct_to_units": direct_to_units, "due_workdays": due_workdays},
    )
    return preference
