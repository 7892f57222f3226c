"""Build requests and runs as the office relies on them: a second request while one runs joins
it; a build records its progress while it runs and keeps its file when done; a failure says why;
a build a dead worker left running is run again after its lease, a bounded number of times."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from hefei_ai_zone.celery import app as celery_app
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from reports.documents.models import BuildState, DocumentBuild
from reports.documents.registry import Builder, BuiltFile, register
from reports.documents.services import (
    TOO_MANY_ATTEMPTS,
    build_claim,
    build_request,
    build_run,
    builds_pick_up,
)
from tasks.models import SupervisionOrder

from .conftest import make_order

pytestmark = pytest.mark.django_db


def request(people, order, user="office", fmt="pdf") -> DocumentBuild:
    return build_request(
        user=people[user], kind="supervision_order", params={"order": str(order.pk)}, fmt=fmt
    )


def test_a_second_request_while_one_runs_joins_it(people, order) -> None:
    first = request(people, order)
    assert first.state == BuildState.QUEUED and first.title == "督办〔2023〕1号（市科技局）"
    assert request(people, order, user="leader").pk == first.pk
    assert request(people, order, user="kjj_reporter").pk == first.pk
    assert DocumentBuild.objects.count() == 1
    assert request(people, order, fmt="docx").pk != first.pk  # another document: its own build
    build_claim(build_id=first.pk)
    assert request(people, order).pk == first.pk  # running: still joined
    assert build_run(build_id=first.pk) == "busy"  # a second job for it leaves it alone


def test_a_request_after_the_build_is_done_starts_a_new_one(people, order, media) -> None:
    first = request(people, order)
    assert build_run(build_id=first.pk) == "done"
    second = request(people, order)
    assert second.pk != first.pk and second.state == BuildState.QUEUED


def test_the_database_allows_one_active_build_per_document(people, order) -> None:
    first = request(people, order)
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentBuild.objects.create(kind=first.kind, fmt=first.fmt, key=first.key)
    first.state = BuildState.DONE
    first.save()
    DocumentBuild.objects.create(kind=first.kind, fmt=first.fmt, key=first.key)  # allowed now


def test_a_build_runs_to_a_kept_file(people, order, media) -> None:
    build = request(people, order)
    assert build_run(build_id=build.pk) == "done"
    build.refresh_from_db()
    assert build.state == BuildState.DONE and build.progress == 100 and build.attempts == 1
    assert build.filename == "督办〔2023〕1号督办单（市科技局）.pdf"
    assert build.content_type == "application/pdf"
    assert build.started_at is not None and build.finished_at is not None
    assert build.started_at <= build.finished_at
    name = build.file.name or ""
    path = media / name
    assert name.startswith(f"documents/{timezone.localtime(build.finished_at):%Y/%m}/")
    assert path.read_bytes()[:4] == b"%PDF" and build.size == path.stat().st_size
    assert build_run(build_id=build.pk) == "done"  # a redelivered message changes nothing
    assert len(list(media.rglob("*.pdf"))) == 1


def test_bad_requests_are_refused_in_chinese_and_write_nothing(people, order) -> None:
    office = people["office"]
    cases = [
        ("bulletin-none", {"order": str(order.pk)}, "pdf", "没有这种文件。"),
        ("supervision_order", {"order": str(order.pk)}, "xlsx", "督办单只能生成 PDF、Word 格式。"),
        ("supervision_order", {"order": "x"}, "pdf", "督办单编号无效。"),
        ("supervision_order", {"order": "１"}, "pdf", "督办单编号无效。"),
        ("supervision_order", {"order": "999999"}, "pdf", "没有这份督办单。"),
        ("report", {"report": "999999"}, "pdf", "没有这份进展报告。"),
    ]
    for kind, params, fmt, message in cases:
        with pytest.raises(ApplicationError) as error:
            build_request(user=office, kind=kind, params=params, fmt=fmt)
        assert error.value.message == message
    with pytest.raises(NotPermittedError, match="您无权生成这份督办单。"):
        request(people, order, user="other_reporter")
    assert not DocumentBuild.objects.exists()


def test_progress_is_recorded_while_the_builder_works(people, media) -> None:
    seen: list[tuple[int, str, str]] = []

    def build(params, fmt, progress) -> BuiltFile:
        for percent, stage in ((20, "汇总数据"), (150, "排版")):
            progress(percent, stage)
            row = DocumentBuild.objects.get(kind="test_progress")
            seen.append((row.progress, row.stage, row.state))
        return BuiltFile("测试.pdf", b"%PDF-1.7 test", "application/pdf")

    register(make_builder("test_progress", build))
    build_ = build_request(user=people["office"], kind="test_progress", params={}, fmt="pdf")
    assert build_run(build_id=build_.pk) == "done"
    assert seen == [(20, "汇总数据", "running"), (100, "排版", "running")]


def test_a_failure_says_why(people, order, media) -> None:
    build = request(people, order)
    SupervisionOrder.objects.filter(pk=order.pk).delete()
    assert build_run(build_id=build.pk) == "failed"
    build.refresh_from_db()
    assert build.state == BuildState.FAILED
    assert build.error == "这份督办单已不存在。"  # an ApplicationError's message, as is
    assert not build.file and build.finished_at is not None


def test_an_unexpected_error_fails_with_a_general_reason_and_logs_it(people, caplog) -> None:
    def build(params, fmt, progress) -> BuiltFile:
        raise ZeroDivisionError("boom")

    register(make_builder("test_broken", build))
    build_ = build_request(user=people["office"], kind="test_broken", params={}, fmt="pdf")
    assert build_run(build_id=build_.pk) == "failed"
    build_.refresh_from_db()
    assert build_.error.startswith("生成失败：系统内部错误") and f"编号 {build_.pk}" in build_.error
    assert "ZeroDivisionError" in caplog.text  # the traceback, for the administrator


def test_a_build_left_running_by_a_dead_worker_runs_again_after_the_lease(
    people, order, media, settings
) -> None:
    build = request(people, order)
    assert build_claim(build_id=build.pk).outcome == "claimed"  # the worker that died
    assert build_claim(build_id=build.pk).outcome == "busy"  # within the lease: alive
    later = timezone.now() + timedelta(seconds=settings.DOCUMENT_BUILD_LEASE + 60)
    with time_machine.travel(later, tick=False):
        assert build_run(build_id=build.pk) == "done"  # the redelivered message
    build.refresh_from_db()
    assert build.state == BuildState.DONE and build.attempts == 2


def test_the_pick_up_queues_abandoned_builds_and_gives_up_after_the_attempts(
    people, order, settings
) -> None:
    build = request(people, order)
    fresh = request(people, order, fmt="docx")
    now = timezone.now()
    for attempt in range(1, settings.DOCUMENT_BUILD_MAX_ATTEMPTS + 1):
        assert build_claim(build_id=build.pk).outcome == "claimed"
        build_claim(build_id=fresh.pk)
        now += timedelta(seconds=settings.DOCUMENT_BUILD_LEASE + 60)
        with time_machine.travel(now, tick=False):
            picked = builds_pick_up()
        build.refresh_from_db()
        if attempt < settings.DOCUMENT_BUILD_MAX_ATTEMPTS:
            assert build.pk in picked and build.state == BuildState.QUEUED
            assert build.stage == "生成中断，等待重新生成"
    assert build.state == BuildState.FAILED and build.error == TOO_MANY_ATTEMPTS
    assert build.pk not in picked


def test_a_queued_build_whose_message_was_lost_is_enqueued_again(people, order, settings) -> None:
    build = request(people, order)
    assert builds_pick_up() == []  # just queued: its job is on its way
    later = timezone.now() + timedelta(seconds=settings.DOCUMENT_PICKUP_GRACE + 1)
    with time_machine.travel(later, tick=False):
        assert builds_pick_up() == [build.pk]


def make_builder(kind: str, build) -> Builder:
    return Builder(
        kind=kind,
        label="测试文件",
        formats=("pdf",),
        parse_params=lambda raw: {},
        may_request=lambda user, params: True,
        may_read=lambda user, params: True,
        build=build,
        describe=lambda params: "测试文件",
    )


@pytest.mark.django_db(transaction=True)
def test_requests_at_the_same_moment_share_one_build(committed_data, people) -> None:
    order = make_order(people)
    barrier = threading.Barrier(4)
    got: list[int] = []
    errors: list[BaseException] = []

    def run(who: str) -> None:
        try:
            barrier.wait(timeout=10)
            got.append(request(people, order, user=who).pk)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    users = ("office", "leader", "kjj_reporter", "kjj_approver")
    threads = [threading.Thread(target=run, args=(who,)) for who in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    celery_app.control.purge()  # the one job enqueued (no worker runs in this test)
    assert errors == []
    assert len(got) == 4 and len(set(got)) == 1
    assert DocumentBuild.objects.count() == 1
