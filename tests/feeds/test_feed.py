"""The private iCalendar feed (日历订阅): a token URL per person, revocable, of the due dates that
concern them; read as Outlook or a phone would, with the icalendar library."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar

from tasks.feeds.models import CalendarFeed
from tasks.feeds.selectors import supervision_deadlines
from tasks.feeds.services import feed_create, feed_revoke
from tasks.milestones import services as milestones
from tasks.models import Milestone, PeriodState, Plan, ReportingPeriod, Task
from tasks.reporting.services import periods_ensure
from tasks.supervision import services as supervision
from tasks.supervision.models import SupervisionOrder
from tests.plan.factories import assignment_of
from units.models import Unit, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(db: None) -> list[ReportingPeriod]:
    """The plan's periods; 2023Q3 closed, 2023Q4 open, the rest planned."""
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2023Q3").update(state=PeriodState.CLOSED)
    ReportingPeriod.objects.filter(code="2023Q4").update(state=PeriodState.OPEN)
    return list(ReportingPeriod.objects.order_by("start_date"))


def milestone(people: dict[str, User], unit: str, title: str, due: date) -> Milestone:
    return milestones.milestone_create(
        actor=people["office"], assignment=assignment_of(1, unit), title=title, due_date=due
    )


def fetch(token: str) -> tuple[int, str, Calendar | None]:
    response = Client().get(f"/calendar/{token}.ics")
    if response.status_code != 200:
        return response.status_code, response.get("Content-Type", ""), None
    return 200, response["Content-Type"], Calendar.from_ical(response.content)


def events(calendar: Calendar | None) -> dict[str, tuple[date, str]]:
    assert calendar is not None
    return {
        str(e["UID"]): (e.decoded("DTSTART"), str(e["SUMMARY"])) for e in calendar.walk("VEVENT")
    }


def test_a_reporter_sees_the_units_period_dues_and_milestones_as_all_day_events(
    people, periods
) -> None:
    milestone(people, "市科技局", "完成算力平台一期", date(2023, 11, 30))
    milestone(people, "市发改委", "发改委的节点", date(2023, 10, 31))
    _, token = feed_create(user=people["kjj_reporter"])

    status, content_type, calendar = fetch(token)

    assert status == 200
    assert calendar is not None
    assert content_type == "text/calendar; charset=utf-8"
    found = events(calendar)
    q4 = ReportingPeriod.objects.get(code="2023Q4")
    assert found[f"period-{q4.pk}-due@ducha.hefei-ai-zone"] == (
        q4.due_date,
        "2023年第四季度进展报送截止",
    )
    q3 = ReportingPeriod.objects.get(code="2023Q3")
    assert f"period-{q3.pk}-due@ducha.hefei-ai-zone" not in found  # closed
    due_periods = [p for p in periods if p.code != "2023Q3"]
    assert len([u for u in found if u.startswith("period-")]) == len(due_periods)
    summaries = [summary for _, summary in found.values()]
    assert "年度节点截止：完成算力平台一期" in summaries
    assert "年度节点截止：发改委的节点" not in summaries  # another unit's
    event = next(e for e in calendar.walk("VEVENT") if "算力平台" in str(e["SUMMARY"]))
    assert event.decoded("DTSTART") == date(2023, 11, 30)
    assert event.decoded("DTEND") == date(2023, 12, 1)  # all day
    mine = Milestone.objects.get(unit__name="市科技局")
    assert str(event["URL"]).endswith(f"/milestones/{mine.pk}/")


def test_a_confirmed_milestone_leaves_the_feed(people, periods) -> None:
    done = milestone(people, "市科技局", "已确认的节点", date(2023, 6, 30))
    milestones.milestone_mark_done(actor=people["kjj_reporter"], milestone=done, note="已完成。")
    milestones.milestone_confirm(actor=people["office"], milestone=done)
    _, token = feed_create(user=people["kjj_reporter"])
    summaries = [s for _, s in events(fetch(token)[2]).values()]
    assert "年度节点截止：已确认的节点" not in summaries


@override_settings(SUPERVISION_TODAY="2023-12-20")
def test_uids_are_stable_and_dtstamp_comes_from_the_clock(people, periods) -> None:
    milestone(people, "市科技局", "节点", date(2023, 11, 30))
    _, token = feed_create(user=people["kjj_reporter"])
    first, second = fetch(token)[2], fetch(token)[2]
    assert events(first).keys() == events(second).keys()
    assert first is not None
    stamps = {e.decoded("DTSTAMP").date() for e in first.walk("VEVENT")}
    assert stamps <= {date(2023, 12, 20), date(2023, 12, 19), date(2023, 12, 21)}  # UTC of today


