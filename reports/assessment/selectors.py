"""Reads of 督查考核: the rules in force for a year and its versions, a year's facts per unit
(a fixed number of queries whatever the size), the ranking (published, or a preview), a unit's
breakdown.

The facts of a year (as of its last day, or today while the year runs):
- 按时报送率: the unit's reports submitted by their period's due date, over its duties times the
  year's periods of the current plan already due (a period not yet due is not counted);
- 按计划推进占比: its submitted reports saying 按计划推进 or 已完成 over the same number: the
  average over the year's counted quarters of the scorecard's share on track (every quarter the
  same number of duties);
- 节点按期完成率: its confirmed milestones due in the year (up to the as-of day) done by their due
  date; 逾期节点: those of them not done by the as-of day;
- 督办事项按期办结率: the items it leads (issued), due in the year (up to the as-of day) or closed
  in the year, closed by their due date — the extended date: an approved extension is deducted
  separately (延期, counted in the year it was approved), ``original_due_date`` is not used;
- 催办, 督办单 received in the year; reports returned (ReportTransition ``return``) in the year.
Never logins, clicks or online time: national rules forbid assessing units on them."""

from datetime import date
from typing import Any

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce, ExtractYear

from hefei_ai_zone import clock
from reports.dashboards.parts import GREEN_STATUSES, plan_structure
from reports.dashboards.periods import rate
from tasks.directives.models import (
    DONE_DIRECTIVE_STATES,
    DirectiveExtension,
    DirectiveState,
    DirectiveUnit,
    ExtensionState,
)
from tasks.models import (
    SUBMITTED_STATES,
    Assignment,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
)
from tasks.supervision.selectors import supervision_counts

from .models import AssessmentPublication, AssessmentRules
from .rules import Parts, Rules, rank, rules_of, score_parts

FIRST_YEAR = 2021


def rules_version_in_force(year: int) -> AssessmentRules | None:
    """The newest version of the year's rules (None: the defaults). One query."""
    return AssessmentRules.objects.filter(year=year).order_by("-version").first()


def rules_in_force(year: int) -> Rules:
    return rules_of(rules_version_in_force(year), year)


def rules_versions(year: int) -> list[AssessmentRules]:
    return list(AssessmentRules.objects.filter(year=year).select_related("created_by"))


def publication_for(year: int) -> AssessmentPublication | None:
    """The year's current publication (None: not published). One query."""
    return (
        AssessmentPublication.objects.filter(year=year, superseded=False)
        .select_related("published_by", "rules_version")
        .first()
    )


def publications_of(year: int) -> list[AssessmentPublication]:
    return list(AssessmentPublication.objects.filter(year=year).select_related("published_by"))


def assessment_years() -> list[int]:
    """The years one may choose: from the first plan year to this one."""
    return list(range(clock.today().year, FIRST_YEAR - 1, -1))


def as_of_day(year: int) -> date:
    return min(clock.today(), date(year, 12, 31))


