"""Reads of the plan: plans, sections, tasks with their units, indicators, a unit's duties."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from tasks.plan.models import Assignment, Indicator, IndicatorTarget, Plan, Section, Task
from units.models import Unit, UnitKind


def plan_current() -> Plan | None:
    return Plan.objects.filter(is_current=True).order_by("-start_year", "code").first()


def _assignments() -> Prefetch:
    return Prefetch(
        "assignments", queryset=Assignment.objects.select_related("unit").order_by("order")
    )


def task_list(*, plan: Plan | None = None) -> QuerySet[Task]:
    """Tasks in Annex order with section, item and units: two queries however many tasks."""
    qs = Task.objects.select_related("section", "item", "plan").prefetch_related(_assignments())
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs.order_by("plan", "seq")


def task_filter_unit(qs: QuerySet[Task], unit: Unit, role: str | None = None) -> QuerySet[Task]:
    """Tasks the unit answers for: assigned to it, or to a group it belongs to."""
    direct = Assignment.objects.filter(task=OuterRef("pk"), unit=unit)
    via_group = Assignment.objects.filter(task=OuterRef("pk"), unit__members=unit)
    if role:
        direct, via_group = direct.filter(role=role), via_group.filter(role=role)
    if unit.is_group:
        return qs.filter(Exists(direct))
    return qs.filter(Exists(direct) | Exists(via_group))


def task_filter_search(qs: QuerySet[Task], text: str) -> QuerySet[Task]:
    """Match every word of ``text`` against code, content, note, item, section or unit names."""
    for word in text.split():
        unit_match = Assignment.objects.filter(task=OuterRef("pk"), unit__name__icontains=word)
        qs = qs.filter(
            Q(code__icontains=word)
            | Q(content__icontains=word)
            | Q(note__icontains=word)
            | Q(item__title__icontains=word)
            | Q(section__title__icontains=word)
            | Exists(unit_match)
        )
    return qs


def section_list(*, plan: Plan | None = None) -> QuerySet[Section]:
    qs = Section.objects.select_related("plan").prefetch_related("items").order_by("plan", "seq")
    return qs.filter(plan=plan) if plan is not None else qs


def indicator_list(*, plan: Plan | None = None) -> QuerySet[Indicator]:
    qs = Indicator.objects.select_related("parent", "plan").prefetch_related(
        Prefetch("targets", queryset=IndicatorTarget.objects.order_by("year"))
    )
    return (qs.filter(plan=plan) if plan is not None else qs).order_by("plan", "seq")


@dataclass(frozen=True)
class UnitDuty:
    """One assignment as seen by a unit: direct, or through a group it belongs to."""

    assignment: Assignment
    via: Unit | None  # the group, when the plan names the group and not the unit

    @property
    def role(self) -> str:
        return self.assignment.role


def unit_duties(unit: Unit) -> list[UnitDuty]:
    """Every task and demo assignment the unit answers for, in plan order (three queries)."""
    owners = [unit] if unit.kind == UnitKind.GROUP else [unit, *unit.groups.all()]
    assignments = (
        Assignment.objects.filter(unit__in=owners)
        .select_related("unit", "task__section", "task__item", "demo")
        .order_by("task__seq", "demo__seq", "order")
    )
    return [UnitDuty(a, None if a.unit_id == unit.pk else a.unit) for a in assignments]


def unit_assignments(unit: Unit) -> Q:
    """Assignments a unit answers for: to itself, or to a group it belongs to."""
    return Q(unit=unit) | Q(unit__members=unit)
