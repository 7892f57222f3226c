"""Redis down (issue 11, "Faults, and nothing lost"): the cache answers misses and the work goes
on from the database; what had to be sent waits and goes out, once, when Redis is back."""

import logging
import shutil
import subprocess
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from hefei_ai_zone.cache import RETRY_SECONDS, RedisCache
from reports.documents.models import BuildState, DocumentBuild
from reports.documents.services import build_request
from reports.jobs import documents_pick_up
from tasks.models import Plan, ProgressReport, ReportingPeriod
from tasks.reporting.services import periods_ensure
from tests.documents.conftest import make_order
from tests.notifications.processes import RedisServer, kill, start_worker, wait_for
from tests.notifications.servers import free_port, smtp_server
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.jobs import deliver_pending
from units.models import Role
from units.notifications.models import Delivery, DeliveryState, Notice


def test_sessions_are_kept_in_the_database_not_in_redis() -> None:
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AXES_HANDLER == "units.lockout.WindowedLockoutHandler"  # lockout: database


def test_an_unreachable_redis_answers_misses_and_is_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    dead = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    with caplog.at_level(logging.WARNING, logger="hefei_ai_zone.cache"):
        started = time.monotonic()
        for _ in range(50):
            assert dead.get("k", "default") == "default"
            dead.set("k", 1)
            assert dead.add("k", 1) is False
            assert dead.get_many(["a", "b"]) == {}
            assert dead.delete("k") is False
            dead.set_many({"a": 1})
            dead.delete_many(["a"])
            assert dead.has_key("k") is False
            with pytest.raises(ValueError, match="not found"):
                dead.incr("k")  # as Django's for a missing key (DRF throttles never incr)
        elapsed = time.monotonic() - started
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "Redis 缓存无法连接" in warnings[0].getMessage()
    assert elapsed < 2  # not asked again for RETRY_SECONDS: no wait per call


