"""The number of 催办 and 督办单 per unit and year: one grouped query, on the unit dashboard
and beside the scorecard (never logins or clicks)."""

import pytest
import time_machine
from django.core.cache import cache

from reports.dashboards import dashboard_data
from reports.unit_dashboard import unit_dashboard_data
from tasks.models import Task
from tasks.supervision.selectors import SupervisionCounts, supervision_counts
from tasks.supervision.services import order_issue, urge_send
from units.models import Unit

pytestmark = pytest.mark.django_db


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


@time_machine.travel("2021-10-20 10:00 +0800", tick=False)
def test_counts_per_unit_and_year_in_one_query(people, period, django_assert_num_queries) -> None:
    office = people["office"]
    for _ in range(2):
        urge_send(actor=office, period=period, unit_ids=[unit("市科技局").pk], message="催")
    urge_send(actor=office, period=period, unit_ids=[unit("市发改委").pk], message="催")
    task = Task.objects.get(plan__is_current=True, seq=1)
    order_issue(actor=office, task=task, unit=unit("市科技局"), facts="x", reply_workdays=3)
    with django_assert_num_queries(1):
        counts = supervision_counts(2021)
    assert counts[unit("市科技局").pk] == SupervisionCounts(urges=2, orders=1)
    assert counts[unit("市发改委").pk] == SupervisionCounts(urges=1, orders=0)
    assert supervision_counts(2022) == {}
    assert supervision_counts(2021, [unit("市发改委").pk]) == {
        unit("市发改委").pk: SupervisionCounts(1, 0)
    }

    # the unit dashboard and the scorecard say so for the period's year, at once (not cached)
    data = unit_dashboard_data(user=office, unit=unit("市科技局"), period=period)
    assert (data["tiles"]["urges"], data["tiles"]["orders"]) == (2, 1)
    cache.clear()
    dashboard_data(user=office, period=period)  # cached now
    urge_send(actor=office, period=period, unit_ids=[unit("市科技局").pk], message="催")
    row = next(
        s
        for s in dashboard_data(user=office, period=period)["scorecard"]
        if s["unit"] == "市科技局"
    )
    assert (row["urges"], row["orders"], row["supervision_year"]) == (3, 1, 2021)
