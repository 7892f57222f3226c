"""Builds with real processes: the suite's Redis as the broker and a Celery worker process. A
document requested on the page's service is built by the worker after the commit; a worker
killed (SIGKILL) in the middle of a build leaves it running, beat's pick-up puts it back after
the lease, a new worker finishes it, and the message the broker redelivers at last changes
nothing: one build, one file."""

import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.utils import timezone

from hefei_ai_zone.celery import app as celery_app
from reports.documents.models import BuildState, DocumentBuild
from reports.documents.services import build_request
from reports.jobs import build_document, documents_pick_up
from tests.notifications.processes import kill, start_worker, stop, wait_for

from .conftest import make_order, tool


def row(pk: int) -> DocumentBuild:
    return DocumentBuild.objects.get(pk=pk)


def files(media: Path) -> list[Path]:
    return sorted(p for p in media.rglob("*") if p.is_file())


def worker(data: Path, **env: str) -> subprocess.Popen[bytes]:
    return start_worker(0, DATA_DIR=str(data), **env)


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_document_after_the_commit(
    committed_data, people, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    order = make_order(people)
    celery_app.control.purge()  # jobs enqueued by earlier tests whose rows are gone
    process = worker(tmp_path / "data")
    try:
        build = build_request(
            user=people["kjj_reporter"],
            kind="supervision_order",
            params={"order": str(order.pk)},
            fmt="docx",
        )  # the job is enqueued when the request's transaction commits
        assert wait_for(lambda: row(build.pk).state == BuildState.DONE, 120), stop(process)
    finally:
        output = stop(process)
    done = row(build.pk)
    assert done.progress == 100 and done.attempts == 1, output
    assert done.filename == "督办〔2023〕1号督办单（市科技局）.docx"
    [path] = files(settings.MEDIA_ROOT)
    assert path == settings.MEDIA_ROOT / done.file.name and path.stat().st_size == done.size


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_build_the_build_finishes_once(
    committed_data, people, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    order = make_order(people)
    celery_app.control.purge()
    outputs: list[str] = []
    # 1. A worker that pauses after each step; killed once the build is running.
    first = worker(tmp_path / "data", DOCUMENT_BUILD_PAUSE="3")
    try:
        build = build_request(
            user=people["office"],
            kind="supervision_order",
            params={"order": str(order.pk)},
            fmt="pdf",
        )
        assert wait_for(lambda: row(build.pk).progress >= 10, 120), stop(first)
    finally:
        outputs.append(kill(first))
    left = row(build.pk)
    assert left.state == BuildState.RUNNING and left.attempts == 1 and not left.file
    assert files(settings.MEDIA_ROOT) == []

    # 2. Beat's pick-up after the lease puts it back in the queue; a new worker finishes it.
    second = worker(tmp_path / "data")
    try:
        lease = timedelta(seconds=django_settings.DOCUMENT_BUILD_LEASE + 60)
        with time_machine.travel(timezone.now() + lease, tick=True):
            assert documents_pick_up.apply().get() == 1
        assert wait_for(lambda: row(build.pk).state == BuildState.DONE, 120), stop(second)
        # 3. The killed worker's message, redelivered by the broker at last: nothing happens.
        assert build_document.apply_async(args=[build.pk]).get(timeout=60) == "done"
    finally:
        outputs.append(stop(second))
    done = row(build.pk)
    log = "\n".join(outputs)
    assert done.attempts == 2 and done.progress == 100, log
    assert DocumentBuild.objects.count() == 1
    assert files(settings.MEDIA_ROOT) == [settings.MEDIA_ROOT / done.file.name], log
    text = subprocess.run(
        [tool("pdftotext"), str(settings.MEDIA_ROOT / done.file.name), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "督办〔2023〕1号" in text
