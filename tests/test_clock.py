"""The one clock (hefei_ai_zone.clock): every "as of today" of the site asks it. In production the
real date (Asia/Shanghai); on a demo date (SUPERVISION_TODAY, the default of `make run`) every
deadline, stamp and overdue count reads as that day, and a banner says so on every page.

The real calendar is frozen at 2026-11-30 where it matters, so that a test on the demo date
would fail if anything still asked the real one.
"""

import os
import re
import subprocess
import sys
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks.ledger.services import entry_create, entry_verify
from tasks.milestones import services as milestone_svc
from tasks.milestones.selectors import milestones_as_of
from tasks.models import Plan, ReportingPeriod, ReportState
from tasks.reporting import services as svc
from tasks.reporting.selectors import (
    duties_for_unit,
    period_current,
    report_filter_overdue,
    unit_record,
)
from tests.plan.factories import assignment_of

SHANGHAI = ZoneInfo("Asia/Shanghai")
REAL_NOW = "2026-11-30 10:15 +0800"  # the real calendar, far past the plan
DEMO = override_settings(SUPERVISION_TODAY="2023-12-20")
FULL = {"status": "on_track", "percent": 60, "narrative": "完成年度重点项目建设。"}


def local_day(moment: datetime | None) -> date:
    assert moment is not None
    return moment.astimezone(SHANGHAI).date()


def q4(people) -> ReportingPeriod:
    """2023Q4 (due 2024-01-08, the 5th working day after 12-31: 元旦 not counted) open and the
    current period, opened by the office."""
    svc.periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    period = ReportingPeriod.objects.get(code="2023Q4")
    return svc.period_open(actor=people["office"], period=period)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- the clock itself ---------------------------------------------------------------------------


@time_machine.travel("2021-09-30 17:30 +0000", tick=False)  # 2021-10-01 01:30 in Shanghai
def test_without_a_demo_date_today_is_the_real_date_in_shanghai() -> None:
    assert settings.SUPERVISION_TODAY is None and clock.demo_date() is None
    assert clock.today() == date(2021, 10, 1)
    assert clock.now() == datetime(2021, 10, 1, 1, 30, tzinfo=SHANGHAI)


@time_machine.travel(REAL_NOW, tick=False)
def test_on_a_demo_date_today_is_that_day_at_the_real_time_of_day() -> None:
    with DEMO:
        assert clock.demo_date() == clock.today() == date(2023, 12, 20)
        assert clock.now() == datetime(2023, 12, 20, 10, 15, tzinfo=SHANGHAI)
    with override_settings(SUPERVISION_TODAY=date(2023, 11, 15)):
        assert clock.today() == date(2023, 11, 15)
    assert clock.today() == date(2026, 11, 30)


def start(settings_module: str, **env: str) -> subprocess.CompletedProcess:
    """Print SUPERVISION_TODAY of these settings, started in a fresh interpreter with ``env``
    (None: the variable unset)."""
    environment = {k: v for k, v in os.environ.items() if k != "SUPERVISION_TODAY"}
    environment.update(env, DJANGO_SETTINGS_MODULE=settings_module, DATABASE_URL="")
    code = "import django; django.setup(); from django.conf import settings as s; "
    return subprocess.run(
        [sys.executable, "-c", code + "print(s.SUPERVISION_TODAY)"],
        env=environment,
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        check=False,
    )


def test_make_run_runs_on_the_demo_date_unless_the_environment_says_otherwise() -> None:
    assert start("hefei_ai_zone.settings.local").stdout.strip() == "2023-12-20"
    local = start("hefei_ai_zone.settings.local", SUPERVISION_TODAY="2023-11-15")
    assert local.stdout.strip() == "2023-11-15"
    real = start("hefei_ai_zone.settings.local", SUPERVISION_TODAY="")
    assert real.stdout.strip() == "None", real.stderr


def test_production_runs_on_the_real_date_and_a_malformed_date_stops_the_start() -> None:
    production = start("hefei_ai_zone.settings.production", SECRET_KEY="x" * 50)
    assert production.stdout.strip() == "None", production.stderr
    wrong = start("hefei_ai_zone.settings.local", SUPERVISION_TODAY="2023-12-32")
    assert wrong.returncode != 0
    assert "SUPERVISION_TODAY 应为“年-月-日”格式的日期" in wrong.stderr


# --- the banner ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_page_says_so_while_a_demo_date_is_set(people) -> None:
    with DEMO:
        for client, url in [(Client(), "/accounts/login/"), (login(people["kjj_reporter"]), "/")]:
            page = client.get(url, follow=True).content.decode()
            assert 'id="demo-date"' in page, url
            assert "演示数据 · 按 <span" in page and "2023年12月20日</span> 计算" in page
    page = login(people["kjj_reporter"]).get("/", follow=True).content.decode()
    assert 'id="demo-date"' not in page and "演示数据" not in page


# --- on time or late, stamped on the demo date --------------------------------------------------


