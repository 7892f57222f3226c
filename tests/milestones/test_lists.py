"""Milestone lists put the most urgent first: the overdue ones, the longest overdue first; then
those still to be done, due soonest first; those marked done and the confirmed ones last. The
same order on the office's list, the API and (as sections) the unit's page."""

import re
from datetime import date

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tasks.milestones import services as svc
from tasks.models import Milestone
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

# In the order they must be listed; the lights' day is 2021-09-30 (2021Q3 is open, and over).
URGENT_FIRST = [
    "A 逾期最久",  # due 2021-03-31: overdue 183 days
    "B 逾期",  # due 2021-06-30: overdue 92 days
    "G 牵头单位提出",  # due 2021-01-31, not confirmed yet: not overdue, to be done
    "C 年底到期",  # due 2021-12-31
    "D 明年到期",  # due 2022-03-31
    "E 已标记完成",  # due 2020-12-31, done, waits for the office
    "F 已确认完成",  # due 2020-06-30, confirmed
]


@pytest.fixture
def milestones(people: dict[str, User], period) -> None:
    """市科技局's milestones on task 1, created in an order unlike the expected one."""
    office, reporter = people["office"], people["kjj_reporter"]
    assignment = assignment_of(1, "市科技局")

    def add(title: str, due: date, who: User = office) -> Milestone:
        return svc.milestone_create(actor=who, assignment=assignment, title=title, due_date=due)

    confirmed = add("F 已确认完成", date(2020, 6, 30))
    svc.milestone_mark_done(actor=reporter, milestone=confirmed, note="已完成。")
    svc.milestone_confirm(actor=office, milestone=confirmed)
    add("D 明年到期", date(2022, 3, 31))
    done = add("E 已标记完成", date(2020, 12, 31))
    svc.milestone_mark_done(actor=reporter, milestone=done, note="已完成。")
    add("B 逾期", date(2021, 6, 30))
    add("C 年底到期", date(2021, 12, 31))
    add("G 牵头单位提出", date(2021, 1, 31), who=reporter)  # 市科技局 leads task 1
    add("A 逾期最久", date(2021, 3, 31))


def titles_in(html: str) -> list[str]:
    return re.findall(r'class="ms-title"[^>]*>([A-G] [^<]+)<', html)


def test_the_api_lists_the_most_urgent_first(people, milestones) -> None:
    api = APIClient()
    api.force_authenticate(people["office"])
    results = api.get("/api/milestones/").json()["results"]
    assert [m["title"] for m in results] == URGENT_FIRST
    assert [m["overdue_days"] for m in results[:2]] == [183, 92]
    # filters keep the order
    pending = api.get("/api/milestones/", {"state": "pending"}).json()["results"]
    assert [m["title"] for m in pending] == URGENT_FIRST[:5]


def test_the_offices_list_shows_the_most_urgent_first(people, milestones) -> None:
    client = Client()
    client.force_login(people["office"])
    html = client.get("/milestones/").content.decode()
    listed = html.split('id="all-head"')[1]
    assert titles_in(listed) == URGENT_FIRST
    assert "最紧急的在前" in listed


def test_the_units_page_groups_its_milestones_by_urgency(people, milestones) -> None:
    client = Client()
    client.force_login(people["kjj_reporter"])
    html = client.get("/milestones/").content.decode()
    sections = {
        key: titles_in(html.split(f'id="{key}"')[1].split("</section>")[0])
        for key in ("overdue", "pending", "done", "confirmed")
    }
    assert sections == {
        "overdue": ["A 逾期最久", "B 逾期"],
        "pending": ["G 牵头单位提出", "C 年底到期", "D 明年到期"],
        "done": ["E 已标记完成"],
        "confirmed": ["F 已确认完成"],
    }
    assert html.index('id="overdue"') < html.index('id="pending"') < html.index('id="done"')
    assert '<span class="stat-num">2</span><span class="stat-label">逾期未完成' in html
