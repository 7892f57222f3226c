"""The number of 催办 and 督办单 per unit and year: one grouped query, on the unit dashboard
and beside the scorecard (never logins or clicks)."""

from datetime import date

import pytest
import time_machine
from django.core.cache import cache

from reports.dashboards import dashboard_data
from reports.unit_dashboard import unit_dashboard_data
from tasks.directives.services import directive_create, directive_issue, directive_urge
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


@pytest.mark.django_db
def test_an_item_urged_counts_as_an_urge_of_its_lead_unit(people) -> None:
    """The year's 催办 of a unit: those of the periods and those of its items as lead unit (the
    timeline's 催办 steps), in the same one query."""
    with time_machine.travel("2023-09-25 10:00 +0800", tick=False):
        kjj, fgw = Unit.objects.get(name="市科技局"), Unit.objects.get(name="市发改委")
        item = directive_issue(
            actor=people["office"],
            directive=directive_create(
                actor=people["office"], title="事项", source="meeting", source_meeting="会议",
                requirement="办理。", lead_unit=kjj, co_units=[fgw], due_date=date(2023, 12, 1),
            ),
        )  # fmt: skip
        before = supervision_counts(2023)
        directive_urge(actor=people["office"], directive=item, message="请签收。")
        directive_urge(actor=people["office"], directive=item, message="请尽快签收。")
        after = supervision_counts(2023)
    was = before[kjj.pk].urges if kjj.pk in before else 0
    assert after[kjj.pk].urges == was + 2
    assert (after[fgw.pk].urges if fgw.pk in after else 0) == (
        before[fgw.pk].urges if fgw.pk in before else 0
    )
    assert supervision_counts(2024).get(kjj.pk) is None
