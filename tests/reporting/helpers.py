"""Helpers of the reporting tests."""

from collections.abc import Iterator
from contextlib import contextmanager

from tasks.models import PeriodState, ReportingPeriod


@contextmanager
def only_open(code: str) -> Iterator[ReportingPeriod]:
    """Period ``code`` open for the block (one open period per plan: the open one is closed
    meanwhile and reopened after), e.g. to write last quarter's report."""
    was_open = list(ReportingPeriod.objects.filter(state=PeriodState.OPEN).exclude(code=code))
    ReportingPeriod.objects.filter(pk__in=[p.pk for p in was_open]).update(state=PeriodState.CLOSED)
    ReportingPeriod.objects.filter(code=code).update(state=PeriodState.OPEN)
    try:
        yield ReportingPeriod.objects.get(code=code)
    finally:
        ReportingPeriod.objects.filter(code=code).update(state=PeriodState.CLOSED)
        ReportingPeriod.objects.filter(pk__in=[p.pk for p in was_open]).update(
            state=PeriodState.OPEN
        )