def test_a_key_whose_write_failed_is_deleted_when_redis_answers_again() -> None:
    """A network cut, not a restart: Redis keeps the old value of a key this process failed to
    replace (a dashboard cache version); it is deleted before the next read."""
    redis = RedisServer(free_port())
    redis.start()
    try:
        backend = RedisCache(redis.url, {"OPTIONS": {"socket_timeout": 0.3}})
        backend.set("dashboard:version", "old", None)
        # Redis stops answering for 1.5 s (its data kept): the replacement times out.
        subprocess.run(
            [
                shutil.which("redis-cli") or "/usr/bin/redis-cli",
                "-p",
                str(redis.port),
                "client",
                "pause",
                "1500",
                "ALL",
            ],
            check=True,
        )
        backend.set("dashboard:version", "new", None)
        assert backend.get("dashboard:version") is None  # a miss while it is down
        assert backend.get("dashboard:version") is None
        time.sleep(RETRY_SECONDS + 0.2)
        assert backend.get("dashboard:version") is None  # the stale "old" is gone
        backend.set("dashboard:version", "newer", None)
        assert backend.get("dashboard:version") == "newer"
    finally:
        redis.stop()


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_reporters_save_and_submit_and_what_waited_goes_out_once(
    committed_plan: None, own_redis: RedisServer, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    ReportingPeriod.objects.filter(code="2021Q3").update(state="open")
    people = {
        "kjj_reporter": make_user("kjj_reporter", Role.REPORTER, "市科技局"),
        "kjj_approver": make_user("kjj_approver", Role.APPROVER, "市科技局"),
        "office": make_user("office", Role.OFFICE, "市科技局"),
    }
    approver = people["kjj_approver"]
    approver.email = "kjj_approver@demo.hefei.local"
    approver.save()
    order = make_order(people)
    reporter, office = Client(), Client()
    reporter.force_login(people["kjj_reporter"])
    office.force_login(people["office"])
    assignment = assignment_of(1, "市科技局")

    assert office.get(reverse("dashboard:dashboard")).status_code == 200  # cached, Redis up
    assert cache.get_many(["dashboard:version"])  # the dashboard's cache is in this Redis

    with smtp_server() as mailbox:
        worker = start_worker(
            mailbox.port, REDIS_URL=own_redis.url, DATA_DIR=str(tmp_path / "data")
        )
        try:
            own_redis.stop()
            # The reporter starts the report on its page, saves it and submits it by the API.
            start = reverse("reporting:report-start", args=["2021Q3", assignment.pk])
            response = reporter.post(start)
            assert response.status_code == 302, response.content.decode()[:500]
            report = ProgressReport.objects.get(assignment=assignment)
            response = reporter.patch(
                f"/api/progress-reports/{report.pk}/",
                {
                    "status": "on_track",
                    "percent": 40,
                    "narrative": "已完成模型框架设计。",
                    "version": report.version,
                },
                content_type="application/json",
            )
            assert response.status_code == 200, response.content.decode()
            response = reporter.post(f"/api/progress-reports/{report.pk}/submit/")
            assert response.status_code == 200, response.content.decode()
            report.refresh_from_db()
            assert report.state == "submitted" and report.percent == 40
            # The dashboard (page and API) is computed from the database, nothing from Redis.
            page = office.get(reverse("dashboard:dashboard"))
            assert page.status_code == 200
            data = office.get("/api/dashboard/").json()
            assert data, data
            # The notice and a document build requested now wait in the database.
            notice = Notice.objects.get(rule="report_submitted")
            delivery = Delivery.objects.get(notice=notice, channel="email")
            assert delivery.state == DeliveryState.PENDING
            build = build_request(
                user=people["office"],
                kind="supervision_order",
                params={"order": str(order.pk)},
                fmt="docx",
            )
            assert DocumentBuild.objects.get(pk=build.pk).state == BuildState.QUEUED

            own_redis.start()  # on the same port: the worker reconnects
            # The pick-up graces have passed (beat runs both jobs every few minutes).
            Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
            with time_machine.travel(
                timezone.now() + timedelta(seconds=settings.DOCUMENT_PICKUP_GRACE + 5)
            ):
                assert documents_pick_up() == 1  # run by beat; enqueues the build
            deliver_pending.apply_async()
            assert wait_for(
                lambda: Delivery.objects.get(pk=delivery.pk).state == DeliveryState.SENT, 90
            ), kill(worker)
            assert wait_for(
                lambda: DocumentBuild.objects.get(pk=build.pk).state == BuildState.DONE, 90
            ), kill(worker)
            wait_for(lambda: False, 1)  # a second mail or build, were there one, comes by now
        finally:
            output = kill(worker)
    # Each e-mail delivery (the report's notice, and the 督办单's made before Redis stopped)
    # sent once: as many mails as deliveries, the report's in one attempt.
    sent = Delivery.objects.filter(channel="email", state=DeliveryState.SENT)
    assert len(mailbox.messages) == sent.count() == Delivery.objects.filter(channel="email").count()
    assert Delivery.objects.get(pk=delivery.pk).attempts == 1, output
    assert Notice.objects.filter(rule="report_submitted").count() == 1
    done = DocumentBuild.objects.get(pk=build.pk)
    assert done.attempts == 1 and DocumentBuild.objects.count() == 1, output
    assert [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()] == [
        settings.MEDIA_ROOT / done.file.name
    ]

    # Redis back: the cache is asked again at the latest RETRY_SECONDS after a failed call (the
    # first call after the restart may meet a connection the server closed), and the dashboard
    # is cached again.
    def dashboard_cached() -> bool:
        assert office.get(reverse("dashboard:dashboard")).status_code == 200
        return bool(cache.get_many(["dashboard:version"]))

    assert wait_for(dashboard_cached, RETRY_SECONDS + 10)


@pytest.mark.django_db
def test_with_redis_unreachable_throttling_fails_open_and_the_lockout_holds(
    settings: Any,
) -> None:
    """The throttles count in the cache: while Redis is down nobody is throttled. The lockout
    counts in the database: five wrong passwords still lock the account."""
    settings.CACHES = {
        "default": {
            "BACKEND": "hefei_ai_zone.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "1000/minute", "auth_token": "2/minute"},
    }
    make_user("down_person")
    client = APIClient(REMOTE_ADDR="10.11.12.13")
    for _ in range(4):  # over the rate of 2 a minute: not refused
        answer = client.post(
            "/api/auth/token/", {"username": "down_person", "password": "pw-for-tests-1"}
        )
        assert answer.status_code == 200, answer.content.decode()
    for _ in range(5):
        client.post("/api/auth/token/", {"username": "down_person", "password": "wrong"})
    locked = client.post(
        "/api/auth/token/", {"username": "down_person", "password": "pw-for-tests-1"}
    )
    assert locked.status_code == 429 and "locked_until" in locked.json()["extra"]