@pytest.mark.django_db
@time_machine.travel(REAL_NOW, tick=False)
def test_a_report_submitted_on_the_demo_date_is_on_time_and_stamped_on_that_day(people) -> None:
    with DEMO:
        period = q4(people)
        assert period_current() == period and local_day(period.opened_at) == date(2023, 12, 20)
        report = svc.report_start(
            actor=people["kjj_reporter"],
            assignment=assignment_of(1, "市科技局"),
            period=period,
            **FULL,
        )
        svc.report_submit(actor=people["kjj_reporter"], report=report)
        svc.report_approve(actor=people["kjj_approver"], report=report)
        svc.report_accept(actor=people["office"], report=report)
        report.refresh_from_db()

        assert report.state == ReportState.ACCEPTED and period.due_date == date(2024, 1, 8)
        stamps = [report.submitted_at, report.accepted_at, report.created_at, report.updated_at]
        stamps += [t.created_at for t in report.transitions.all()]
        stamps += [v.created_at for v in report.versions.all()]
        assert {local_day(s) for s in stamps} == {date(2023, 12, 20)}
        duty = next(d for d in duties_for_unit(report.unit, period) if d.report == report)
        assert duty.is_submitted and not duty.late and duty.days_left == 19
        assert not report_filter_overdue(period.reports.all()).exists()
        counts = [(r.period.code, r.record.submitted, r.record.late, r.record.overdue)
                  for r in unit_record(report.unit)]  # fmt: skip
        assert counts == [("2023Q4", 1, 0, 0)]  # none overdue: due in 19 days

        svc.period_close(actor=people["office"], period=period)
        period.refresh_from_db()
        assert local_day(period.closed_at) == date(2023, 12, 20)


# --- overdue days: the duties and the milestones count from the same day ------------------------


@pytest.mark.django_db
@time_machine.travel(REAL_NOW, tick=False)
def test_my_tasks_and_the_task_page_count_overdue_days_from_the_demo_date(people) -> None:
    """The issue: 我的任务 said 逾期 1060 天 for a report (the real calendar) and 逾期 93 天 截至
    2023-12-31 for a milestone (the period's last day). Both now count from 2023-12-20."""
    kjj = people["kjj_reporter"]
    with DEMO:
        q4(people)
        milestone_svc.milestone_create(
            actor=people["office"],
            assignment=assignment_of(1, "市科技局"),
            title="建成算力调度平台",
            due_date=date(2023, 11, 30),
        )
        assert milestones_as_of() == date(2023, 12, 20)

        page = login(kjj).get(reverse("reporting:my-tasks")).content.decode()
        assert "截至 2023-12-20" in page and "逾期 20 天" in page  # the milestone, 11-30 → 12-20
        assert "剩 19 天" in page  # the reports, due 2024-01-08
        # every overdue figure on the page (the duty rows' lights too) counts to the same day
        assert set(re.findall(r"逾期 (\d+) 天", page)) == {"20"}

        task = assignment_of(1, "市科技局").task
        assert task is not None
        page = login(kjj).get(reverse("plan:task-detail", args=[task.pk])).content.decode()
        assert "建成算力调度平台" in page and "逾期 20 天" in page
        assert set(re.findall(r"逾期 (\d+) 天", page)) == {"20"}

        api = login(kjj).get("/api/milestones/").json()
        rows = api["results"] if isinstance(api, dict) else api
        assert [m["overdue_days"] for m in rows if m["title"] == "建成算力调度平台"] == [20]


@pytest.mark.django_db
@time_machine.travel(REAL_NOW, tick=False)
def test_a_milestone_marked_done_on_the_demo_date_is_done_then(people) -> None:
    with DEMO:
        m = milestone_svc.milestone_create(
            actor=people["office"],
            assignment=assignment_of(1, "市科技局"),
            title="完成年度总结",
            due_date=date(2023, 12, 31),
        )
        milestone_svc.milestone_mark_done(
            actor=people["kjj_reporter"], milestone=m, note="已完成。"
        )
        milestone_svc.milestone_confirm(actor=people["office"], milestone=m)
        m.refresh_from_db()
        assert local_day(m.done_at) == local_day(m.confirmed_at) == date(2023, 12, 20)
        assert local_day(m.created_at) == date(2023, 12, 20)
        assert m.overdue_days(clock.today()) == 0


@pytest.mark.django_db
@time_machine.travel(REAL_NOW, tick=False)
def test_an_achievement_cannot_be_dated_after_the_demo_date(people) -> None:
    plan = Plan.objects.get(code="hefei-ai-2020-2023")
    values: dict[str, Any] = {"kind": "major_achievement", "title": "智能语音开放平台上线"}
    with DEMO:
        with pytest.raises(ApplicationError, match="2023-12-21 晚于今天"):
            entry_create(actor=people["kjj_reporter"], plan=plan, date=date(2023, 12, 21), **values)
        entry = entry_create(
            actor=people["kjj_reporter"], plan=plan, date=date(2023, 12, 20), **values
        )
        assert local_day(entry.created_at) == date(2023, 12, 20)
        verified = entry_verify(actor=people["office"], entry=entry)
        assert local_day(verified.verified_at) == date(2023, 12, 20)
