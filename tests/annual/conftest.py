"""The annual export's shared data: the seed plan's 2021 quarters, and a hand-made year."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from reports.annual.selectors import annual_year
from reports.annual.workbook import workbook_build
from tasks.models import Plan, ProgressReport, ReportingPeriod
from tasks.reporting.services import periods_ensure

TZ = ZoneInfo("Asia/Shanghai")
# 2021Q3 is due on 2021-10-13 (the 5th working day after 09-30, the National Day week between)
ON_TIME = datetime(2021, 10, 12, 10, tzinfo=TZ)
LATE = datetime(2021, 10, 14, 9, tzinfo=TZ)


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    cache.clear()


@pytest.fixture
def year2021(db: None) -> ReportingPeriod:
    """The seed plan's periods; 2021Q3 returned (the others planned)."""
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    return ReportingPeriod.objects.get(code="2021Q3")


def report(period, assignment, unit=None, *, state="accepted", status="on_track", at=ON_TIME,
           percent=50, narrative="", problems=""):  # fmt: skip
    return ProgressReport.objects.create(
        period=period,
        assignment=assignment,
        unit=unit or assignment.unit,
        state=state,
        status=status,
        percent=percent,
        narrative=narrative,
        problems=problems,
        submitted_at=at if state not in ("draft",) else None,
    )


def workbook(year: int = 2021) -> Workbook:
    return load_workbook(io.BytesIO(workbook_build(annual_year(year))))
