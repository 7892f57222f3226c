"""One integration test with a real Celery worker process (solo pool) and Redis: notify commits,
the job is enqueued after the commit, the worker delivers the mail to a real SMTP server."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from hefei_ai_zone.celery import app as celery_app
from tests.units.factories import make_user
from units.models import Role
from units.notifications.models import Delivery, DeliveryState
from units.notifications.services import notify

from .servers import smtp_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_a_mail_after_the_commit(committed_plan) -> None:
    user = make_user("w_kjj", Role.REPORTER, "市科技局")
    user.email = "w_kjj@demo.hefei.local"
    user.save()
    database_url = (
        os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"]
    )
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    with smtp_server() as mailbox:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hefei_ai_zone.settings.local",
            "DATABASE_URL": database_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{mailbox.port}",
            "SUPERVISION_TODAY": "",
            "SITE_URL": "https://ducha.example.gov.cn",
        }
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "hefei_ai_zone",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-l",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            notify(
                rule="returned",
                key="report:9:returned:1",
                recipients=[user],
                title="报告被退回",
                link="/reports/9/",
                channels=["email"],
            )  # autocommit: the job is enqueued at once
            deadline = time.monotonic() + 60
            while not mailbox.messages and time.monotonic() < deadline:
                time.sleep(0.2)
            deadline = time.monotonic() + 10
            while (
                Delivery.objects.get().state != DeliveryState.SENT and time.monotonic() < deadline
            ):
                time.sleep(0.2)
        finally:
            worker.terminate()
            output = worker.communicate(timeout=30)[0].decode(errors="replace")
    assert len(mailbox.messages) == 1, output
    message = mailbox.messages[0]
    assert message["To"] == "w_kjj@demo.hefei.local"
    assert "https://ducha.example.gov.cn/reports/9/" in message.get_content()
    assert Delivery.objects.get().state == DeliveryState.SENT
