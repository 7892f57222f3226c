"""The outbox: notify writes each notice and delivery once, in the caller's transaction, whatever
runs twice or at the same time; delivery jobs are enqueued after the commit."""

import threading

import pytest
from django.db import connection, transaction

from hefei_ai_zone.errors import ApplicationError
from tests.units.factories import make_user
from units.models import Role, Unit
from units.notifications.models import Delivery, DeliveryState, Notice, Webhook
from units.notifications.services import notify

pytestmark = pytest.mark.django_db


def people() -> list:
    kjj = make_user("n_kjj", Role.REPORTER, "市科技局")
    kjj.email = "n_kjj@demo.hefei.local"
    kjj.save()
    fgw = make_user("n_fgw", Role.REPORTER, "市发改委")  # no address: no mail
    office = make_user("n_office", Role.OFFICE, "市科技局")
    office.email = "office@demo.hefei.local"
    office.save()
    return [kjj, fgw, office]


def robots() -> dict[str, Webhook]:
    kjj = Unit.objects.get(name="市科技局")
    return {
        "kjj": Webhook.objects.create(
            unit=kjj, kind="wecom", name="科技局群", url="http://127.0.0.1:9/wecom"
        ),
        "office": Webhook.objects.create(
            unit=None, kind="dingtalk", name="办公室群", url="http://127.0.0.1:9/ding", secret="S"
        ),
        "off": Webhook.objects.create(
            unit=kjj, kind="wecom", name="停用", url="http://127.0.0.1:9/x", active=False
        ),
    }


def call(recipients: list, **kwargs: object) -> list[Notice]:
    args: dict = {
        "rule": "due-3",
        "key": "report:1:period:2:step:due-3",
        "title": "2023Q4 报告三天后截止",
        "body": "请尽快填报。",
        "link": "/reports/1/",
        **kwargs,
    }
    return notify(recipients=recipients, **args)


def test_a_notice_per_recipient_a_mail_per_address_a_message_per_group(
    django_capture_on_commit_callbacks,
) -> None:
    kjj, fgw, office = people()
    hooks = robots()
    with django_capture_on_commit_callbacks() as callbacks:
        notices = call([kjj, fgw, office, kjj])
    assert sorted(n.recipient_id for n in notices) == sorted([kjj.pk, fgw.pk, office.pk])
    deliveries = set(
        Delivery.objects.values_list("notice__recipient__username", "channel", "target")
    )
    assert deliveries == {
        ("n_kjj", "email", "n_kjj@demo.hefei.local"),
        ("n_office", "email", "office@demo.hefei.local"),
        # the unit's robot once (not per reporter), the office's robot for the office
        ("n_kjj", "wecom", str(hooks["kjj"].pk)),
        ("n_office", "dingtalk", str(hooks["office"].pk)),
    }
    assert all(d.state == DeliveryState.PENDING for d in Delivery.objects.all())
    assert len(callbacks) == 1  # the jobs are enqueued after the commit, not before


def test_channels_can_be_chosen(django_capture_on_commit_callbacks) -> None:
    kjj, _fgw, office = people()
    robots()
    with django_capture_on_commit_callbacks():
        call([kjj, office], channels=["email"])
    assert set(Delivery.objects.values_list("channel", flat=True)) == {"email"}


def test_notify_twice_writes_nothing_the_second_time(django_capture_on_commit_callbacks) -> None:
    recipients = people()
    robots()
    with django_capture_on_commit_callbacks():
        call(recipients)
        call(recipients, title="另一标题")
    assert Notice.objects.count() == 3
    assert Delivery.objects.count() == 4
    assert set(Notice.objects.values_list("title", flat=True)) == {"2023Q4 报告三天后截止"}


def test_nothing_is_written_when_the_callers_transaction_rolls_back() -> None:
    recipients = people()

    def event_that_fails() -> None:
        with transaction.atomic():
            call(recipients)
            raise RuntimeError

    with pytest.raises(RuntimeError):
        event_that_fails()
    assert not Notice.objects.exists()
    assert not Delivery.objects.exists()


def test_inactive_accounts_are_not_notified(django_capture_on_commit_callbacks) -> None:
    kjj, fgw, _office = people()
    fgw.is_active = False
    fgw.save()
    with django_capture_on_commit_callbacks():
        call([kjj, fgw])
    assert list(Notice.objects.values_list("recipient__username", flat=True)) == ["n_kjj"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rule": ""}, "规则代码"),
        ({"key": "x" * 200}, "事件标识"),
        ({"title": ""}, "标题"),
        ({"link": "javascript:alert(1)"}, "链接"),
        ({"channels": ["sms"]}, "未知的通知渠道：sms"),
    ],
)
def test_bad_input_is_refused_in_chinese(kwargs: dict, message: str) -> None:
    args = {"rule": "r", "key": "k", "recipients": [], "title": "t", **kwargs}
    with pytest.raises(ApplicationError, match=message):
        notify(**args)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_notify_calls_write_each_notice_and_delivery_once(committed_plan) -> None:
    """Two sweeps at the same moment (two connections, two transactions): ON CONFLICT DO
    NOTHING waits for the other's insert and skips it."""
    recipients = people()
    robots()
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def sweep() -> None:
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                call(recipients)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert Notice.objects.count() == 3
    assert Delivery.objects.count() == 4


def test_addresses_without_an_account_get_one_mail_each_once(
    django_capture_on_commit_callbacks,
) -> None:
    kjj, fgw, _office = people()
    addresses = [
        "lly@hefei.gov.cn",
        "LLY@hefei.gov.cn ",
        "n_kjj@demo.hefei.local",
        "b@hefei.gov.cn",
    ]
    with django_capture_on_commit_callbacks():
        call([fgw, kjj], addresses=addresses, channels=["email"])
    mails = set(Delivery.objects.values_list("notice__recipient__username", "target"))
    # on the notice of the first recipient; an address already mailed as a recipient is not twice
    assert mails == {
        ("n_kjj", "n_kjj@demo.hefei.local"),
        ("n_kjj", "lly@hefei.gov.cn"),
        ("n_kjj", "b@hefei.gov.cn"),
    }
    with django_capture_on_commit_callbacks():
        call([fgw, kjj], addresses=addresses, channels=["email"])
    assert Delivery.objects.count() == 3
    # no recipient, no mail; no email channel, no mail
    assert notify(rule="x", key="k", recipients=[], title="t", addresses=["a@b.cn"]) == []
    with django_capture_on_commit_callbacks():
        call([kjj], key="other", addresses=["c@hefei.gov.cn"], channels=["wecom"])
    assert not Delivery.objects.filter(target="c@hefei.gov.cn").exists()
