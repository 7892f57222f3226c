"""Delivering: mail to a real SMTP server, messages to real HTTP group robots in the WeCom and
DingTalk formats (DingTalk signed), retries with the reason, at most once per channel."""

import threading
from datetime import timedelta

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from tests.units.factories import make_user
from units.jobs import deliver, deliver_pending
from units.models import Role, Unit, User
from units.notifications.channels import dingtalk_sign
from units.notifications.models import Delivery, DeliveryState, Webhook
from units.notifications.services import (
    Outcome,
    delivery_attempt,
    delivery_claim,
    delivery_resend,
    notify,
)

pytestmark = pytest.mark.django_db


def reporter(name: str = "d_kjj") -> User:
    user = make_user(name, Role.REPORTER, "市科技局")
    user.email = f"{name}@demo.hefei.local"
    user.first_name = "科技局填报员"
    user.save()
    return user


def robot_hook(url: str, kind: str = "wecom", secret: str = "") -> Webhook:
    return Webhook.objects.create(
        unit=Unit.objects.get(name="市科技局"), kind=kind, name="科技局群", url=url, secret=secret
    )


def run_like_a_worker(delivery_id: int) -> str:
    """The job and each retry it asks for (Celery would run the retry after its countdown)."""
    for _ in range(20):
        try:
            return str(deliver.apply(args=[delivery_id]).get())
        except Retry:
            continue
    raise AssertionError("retried for ever")


def send(recipients: list, capture, **kwargs: object) -> dict[str, Delivery]:
    with capture(execute=False):
        notify(
            rule="returned",
            key="report:7:returned:1",
            recipients=recipients,
            title="市科技局 2023Q4 报告被退回",
            body="请补充佐证材料。",
            link="/reports/7/",
            **kwargs,  # type: ignore[arg-type]
        )
    return {d.channel: d for d in Delivery.objects.all()}


@override_settings(SITE_URL="https://ducha.example.gov.cn")
def test_a_mail_reaches_the_smtp_server_in_chinese_with_a_direct_link(
    mailbox, django_capture_on_commit_callbacks
) -> None:
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    assert deliver.apply(args=[deliveries["email"].pk]).get() == "sent"
    [message] = mailbox.messages
    assert message["To"] == "d_kjj@demo.hefei.local"
    assert message["Subject"].strip() == "【督查平台】市科技局 2023Q4 报告被退回"
    text = message.get_content()
    assert "科技局填报员，您好" in text and "请补充佐证材料。" in text
    assert "https://ducha.example.gov.cn/reports/7/" in text
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.SENT and delivery.sent_at and delivery.attempts == 1


def test_wecom_robot_gets_its_markdown_json(robot, django_capture_on_commit_callbacks) -> None:
    hook = robot_hook(robot.url("/cgi-bin/webhook/send?key=abc"))
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["wecom"])
    assert deliver.apply(args=[deliveries["wecom"].pk]).get() == "sent"
    [request] = robot.received
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": "abc"}
    assert request["content_type"] == "application/json; charset=utf-8"
    assert request["json"]["msgtype"] == "markdown"
    content = request["json"]["markdown"]["content"]
    assert content.startswith("**市科技局 2023Q4 报告被退回**")
    assert "[查看详情](http://127.0.0.1:8000/reports/7/)" in content
    assert Delivery.objects.get(webhook=hook).state == DeliveryState.SENT


def test_dingtalk_robot_in_signed_mode_accepts_the_signature(
    django_capture_on_commit_callbacks,
) -> None:
    from .servers import robot_server

    secret = "SEC0123456789abcdef"
    with robot_server(secret=secret) as robot:
        robot_hook(robot.url("/robot/send?access_token=tok"), kind="dingtalk", secret=secret)
        deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["dingtalk"])
        assert deliver.apply(args=[deliveries["dingtalk"].pk]).get() == "sent"
    [request] = robot.received
    assert request["query"]["access_token"] == "tok"
    assert request["query"]["timestamp"].isdigit() and request["query"]["sign"]
    assert request["json"]["msgtype"] == "markdown"
    assert request["json"]["markdown"]["title"] == "市科技局 2023Q4 报告被退回"


def test_dingtalk_signature_is_the_documented_one() -> None:
    # timestamp + "\n" + secret, HMAC-SHA256 keyed by the secret, base64, URL-encoded.
    assert dingtalk_sign("SECabc", 1_700_000_000_000) == (
        "jcUpW0QmtKduN03n4JqQ0PBosVjqnM8gU7fIIvsDmCM%3D"
    )


