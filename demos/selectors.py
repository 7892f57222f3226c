"""Reads of the demo projects (示范工程), and the typed rows their pages show."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet

from tasks.models import Assignment, Milestone

from .models import DemoProject


def demo_list() -> QuerySet[DemoProject]:
    return (
        DemoProject.objects.select_related("task", "plan")
        .prefetch_related(
            Prefetch(
                "assignments", queryset=Assignment.objects.select_related("unit").order_by("order")
            )
        )
        .order_by("plan", "seq")
    )


@dataclass(frozen=True)
class TimelineBar:
    """A demo project's construction period on the list's timeline, in percent of its width."""

    demo: DemoProject
    left: float
    width: float


def demo_timeline(demos: list[DemoProject], start: int, end: int) -> list[TimelineBar]:
    """Each project's bar on a timeline from ``start`` to ``end`` (years, both included)."""
    span = end - start + 1
    return [
        TimelineBar(
            demo=d,
            left=round((d.start_year - start) * 100 / span, 2),
            width=round((d.end_year - d.start_year + 1) * 100 / span, 2),
        )
        for d in demos
    ]


@dataclass(frozen=True)
class AssignmentLight:
    """A responsible unit of a demo project with its light computed from facts (tasks.lights)."""

    assignment: Assignment
    light: str


@dataclass(frozen=True)
class DemoMilestone:
    milestone: Milestone
    overdue_days: int  # on the lights' day of the current period (0 without a period)


def demo_milestones(demo: DemoProject, as_of: date | None) -> list[tuple[int, list[DemoMilestone]]]:
    """The project's milestones by year, each with how late it is on ``as_of`` (one query)."""
    by_year: dict[int, list[DemoMilestone]] = {}
    milestones = (
        Milestone.objects.filter(assignment__demo=demo)
        .select_related("unit")
        .order_by("year", "due_date", "id")
    )
    for m in milestones:
        row = DemoMilestone(m, m.overdue_days(as_of) if as_of else 0)
        by_year.setdefault(m.year, []).append(row)
    return sorted(by_year.items())
