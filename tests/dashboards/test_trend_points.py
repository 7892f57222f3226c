"""The dashboard's trend keeps the points of earlier periods (reports.models.TrendPoint) instead of
recounting forty periods of reports after every write: a kept point is used only while nothing
that can change its period's lights has been written since. Every test here compares the trend
the dashboard shows with a recount from scratch (reports.dashboards.light_counts_by_period, the
one-statement count tested against tasks.lights in test_dashboard.py)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import override_settings

from reports.dashboards import dashboard_periods, light_counts_by_period, lights_changed
from reports.dashboards.lights_sql import TREND_AUDIENCE
from reports.models import TrendPoint
from tasks.models import Milestone, ProgressReport, ReportingPeriod
from tasks.reporting.services import periods_ensure
from tests.plan.factories import assignment_of

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def periods(db):
    from tasks.models import Plan

    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    return {p.code: p for p in ReportingPeriod.objects.order_by("start_date")}


def accepted(period, seq, unit, status="on_track"):
    a = assignment_of(seq, unit)
    return ProgressReport.objects.create(
        period=period,
        assignment=a,
        unit=a.unit,
        state="accepted",
        status=status,
        percent=50,
        submitted_at=datetime(period.due_date.year, period.due_date.month, 1, tzinfo=TZ),
    )


def trend_shown(user, code="2021Q3"):
    """The trend as /api/dashboard/ gives it, from a cold cache (as after any write)."""
    from django.test import Client

    cache.clear()
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/dashboard/?period={code}")
    assert response.status_code == 200, response.content
    return {
        p["code"]: {k: p[k] for k in ("red", "yellow", "green")} for p in response.json()["trend"]
    }


def recount(periods, code="2021Q3"):
    shown = [p for p in periods.values() if p.start_date <= periods[code].start_date]
    counts = light_counts_by_period(shown, shown[0].plan_id)
    return {
        p.code: {k: counts.get(p.pk, {}).get(k, 0) for k in ("red", "yellow", "green")}
        for p in shown
    }


@pytest.fixture
def reported(periods):
    """Reports in 2021Q1 (one delayed) and 2021Q2, so that the earlier points are not empty."""
    accepted(periods["2021Q1"], 1, "市科技局", "delayed")
    accepted(periods["2021Q1"], 2, "市科技局")
    accepted(periods["2021Q1"], 3, "市发改委")
    return {
        "q2": accepted(periods["2021Q2"], 2, "市科技局", "at_risk"),
        "q2_other": accepted(periods["2021Q2"], 3, "市发改委"),
    }


def test_points_of_earlier_periods_are_kept_and_used(reported, periods, people):
    first = trend_shown(people["leader"])
    assert first == recount(periods)
    assert first["2021Q1"] == {"red": 1, "yellow": 0, "green": 2}
    assert trend_shown(people["leader"]) == first  # now from the kept points
    kept = TrendPoint.objects.filter(audience=TREND_AUDIENCE)
    # every period before 2021Q3 (the chosen one is counted with the rest of its dashboard)
    assert {p.period.code for p in kept} == {c for c in first if c != "2021Q3"}
    # a kept point is what the trend shows: alter one by hand and the page believes it
    kept.filter(period=periods["2021Q1"]).update(red=7)
    assert trend_shown(people["leader"])["2021Q1"]["red"] == 7


def test_a_report_written_in_an_earlier_period_moves_its_point(
    reported, periods, people, django_capture_on_commit_callbacks
):
    before = trend_shown(people["leader"])
    with django_capture_on_commit_callbacks(execute=True):
        report = reported["q2"]
        report.status = "delayed"
        report.save()
    after = trend_shown(people["leader"])
    assert after == recount(periods)
    assert (before["2021Q2"]["yellow"], after["2021Q2"]["yellow"]) == (1, 0)
    assert after["2021Q2"]["red"] == before["2021Q2"]["red"] + 1
    with django_capture_on_commit_callbacks(execute=True):
        reported["q2_other"].delete()
    assert trend_shown(people["leader"]) == recount(periods)


def test_a_milestone_moves_the_points_of_the_periods_it_was_and_is_overdue_in(
    reported, periods, people, django_capture_on_commit_callbacks
):
    trend_shown(people["leader"])
    a = assignment_of(5, "市科技局")
    with django_capture_on_commit_callbacks(execute=True):
        milestone = Milestone.objects.create(
            assignment=a, unit=a.unit, year=2020, title="节点", due_date=date(2020, 11, 1)
        )
    shown = trend_shown(people["leader"])
    assert shown == recount(periods)
    assert shown["2020Q4"]["red"] == 1 and shown["2021Q1"]["red"] == 2  # 60, then 150 days
    # moved to after 2021Q2: no longer overdue in 2020Q4–2021Q2 (the old date's periods)
    milestone = Milestone.objects.get(pk=milestone.pk)
    with django_capture_on_commit_callbacks(execute=True):
        milestone.due_date = date(2021, 8, 1)
        milestone.save()
    shown = trend_shown(people["leader"])
    assert shown == recount(periods)
    assert shown["2020Q4"]["red"] == 0 and shown["2021Q1"]["red"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        Milestone.objects.get(pk=milestone.pk).delete()
    assert trend_shown(people["leader"]) == recount(periods)


def test_a_point_counted_before_a_write_committed_is_not_used(reported, periods, people):
    """The race the version guards against: a point counted from the rows before a write, kept
    after the write's commit. The write moves the version after its commit, so such a point
    always carries the old version."""
    trend_shown(people["leader"])
    point = TrendPoint.objects.get(audience=TREND_AUDIENCE, period=periods["2021Q2"])
    # the write, without its after-commit step yet
    ProgressReport.objects.filter(pk=reported["q2"].pk).update(status="delayed")
    # the stale point is still used until the version moves ...
    assert trend_shown(people["leader"])["2021Q2"] == {"red": 0, "yellow": 1, "green": 1}
    # ... which the write's commit does
    lights_changed(period_ids=[reported["q2"].period_id])
    assert trend_shown(people["leader"]) == recount(periods)
    point.refresh_from_db()
    assert (point.red, point.yellow) == (1, 0)


def test_points_are_the_same_for_every_reader_and_kept_per_rule(reported, periods, people):
    returned = accepted(periods["2021Q2"], 4, "市科技局", "delayed")
    ProgressReport.objects.filter(pk=returned.pk).update(state="returned", submitted_at=None)
    lights_changed(period_ids=[returned.period_id])
    # a returned report counts for nobody: the office sees the leader's trend
    office, leader = trend_shown(people["office"]), trend_shown(people["leader"])
    assert office == leader == recount(periods)
    assert office["2021Q2"]["red"] == 0
    assert set(TrendPoint.objects.values_list("audience", flat=True)) == {TREND_AUDIENCE}
    # a point kept under an earlier rule (the office once counted returned reports) is not used
    TrendPoint.objects.update(rule="30/0", red=9)
    assert trend_shown(people["leader"]) == recount(periods)
    assert set(TrendPoint.objects.values_list("rule", flat=True)) == {"v2:30/0"}
    # other thresholds: the kept points (counted with 30/0) are not used
    a = assignment_of(5, "市科技局")
    Milestone.objects.create(
        assignment=a, unit=a.unit, year=2021, title="节点", due_date=date(2021, 3, 10)
    )
    lights_changed(every=True)
    assert trend_shown(people["leader"])["2021Q1"]["red"] == 1  # 21 days overdue: yellow
    with override_settings(LIGHT_RED_OVERDUE_DAYS=10):
        assert trend_shown(people["leader"])["2021Q1"]["red"] == 2
        assert set(TrendPoint.objects.values_list("rule", flat=True)) >= {"v2:10/0"}
    assert trend_shown(people["leader"])["2021Q1"]["red"] == 1


def test_commands_writing_in_bulk_make_every_point_stale(reported, periods, people):
    trend_shown(people["leader"])
    # bulk writes send no signals; the commands that make them call everything_changed()
    ProgressReport.objects.filter(period=periods["2021Q1"]).update(status="at_risk")
    from reports.dashboards import everything_changed

    everything_changed()
    shown = trend_shown(people["leader"])
    assert shown == recount(periods)
    assert shown["2021Q1"] == {"red": 0, "yellow": 3, "green": 0}
    assert dashboard_periods()  # the period list is recomputed too


def test_refresh_dashboard_makes_every_kept_number_stale(reported, periods, people):
    from io import StringIO

    from django.core.management import call_command

    trend_shown(people["leader"])
    ProgressReport.objects.filter(period=periods["2021Q1"]).update(status="delayed")  # by hand
    out = StringIO()
    call_command("refresh_dashboard", stdout=out)
    assert "趋势点" in out.getvalue() and "重新计算" in out.getvalue()
    assert trend_shown(people["leader"])["2021Q1"] == {"red": 3, "yellow": 0, "green": 0}
