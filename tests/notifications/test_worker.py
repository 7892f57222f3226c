"""One integration test with a real Celery worker process (solo pool) and Redis: notify commits,
the job is enqueued after the commit, the worker delivers the mail to a real SMTP server."""

import pytest

from hefei_ai_zone.celery import app as celery_app
from tests.units.factories import make_user
from units.models import Role
from units.notifications.models import Delivery, DeliveryState
from units.notifications.services import notify

from .processes import start_worker, stop, wait_for
from .servers import smtp_server


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_mail_after_the_commit(committed_plan) -> None:
    user = make_user("w_kjj", Role.REPORTER, "市科技局")
    user.email = "w_kjj@demo.hefei.local"
    user.save()
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    with smtp_server() as mailbox:
        worker = start_worker(mailbox.port, SITE_URL="https://ducha.example.gov.cn")
        try:
            notify(
                rule="returned",
                key="report:9:returned:1",
                recipients=[user],
                title="报告被退回",
                link="/reports/9/",
                channels=["email"],
            )  # autocommit: the job is enqueued at once
            wait_for(lambda: bool(mailbox.messages))
            wait_for(lambda: Delivery.objects.get().state == DeliveryState.SENT, seconds=10)
        finally:
            output = stop(worker)
    assert len(mailbox.messages) == 1, output
    message = mailbox.messages[0]
    assert message["To"] == "w_kjj@demo.hefei.local"
    assert "https://ducha.example.gov.cn/reports/9/" in message.get_content()
    assert Delivery.objects.get().state == DeliveryState.SENT