def test_a_wrong_dingtalk_secret_fails_with_the_robots_reason(
    django_capture_on_commit_callbacks,
) -> None:
    from .servers import robot_server

    with robot_server(secret="SECright") as robot:
        robot_hook(robot.url("/robot/send?access_token=t"), kind="dingtalk", secret="SECwrong")
        deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["dingtalk"])
        attempt = delivery_attempt(delivery_id=deliveries["dingtalk"].pk, may_retry=False)
    assert attempt.outcome == Outcome.FAILED
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert "errcode 310000" in delivery.last_error and "sign not match" in delivery.last_error


@override_settings(NOTICE_MAX_ATTEMPTS=3, NOTICE_RETRY_BACKOFF=1, NOTICE_RETRY_BACKOFF_MAX=2)
def test_a_failing_robot_is_retried_then_failed_with_the_reason_while_the_mail_goes(
    mailbox, django_capture_on_commit_callbacks
) -> None:
    from .servers import robot_server

    with robot_server(mode="error") as robot:
        robot_hook(robot.url("/cgi-bin/webhook/send?key=k"))
        deliveries = send([reporter()], django_capture_on_commit_callbacks)
        with pytest.raises(Retry):  # the job asks Celery to run it again later
            deliver.apply(args=[deliveries["wecom"].pk]).get()
        assert run_like_a_worker(deliveries["wecom"].pk) == "failed"
        assert deliver.apply(args=[deliveries["email"].pk]).get() == "sent"
    assert len(robot.received) == 3  # NOTICE_MAX_ATTEMPTS
    wecom = Delivery.objects.get(channel="wecom")
    assert wecom.state == DeliveryState.FAILED and wecom.attempts == 3
    assert (
        wecom.last_error == "第 3 次尝试失败：群机器人拒绝：errcode 310000，keywords not in content"
    )
    assert Delivery.objects.get(channel="email").state == DeliveryState.SENT
    assert len(mailbox.messages) == 1


def test_a_retry_waits_in_the_database_with_its_reason(django_capture_on_commit_callbacks) -> None:
    robot_hook("http://127.0.0.1:9/unreachable")  # the discard port: connection refused
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["wecom"])
    attempt = delivery_attempt(delivery_id=deliveries["wecom"].pk)
    assert attempt.outcome == Outcome.RETRY and 0 < attempt.retry_in <= 900
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING and delivery.attempts == 1
    assert delivery.last_error.startswith("第 1 次尝试失败：无法连接群机器人")
    assert delivery.next_attempt_at
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=attempt.retry_in)


def test_no_retry_waits_longer_than_the_visibility_timeout(settings) -> None:
    from units.notifications.services import retry_delay

    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert max(retry_delay(n) for n in range(1, 30)) <= settings.NOTICE_RETRY_BACKOFF_MAX
    assert visibility > settings.NOTICE_RETRY_BACKOFF_MAX + settings.NOTICE_PICKUP_GRACE
    assert settings.NOTICE_SENDING_LEASE > settings.NOTICE_JOB_TIME_LIMIT
    assert deliver.soft_time_limit == settings.NOTICE_JOB_SOFT_TIME_LIMIT
    assert deliver.acks_late is True


