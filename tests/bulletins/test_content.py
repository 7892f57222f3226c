"""What the bulletin says, from the demo data: the same numbers as the dashboard, every task in
the appendix, the lagging tasks with their reasons, in a bounded number of queries."""

import itertools
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.bulletins.selectors import bulletin_content
from reports.dashboards import dashboard_data
from tasks.models import ProgressReport, ReportingPeriod, Task
from tests.plan.factories import add_tasks
from units.models import User

pytestmark = pytest.mark.django_db


def test_the_overall_figures_are_the_dashboards(
    period: ReportingPeriod, accounts: dict[str, User]
) -> None:
    content = bulletin_content(period)
    data = dashboard_data(user=accounts["office"], period=period)
    overall = content["overall"]
    assert overall["tasks"] == Task.objects.filter(plan=period.plan).count() == 57
    assert overall["lights"] == {k: data["tiles"]["tasks"][k] for k in overall["lights"]}
    assert overall["reports_submitted"] == data["tiles"]["reports"]["submitted"]
    assert overall["reports_late"] == data["tiles"]["reports"]["late"]
    assert sum(s["total"] for s in content["sections"]) == 57


def test_the_ranking_shares_ranks_as_the_scorecard_does(period: ReportingPeriod) -> None:
    ranking = bulletin_content(period)["ranking"]
    scores = [r["score"] for r in ranking]
    assert scores == sorted(scores, reverse=True)
    for previous, row in itertools.pairwise(ranking):
        if row["score"] == previous["score"]:
            assert row["rank"] == previous["rank"] and row["rank_label"].startswith("并列")
        else:
            assert row["rank"] == ranking.index(row) + 1


def test_lagging_tasks_are_the_red_and_yellow_ones_with_the_units_reasons(
    period: ReportingPeriod,
) -> None:
    content = bulletin_content(period)
    lagging = content["lagging"]
    lights = content["overall"]["lights"]
    assert len(lagging) == lights["red"] + lights["yellow"] > 0
    assert [t["light"] for t in lagging] == sorted(
        (t["light"] for t in lagging), key=lambda light: light != "red"
    )
    delayed = ProgressReport.objects.filter(
        period=period,
        status="delayed",
        state__in=("submitted", "approved", "accepted"),
        assignment__task__isnull=False,
    ).select_related("assignment__task", "unit")
    for report in delayed:
        code = report.assignment.task.code if report.assignment.task else ""
        task = next(t for t in lagging if t["code"] == code)
        assert task["light"] == "red"
        assert any(r["unit"] == report.unit.name and r["status"] == "滞后" for r in task["reasons"])


def test_the_appendix_lists_every_task_with_its_lead_units_progress(
    period: ReportingPeriod,
) -> None:
    appendix = bulletin_content(period)["appendix"]
    assert [a["code"] for a in appendix] == list(
        Task.objects.filter(plan=period.plan).order_by("seq").values_list("code", flat=True)
    )
    lead = ProgressReport.objects.get(
        period=period, assignment__task__seq=1, assignment__role="lead"
    )
    first = appendix[0]
    assert first["percent"] == lead.percent
    assert first["text"][:20] == " ".join(lead.narrative.split())[:20]
    assert first["lead"] == lead.unit.name


def test_demo_projects_and_indicators_are_there(period: ReportingPeriod) -> None:
    content = bulletin_content(period)
    assert len(content["demos"]) == 12
    assert all(d["light"] in ("green", "yellow", "red", "grey") for d in content["demos"])
    assert len(content["indicators"]) == 10
    assert any(i["target"] is not None for i in content["indicators"])


def count_queries(period: ReportingPeriod) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        bulletin_content(period)
    return len(queries)


def test_the_content_takes_the_same_number_of_queries_whatever_the_plan_size(
    period: ReportingPeriod, django_db_blocker: Any
) -> None:
    small = count_queries(period)
    add_tasks(40)
    large = count_queries(period)
    assert small == large
    assert small <= 18  # two for the quarter's 督办事项 (reports.bulletins.directives)
