"""The bell on every page, 我的通知, the office's delivery log and /api/notifications/."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask
from rest_framework.test import APIClient

from units.notifications.models import Delivery, DeliveryState, Notice
from units.notifications.services import notify

pytestmark = pytest.mark.django_db


def notices_for(user, n: int, capture) -> None:
    with capture(execute=False):
        for i in range(n):
            notify(
                rule="due-3",
                key=f"report:{i}",
                recipients=[user],
                title=f"第 {i} 份报告三天后截止",
                link=f"/reports/{i}/",
            )


def bell_queries(client) -> int:
    """Queries of the bell on a page that has nothing else to do with notices."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/plan/")
    assert response.status_code == 200
    return sum("units_notice" in q["sql"] for q in queries)


def test_the_bell_shows_the_unread_count_in_one_query_whatever_their_number(
    client, people, django_capture_on_commit_callbacks
) -> None:
    user = people["kjj_reporter"]
    client.force_login(user)
    assert "data-unread" not in client.get("/plan/").content.decode()
    notices_for(user, 3, django_capture_on_commit_callbacks)
    page = client.get("/plan/").content.decode()
    assert 'data-unread="3"' in page
    assert bell_queries(client) == 1
    notices_for(user, 40, django_capture_on_commit_callbacks)  # the first 3 exist already
    assert bell_queries(client) == 1
    assert 'data-unread="40"' in client.get("/plan/").content.decode()


def test_the_list_costs_the_same_queries_at_two_sizes(
    client, people, django_capture_on_commit_callbacks
) -> None:
    user = people["kjj_reporter"]
    client.force_login(user)
    notices_for(user, 2, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as small:
        client.get("/notifications/")
    notices_for(people["kjj_reporter"], 25, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as large:
        client.get("/notifications/")
    assert len(small) == len(large)


def test_clicking_a_notice_marks_it_read_and_opens_its_link(
    client, people, django_capture_on_commit_callbacks
) -> None:
    user = people["kjj_reporter"]
    client.force_login(user)
    notices_for(user, 2, django_capture_on_commit_callbacks)
    notice = Notice.objects.filter(recipient=user).first()
    assert notice is not None
    page = client.get("/notifications/").content.decode()
    assert notice.title in page and "全部标为已读" in page
    response = client.post(f"/notifications/{notice.pk}/read/", {"next": notice.link})
    assert response.status_code == 302 and response["Location"] == notice.link
    notice.refresh_from_db()
    assert notice.read_at is not None
    response = client.post("/notifications/read-all/", follow=True)
    assert "已将 1 条通知标为已读。" in response.content.decode()
    assert not Notice.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_nobody_marks_someone_elses_notice(
    client, people, django_capture_on_commit_callbacks
) -> None:
    notices_for(people["kjj_reporter"], 1, django_capture_on_commit_callbacks)
    notice = Notice.objects.get()
    client.force_login(people["fgw_reporter"])
    response = client.post(f"/notifications/{notice.pk}/read/", follow=True)
    assert "通知不存在。" in response.content.decode()
    notice.refresh_from_db()
    assert notice.read_at is None


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("kjj_reporter", 403),
        ("kjj_approver", 403),
        ("leader", 403),
        ("office", 200),
        ("admin", 200),
    ],
)
def test_only_the_office_sees_the_delivery_log(client, people, who: str, status: int) -> None:
    client.force_login(people[who])
    assert client.get("/notifications/deliveries/").status_code == status
    assert client.post("/notifications/deliveries/1/resend/").status_code in (status, 302)


def test_the_delivery_log_filters_shows_reasons_and_resends(
    client, people, broker_down, django_capture_on_commit_callbacks
) -> None:
    user = people["kjj_reporter"]
    user.email = "kjj@demo.hefei.local"
    user.save()
    notices_for(user, 2, django_capture_on_commit_callbacks)
    failed = Delivery.objects.order_by("id").first()
    assert failed is not None
    Delivery.objects.filter(pk=failed.pk).update(
        state=DeliveryState.FAILED, attempts=5, last_error="第 5 次尝试失败：发信服务器拒收"
    )
    client.force_login(people["office"])
    page = client.get("/notifications/deliveries/?state=failed&channel=email").content.decode()
    assert "第 5 次尝试失败：发信服务器拒收" in page
    assert page.count('data-state="failed"') == 1 and 'data-state="pending"' not in page
    with CaptureQueriesContext(connection) as queries:
        client.get("/notifications/deliveries/")
    count = len(queries)
    notices_for(user, 20, django_capture_on_commit_callbacks)
    with CaptureQueriesContext(connection) as queries:
        client.get("/notifications/deliveries/")
    assert len(queries) == count
    # Resend with Redis down: the page answers, the delivery waits as pending.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/notifications/deliveries/{failed.pk}/resend/", follow=True)
    assert response.status_code == 200 and "已重新加入发送队列。" in response.content.decode()
    failed.refresh_from_db()
    assert failed.state == DeliveryState.PENDING and failed.attempts == 0
    response = client.post(f"/notifications/deliveries/{failed.pk}/resend/", follow=True)
    assert "只能重发失败的投递；这条投递待发送。" in response.content.decode()


def test_api_lists_marks_one_and_all(people, django_capture_on_commit_callbacks) -> None:
    user = people["kjj_reporter"]
    notices_for(user, 3, django_capture_on_commit_callbacks)
    notices_for(people["fgw_reporter"], 1, django_capture_on_commit_callbacks)
    api = APIClient()
    api.force_authenticate(user)
    body = api.get("/api/notifications/").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert set(first) >= {"id", "title", "link", "created_at", "read_at", "is_read"}
    marked = api.post(f"/api/notifications/{first['id']}/read/").json()
    assert marked["is_read"] is True
    assert api.get("/api/notifications/?unread=true").json()["count"] == 2
    assert api.post("/api/notifications/read-all/").json() == {"marked": 2, "unread": 0}
    other = Notice.objects.get(recipient=people["fgw_reporter"])
    response = api.post(f"/api/notifications/{other.pk}/read/")
    assert response.status_code == 404 and response.json()["message"] == "未找到。"
    response = api.get("/api/notifications/?unread=maybe")
    assert response.status_code == 400 and "unread" in response.json()["extra"]["fields"]
    assert APIClient().get("/api/notifications/").status_code == 401


def test_setup_schedules_is_idempotent_in_asia_shanghai() -> None:
    out = io.StringIO()
    call_command("setup_schedules", stdout=out)
    call_command("setup_schedules", stdout=out)
    assert "已更新定时任务：通知：补发待投递" in out.getvalue()
    [task] = PeriodicTask.objects.filter(task="units.jobs.deliver_pending")
    assert task.enabled and task.crontab.minute == "*/5"
    assert str(task.crontab.timezone) == "Asia/Shanghai"
