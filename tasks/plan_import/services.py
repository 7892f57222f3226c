"""Publishing an imported plan: the plan, its sections, items, tasks and assignments, the new
units, the demo projects and the indicators, in one transaction.

Every row is saved one by one (no bulk_create), so the audit log (units/audit/signals.py)
records each of them as a 新增 by the office user; one more entry names the import as a whole.
Anything wrong (a taken code, a unit name left unmapped, a value a model refuses) raises
ApplicationError in Chinese and nothing is written.
"""

from collections import Counter
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max

from demos.models import DemoProject
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.models import (
    Assignment,
    AssignmentRole,
    Indicator,
    IndicatorTarget,
    Item,
    Plan,
    Section,
    Task,
)
from tasks.plan_import.drafts import PlanDraft, TaskDraft
from tasks.plan_import.permissions import NOT_ALLOWED, can_import_plan
from tasks.plan_import.selectors import plan_code_taken, units_known
from units.audit.models import AuditKind
from units.audit.services import record
from units.models import Unit, UnitKind, User

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class NewUnit:
    """新建单位: a unit the workbook names that the platform does not know yet."""

    kind: str


@dataclass
class PublishResult:
    plan: Plan
    counts: Counter[str] = field(default_factory=Counter)
    new_units: list[Unit] = field(default_factory=list)


def saved(obj: M, where: str) -> M:
    """Checked field by field (lengths, choices, slugs) and saved; a refusal names the place."""
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise ApplicationError(
            f"{where}无效：{'；'.join(exc.messages)}。没有写入任何内容。"
        ) from exc
    obj.save()
    return obj


def resolve_units(
    draft: PlanDraft, mapping: dict[str, Unit | NewUnit], counts: Counter[str]
) -> tuple[dict[str, Unit], list[Unit]]:
    """Each name of the workbook → a unit: a known name as it is, an unknown one as mapped
    (an existing unit, or a new one created here)."""
    names = draft.unit_names()
    known = units_known(names)
    missing = [n for n in names if n not in known and n not in mapping]
    if missing:
        raise ApplicationError(
            f"以下单位尚未对应到平台的单位：{'、'.join(missing)}。请为每个单位选择现有单位或新建单位。"
        )
    kinds = set(UnitKind.values) - {UnitKind.GROUP}
    order = (Unit.objects.aggregate(m=Max("sort_order"))["m"] or 0) + 10
    created: list[Unit] = []
    resolved: dict[str, Unit] = dict(known)
    for name in names:
        if name in known:
            continue
        choice = mapping[name]
        if isinstance(choice, Unit):
            resolved[name] = choice
            continue
        if choice.kind not in kinds:
            raise ApplicationError(f"新建单位“{name}”的类别无效。")
        unit = Unit(name=name, kind=choice.kind, sort_order=order)
        order += 10
        resolved[name] = saved(unit, f"新建单位“{name}”")
        created.append(unit)
        counts["units"] += 1
    return resolved, created


def assign(owner: dict[str, models.Model], names: list[str], units: dict[str, Unit]) -> int:
    """The units of a task or demo in the workbook's order: the first the lead. Two names
    mapped to the same unit count once (its first place)."""
    done: set[int] = set()
    for name in names:
        unit = units[name]
        if unit.pk in done:
            continue
        done.add(unit.pk)
        role = AssignmentRole.LEAD if not len(done) - 1 else AssignmentRole.CO
        saved(Assignment(**owner, unit=unit, role=role, order=len(done)), f"“{name}”的分工")
    return len(done)