def year_facts(year: int) -> list[dict[str, Any]]:
    """Each unit holding duties in the current plan, with the year's facts counted (see the
    module). Nine queries with one current plan (two more per other current plan), whatever the
    number of units, reports, milestones and items."""
    as_of = as_of_day(year)
    periods = list(
        ReportingPeriod.objects.filter(plan__is_current=True, year=year).order_by("start_date")
    )
    counted = [p for p in periods if p.due_date <= as_of]
    plan_ids = sorted({p.plan_id for p in periods})
    units: dict[int, tuple[int, str, int]] = {}
    duties: dict[tuple[int, int], int] = {}  # (plan, unit) → duties
    for plan_id in plan_ids:
        structure = plan_structure(plan_id)
        for u in structure["units"]:
            units.setdefault(u[0], u)
        for _aid, unit_id, _task, _sec in structure["duties"]:
            duties[(plan_id, unit_id)] = duties.get((plan_id, unit_id), 0) + 1
    expected: dict[int, int] = {}
    for p in counted:
        for (plan_id, unit_id), n in duties.items():
            if plan_id == p.plan_id:
                expected[unit_id] = expected.get(unit_id, 0) + n

    submitted = Q(state__in=SUBMITTED_STATES)
    on_time = Q(submitted_at__date__lte=F("period__due_date"))
    reports = {
        row[0]: row[1:]
        for row in ProgressReport.objects.filter(period__in=[p.pk for p in counted])
        .values_list("unit_id")
        .annotate(
            submitted=Count("id", filter=submitted),
            on_time=Count("id", filter=submitted & on_time),
            green=Count("id", filter=submitted & Q(status__in=GREEN_STATUSES)),
        )
        .order_by()
    }
    returns = dict(
        ReportTransition.objects.filter(action="return", created_at__year=year)
        .values_list("report__unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    start = date(year, 1, 1)
    due_in_year = Q(due_date__gte=start, due_date__lte=as_of)
    milestones = {
        row[0]: row[1:]
        for row in Milestone.objects.filter(
            due_in_year,
            arrangement_confirmed=True,
            assignment__in=Assignment.objects.filter(
                Q(task__plan__in=plan_ids) | Q(demo__plan__in=plan_ids)
            ).values("pk"),
        )
        .values_list("unit_id")
        .annotate(
            due=Count("id"),
            met=Count("id", filter=Q(done_at__date__lte=F("due_date"))),
            overdue=Count("id", filter=Q(done_at__isnull=True) | Q(done_at__date__gt=as_of)),
        )
        .order_by()
    }
    closed_on_time = Q(
        directive__state__in=DONE_DIRECTIVE_STATES,
        directive__closed_at__date__lte=F("directive__due_date"),
    )
    directives = {
        row[0]: row[1:]
        for row in DirectiveUnit.objects.filter(role="lead")
        .exclude(directive__state=DirectiveState.DRAFT)
        .filter(
            Q(directive__due_date__gte=start, directive__due_date__lte=as_of)
            | Q(directive__closed_at__year=year, directive__state__in=DONE_DIRECTIVE_STATES)
        )
        .values_list("unit_id")
        .annotate(items=Count("id"), on_time=Count("id", filter=closed_on_time))
        .order_by()
    }
    extensions = dict(
        DirectiveExtension.objects.filter(state=ExtensionState.APPROVED)
        .annotate(y=ExtractYear(Coalesce("decided_at", "reviewed_at", "requested_at")))
        .filter(y=year)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    supervision = supervision_counts(year)

    rows = []
    for unit_id, name, _order in sorted(units.values(), key=lambda u: (u[2], u[0])):
        n = expected.get(unit_id, 0)
        submitted_n, on_time_n, green_n = reports.get(unit_id, (0, 0, 0))
        ms_due, ms_met, ms_overdue = milestones.get(unit_id, (0, 0, 0))
        items, items_on_time = directives.get(unit_id, (0, 0))
        counts = supervision.get(unit_id)
        facts = {
            "expected": n,
            "submitted": submitted_n,
            "on_time": on_time_n,
            "green": green_n,
            "milestones_due": ms_due,
            "milestones_met": ms_met,
            "directives": items,
            "directives_on_time": items_on_time,
        }
        parts = Parts(
            on_time=rate(on_time_n, n),
            on_track=rate(green_n, n),
            milestones=rate(ms_met, ms_due),
            directives=rate(items_on_time, items),
            extensions=extensions.get(unit_id, 0),
            urges=counts.urges if counts else 0,
            orders=counts.orders if counts else 0,
            returns=returns.get(unit_id, 0),
            overdue_milestones=ms_overdue,
        )
        rows.append({"unit_id": unit_id, "unit": name, "facts": facts, "parts": parts})
    return rows


def ranking(facts: list[dict[str, Any]], rules: Rules) -> list[dict[str, Any]]:
    """The rows scored under the rules and ranked (并列: equal scores share a rank), as plain
    JSON-serialisable dicts (a publication keeps them)."""
    rows = []
    for row in facts:
        parts: Parts = row["parts"]
        scored = score_parts(parts, rules)
        rows.append(
            {
                "unit_id": row["unit_id"],
                "unit": row["unit"],
                "facts": row["facts"],
                "parts": vars(parts).copy(),
                "points": {k: round(v, 2) for k, v in scored["points"].items()},
                "deducted": {k: round(v, 2) for k, v in scored["deducted"].items()},
                "deductions": round(sum(scored["deducted"].values()), 2),
                "score": scored["score"],
            }
        )
    return rank(rows)


def assessment_for(year: int) -> dict[str, Any]:
    """The year's ranking: the published one (frozen: its rows and rules as published) or a
    preview under the rules in force."""
    publication = publication_for(year)
    if publication is not None:
        return {
            "year": year,
            "published": True,
            "publication": publication,
            "rules": Rules.from_dict(publication.rules),
            "as_of": publication.as_of,
            "rows": publication.rows,
        }
    rules = rules_in_force(year)
    return {
        "year": year,
        "published": False,
        "publication": None,
        "rules": rules,
        "as_of": as_of_day(year),
        "rows": ranking(year_facts(year), rules),
    }