def test_the_office_and_leaders_get_the_plans_period_dues_only(people, periods) -> None:
    milestone(people, "市科技局", "节点", date(2023, 11, 30))
    for role in ("office", "leader"):
        _, token = feed_create(user=people[role])
        found = events(fetch(token)[2])
        assert found, role
        assert all(uid.startswith("period-") for uid in found), role
        assert len(found) == len([p for p in periods if p.code != "2023Q3"])


def test_a_token_of_another_person_gives_that_persons_events_only(people, periods) -> None:
    milestone(people, "市科技局", "科技局的节点", date(2023, 11, 30))
    milestone(people, "市发改委", "发改委的节点", date(2023, 10, 31))
    feed_create(user=people["kjj_reporter"])
    _, fgw_token = feed_create(user=people["fgw_reporter"])
    summaries = [s for _, s in events(fetch(fgw_token)[2]).values()]
    assert "年度节点截止：发改委的节点" in summaries
    assert "年度节点截止：科技局的节点" not in summaries


def test_a_revoked_or_replaced_or_unknown_token_is_404(people, periods) -> None:
    user = people["kjj_reporter"]
    _, old = feed_create(user=user)
    _, new = feed_create(user=user)  # a new URL: the old one stops working
    assert fetch(old)[0] == 404
    assert fetch(new)[0] == 200
    assert feed_revoke(user=user) == 1
    assert fetch(new)[0] == 404
    assert fetch("not-a-token")[0] == 404
    assert CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).count() == 0


def test_an_inactive_persons_feed_is_404(people, periods) -> None:
    user = people["kjj_reporter"]
    _, token = feed_create(user=user)
    user.is_active = False
    user.save()
    assert fetch(token)[0] == 404


def test_the_token_is_stored_only_as_its_digest(people) -> None:
    feed, token = feed_create(user=people["kjj_reporter"])
    assert len(token) >= 40
    assert token not in feed.token_hash
    assert not CalendarFeed.objects.filter(token_hash=token).exists()


def test_the_feed_takes_a_fixed_number_of_queries(people, periods) -> None:
    _, token = feed_create(user=people["kjj_reporter"])
    milestone(people, "市科技局", "节点 1", date(2023, 11, 30))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert fetch(token)[0] == 200
        return len(queries)

    few = count()
    for n in range(2, 8):
        milestone(people, "市科技局", f"节点 {n}", date(2023, 11, 30) + timedelta(days=n))
        order(people, f"第 {n} 份督办单")
    assert count() == few == 4  # the person, the periods, the milestones, the 督办单


def order(people: dict[str, User], facts: str) -> SupervisionOrder:
    """A 督办单 the office issues to 市科技局 on task 1, reply in 5 working days."""
    return supervision.order_issue(
        actor=people["office"],
        task=Task.objects.get(seq=1),
        unit=Unit.objects.get(name="市科技局"),
        facts=facts,
        reply_workdays=5,
    )


def test_the_open_supervision_orders_deadlines_are_on_the_feeds_of_those_they_concern(
    people,
) -> None:
    issued = order(people, "任务 1 进展滞后，请说明原因并提出整改措施。")
    closed = supervision.order_close(actor=people["office"], order=order(people, "已办结的"))

    mine = supervision_deadlines(people["kjj_reporter"])
    assert [(e.uid, e.day) for e in mine] == [(f"supervision-{issued.pk}-due", issued.due_date)]
    assert mine[0].summary == f"督办单反馈截止：{issued.number}"
    assert mine[0].link == f"/supervision/{issued.pk}/"
    assert [e.uid for e in supervision_deadlines(people["leader"])] == [mine[0].uid]
    assert supervision_deadlines(people["fgw_reporter"]) == []  # another unit's
    assert closed.state == "closed"  # an order closed is off every feed


# --- the page 日历订阅 --------------------------------------------------------------------------


def test_the_page_makes_shows_once_and_revokes_the_url(people, periods) -> None:
    client = Client()
    client.force_login(people["kjj_reporter"])
    page = client.get("/calendar/").content.decode()
    assert "生成订阅地址" in page
    assert 'href="/calendar/"' in page  # reachable from the user menu

    made = client.post("/calendar/", {"action": "create"}).content.decode()
    url = made.split('id="feed-url" value="', 1)[1].split('"', 1)[0]
    assert url.startswith("http://testserver/calendar/") and url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    assert fetch(token)[0] == 200
    assert token not in client.get("/calendar/").content.decode()  # shown once
    assert "已启用" in client.get("/calendar/").content.decode()

    client.post("/calendar/", {"action": "revoke"})
    assert fetch(token)[0] == 404
    assert "未启用" in client.get("/calendar/").content.decode()


def test_the_page_needs_a_login() -> None:
    response = Client().get("/calendar/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