@transaction.atomic
def plan_import_publish(
    *,
    actor: User,
    draft: PlanDraft,
    code: str,
    name: str,
    short_name: str = "",
    start_year: int,
    end_year: int,
    make_current: bool = False,
    mapping: dict[str, Unit | NewUnit],
    filename: str = "",
) -> PublishResult:
    """Create the plan the draft describes (see the module's docstring)."""
    if not can_import_plan(actor):
        raise NotPermittedError(NOT_ALLOWED)
    if plan_code_taken(code):
        raise ApplicationError(f"方案代码“{code}”已被使用，请换一个代码（已有的方案不会被覆盖）。")
    if end_year < start_year:
        raise ApplicationError("截止年份不能早于起始年份。")
    for ind in draft.indicators:
        outside = [y for y, *_ in ind.targets if not start_year <= y <= end_year]
        if outside:
            raise ApplicationError(
                f"指标“{ind.name}”有 {outside[0]} 年的目标，不在方案的起止年份"
                f"（{start_year}-{end_year}年）之内。"
            )
    counts: Counter[str] = Counter()
    units, created = resolve_units(draft, mapping, counts)
    if make_current:
        for other in Plan.objects.filter(is_current=True):
            other.is_current = False
            other.save(update_fields=["is_current"])
    plan = Plan(
        code=code,
        name=name,
        short_name=short_name,
        start_year=start_year,
        end_year=end_year,
        is_current=make_current,
        source_document=f"Excel 导入：{filename}"[:255] if filename else "",
    )
    try:
        saved(plan, "方案")
        write_tasks(plan, draft, units, counts)
        write_demos(plan, draft, units, counts)
        write_indicators(plan, draft, counts)
    except IntegrityError as exc:  # a constraint the reading did not foresee
        raise ApplicationError("方案数据有重复或冲突，没有写入任何内容。") from exc
    record(
        AuditKind.CREATE,
        actor=actor,
        obj=plan,
        detail=(
            f"从 Excel 导入实施方案（{filename or '工作簿'}）：{counts['sections']} 个板块，"
            f"{counts['tasks']} 项任务，{counts['assignments']} 条分工，新建单位 "
            f"{counts['units']} 个，示范工程 {counts['demos']} 项，指标 {counts['indicators']} 项"
        ),
    )
    return PublishResult(plan, counts, created)


def write_tasks(plan: Plan, draft: PlanDraft, units: dict[str, Unit], counts: Counter[str]) -> None:
    for seq, s in enumerate(draft.sections, start=1):
        section = saved(
            Section(plan=plan, code=s.code, part=s.part, number=s.number, title=s.title, seq=seq),
            f"任务板块“{s.label}”",
        )
        counts["sections"] += 1
        groups: list[tuple[Item | None, list[TaskDraft]]] = [(None, s.tasks)]
        for it in s.items:
            heading = saved(
                Item(section=section, number=it.number, title=it.title),
                f"条目“{it.number}.{it.title}”",
            )
            counts["items"] += 1
            groups.append((heading, it.tasks))
        for item, tasks in groups:
            for t in tasks:
                task = saved(
                    Task(
                        plan=plan,
                        section=section,
                        item=item,
                        seq=t.seq,
                        code=t.code,
                        content=t.content,
                        note=t.note,
                        requires_plan=t.requires_plan,
                    ),
                    f"第{t.row}行的任务",
                )
                counts["tasks"] += 1
                counts["assignments"] += assign({"task": task}, t.units, units)


def write_demos(plan: Plan, draft: PlanDraft, units: dict[str, Unit], counts: Counter[str]) -> None:
    for d in draft.demos:
        demo = saved(
            DemoProject(
                plan=plan,
                seq=d.seq,
                field=d.field,
                name=d.name,
                hosts=d.hosts,
                start_year=d.start_year,
                end_year=d.end_year,
            ),
            f"示范工程“{d.name}”",
        )
        counts["demos"] += 1
        counts["assignments"] += assign({"demo": demo}, d.units, units)


def write_indicators(plan: Plan, draft: PlanDraft, counts: Counter[str]) -> None:
    for ind in draft.indicators:
        indicator = saved(
            Indicator(
                plan=plan,
                code=f"indicator-{ind.seq}",
                name=ind.name,
                measure=ind.measure,
                goal=ind.goal,
                source_text=ind.source_text,
                seq=ind.seq,
            ),
            f"指标“{ind.name}”",
        )
        counts["indicators"] += 1
        for year, low, high in ind.targets:
            saved(
                IndicatorTarget(indicator=indicator, year=year, min_value=low, max_value=high),
                f"指标“{ind.name}”{year}年的目标",
            )
