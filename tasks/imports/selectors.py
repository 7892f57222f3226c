"""Reads of the Excel import: the rows of a unit's template for a period (its duties, as on
我的任务, with each report's current content and version and the previous period's text)."""

from dataclasses import dataclass

from django.db.models import QuerySet

from tasks.models import PeriodState, ProgressReport, ReportingPeriod
from tasks.reporting.selectors import Duty, duties_for_unit, period_list
from units.models import Unit


@dataclass(frozen=True)
class TemplateRow:
    duty: Duty
    previous: ProgressReport | None  # the unit's report on the duty in the period before

    @property
    def code(self) -> str:
        task = self.duty.assignment.task
        return task.code if task else "示范工程"

    @property
    def title(self) -> str:
        a = self.duty.assignment
        if a.task:
            return a.task.content
        return a.demo.name if a.demo else ""


def import_periods() -> QuerySet[ReportingPeriod]:
    """The periods a template can be made for and imported into: the open ones."""
    return period_list().filter(state=PeriodState.OPEN)


def period_before(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(plan=period.plan_id, start_date__lt=period.start_date)
        .order_by("-start_date")
        .first()
    )


def template_rows(unit: Unit, period: ReportingPeriod) -> list[TemplateRow]:
    """The unit's duties in the period in 我的任务's plan order, each with the previous period's
    report: four queries, whatever the number of duties."""
    duties = duties_for_unit(unit, period)
    before = period_before(period)
    previous: dict[int, ProgressReport] = {}
    if before is not None:
        previous = {
            r.assignment_id: r for r in ProgressReport.objects.filter(period=before, unit=unit)
        }
    return [TemplateRow(d, previous.get(d.assignment.pk)) for d in duties]