def test_deliver_twice_sends_once(mailbox, django_capture_on_commit_callbacks) -> None:
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    pk = deliveries["email"].pk
    assert deliver.apply(args=[pk]).get() == "sent"
    assert deliver.apply(args=[pk]).get() == "skipped"  # a redelivered message (acks_late)
    assert len(mailbox.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_on_one_delivery_send_it_once(committed_plan) -> None:
    from .servers import robot_server

    with robot_server(delay=0.5) as robot:
        robot_hook(robot.url("/cgi-bin/webhook/send?key=k"))
        notify(rule="r", key="k", recipients=[reporter()], title="t", channels=["wecom"])
        pk = Delivery.objects.get().pk
        outcomes: list[str] = []
        barrier = threading.Barrier(2)

        def worker() -> None:
            try:
                barrier.wait(timeout=10)
                outcomes.append(delivery_attempt(delivery_id=pk).outcome)
            finally:
                connection.close()

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(outcomes) == ["sent", "skipped"]
    assert len(robot.received) == 1


def test_broker_down_the_notice_is_written_and_sent_later(
    broker_down, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        notify(rule="r", key="k", recipients=[reporter()], title="报告被退回", channels=["email"])
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.PENDING  # waits in the database
    assert mail.outbox == []


def test_deliver_pending_sends_what_waited_once_redis_is_back(
    eager, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue was lost
        notify(rule="r", key="k", recipients=[reporter()], title="报告被退回", channels=["email"])
    assert deliver_pending.apply().get() == 0  # within the grace: the job after commit comes first
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert deliver_pending.apply().get() == 1
        assert deliver_pending.apply().get() == 0  # put off again: not enqueued twice
    assert Delivery.objects.get().state == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_the_office_resends_a_failed_delivery(
    robot, people, django_capture_on_commit_callbacks
) -> None:
    robot.mode = "error"
    robot_hook(robot.url("/cgi-bin/webhook/send?key=k"))
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["wecom"])
    delivery_attempt(delivery_id=deliveries["wecom"].pk, may_retry=False)
    robot.mode = "ok"
    with django_capture_on_commit_callbacks() as callbacks:
        delivery_resend(user=people["office"], delivery_id=deliveries["wecom"].pk)
    assert len(callbacks) == 1
    assert delivery_attempt(delivery_id=deliveries["wecom"].pk).outcome == Outcome.SENT
    assert len(robot.received) == 2


# --- at most once: every point a worker can die at, and the one window --------------------------


def test_died_before_its_claim_the_redelivered_job_sends_once(
    mailbox, django_capture_on_commit_callbacks
) -> None:
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    # The first worker took the message and died before claiming: nothing was written; Redis
    # redelivers the message (acks_late) and deliver_pending would enqueue it again too.
    assert deliver.apply(args=[deliveries["email"].pk]).get() == "sent"
    assert deliver.apply(args=[deliveries["email"].pk]).get() == "skipped"
    assert len(mailbox.messages) == 1


def test_died_after_recording_the_redelivered_job_does_nothing(
    mailbox, django_capture_on_commit_callbacks
) -> None:
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    delivery_attempt(delivery_id=deliveries["email"].pk)  # sent and recorded, not acknowledged
    assert deliver.apply(args=[deliveries["email"].pk]).get() == "skipped"
    assert len(mailbox.messages) == 1


def test_the_one_window_died_between_claim_and_record_is_never_sent_again(
    mailbox, eager, django_capture_on_commit_callbacks
) -> None:
    """The server accepted the mail and the worker died before recording it: the row stays
    sending; after the lease it is failed as unknown, and nothing sends it again by itself."""
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    claimed = delivery_claim(delivery_id=deliveries["email"].pk)
    assert claimed is not None
    from units.notifications.channels import send_email
    from units.notifications.services import delivery_mark_transmitting

    def mark() -> None:
        delivery_mark_transmitting(delivery=claimed)

    send_email(claimed.notice, claimed.target, before_data=mark)  # accepted; no record follows
    assert deliver.apply(args=[claimed.pk]).get() == "skipped"  # redelivered: not pending
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):  # past the lease
        assert deliver_pending.apply().get() == 0
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith("结果未知，未自动重发")
    assert len(mailbox.messages) == 1


def test_the_one_window_the_answer_lost_is_failed_as_unknown_not_retried(
    django_capture_on_commit_callbacks,
) -> None:
    """The robot took the request and the connection broke before its answer: maybe posted."""
    from .servers import robot_server

    with robot_server(mode="hang-up") as robot:
        robot_hook(robot.url("/cgi-bin/webhook/send?key=k"))
        deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["wecom"])
        assert deliver.apply(args=[deliveries["wecom"].pk]).get() == "failed"
    assert len(robot.received) == 1
    delivery = Delivery.objects.get()
    assert delivery.attempts == 1
    assert delivery.last_error.startswith(
        "结果未知，未自动重发：请求已发出，但未收到群机器人的答复"
    )


def test_a_worker_within_its_lease_keeps_its_delivery(
    eager, django_capture_on_commit_callbacks
) -> None:
    deliveries = send([reporter()], django_capture_on_commit_callbacks, channels=["email"])
    delivery_claim(delivery_id=deliveries["email"].pk)
    with time_machine.travel(timezone.now() + timedelta(minutes=4)):
        deliver_pending.apply().get()
    assert Delivery.objects.get().state == DeliveryState.SENDING
