"""What the lists and the menu read: the count of items waiting for the reader (one query), the
逾期未签收 filter, and a failing step that writes nothing."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from hefei_ai_zone.errors import ApplicationError
from tasks.directives.models import DirectiveStep
from tasks.directives.selectors import directive_list, to_act_count
from tasks.directives.services import extension_apply, extension_review, feedback_submit
from units.audit.models import AuditEntry
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def counted(user) -> int:
    with CaptureQueriesContext(connection) as ctx:
        n = to_act_count(user)
    assert len(ctx.captured_queries) <= 1
    return n


@time_machine.travel("2023-09-25 10:00 +0800", tick=False)
def test_the_menu_counts_what_waits_for_each_reader(people, item_in) -> None:
    issued = item_in("issued")
    assert counted(people["kjj_reporter"]) == 1  # to sign
    assert counted(people["fgw_reporter"]) == 1
    assert counted(people["other_reporter"]) == 0
    item_in("closing")
    progress = item_in("in_progress")
    assert counted(people["office"]) == 1  # the closing report
    feedback_submit(
        actor=people["fgw_reporter"], directive=progress, content="配合。", status="on_track"
    )
    assert counted(people["office"]) == 1  # a co unit's feedback is the lead's to read
    feedback_submit(
        actor=people["kjj_reporter"], directive=progress, content="牵头。", status="on_track"
    )
    assert counted(people["office"]) == 2
    with override_settings(DIRECTIVE_EXTENSION_LEADER_APPROVAL=True):
        ext = extension_apply(
            actor=people["kjj_reporter"], directive=issued, to_date=date(2023, 12, 1), reason="x"
        )
        assert counted(people["office"]) == 3
        extension_review(actor=people["office"], extension=ext, approve=True)
        assert counted(people["leader"]) == 1
    assert counted(people["auditor"]) == 0


def test_an_item_not_signed_in_time_shows_as_such(people, item_in) -> None:
    with time_machine.travel("2023-09-25 10:00 +0800", tick=False):
        late = item_in("issued")
        item_in("in_progress")
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        rows = list(directive_list(people["office"], sign_overdue=True))
        assert [d.pk for d in rows] == [late.pk]
        assert rows[0].lead_unit_name == "市科技局"  # type: ignore[attr-defined]
        assert list(directive_list(people["auditor"])) == []


@time_machine.travel("2023-09-25 10:00 +0800", tick=False)
def test_a_step_that_fails_writes_nothing(people, item_in, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    directive = item_in("in_progress")
    before = (DirectiveStep.objects.count(), AuditEntry.objects.count(), Notice.objects.count())
    good = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n%%EOF\n")
    bad = SimpleUploadedFile("纪要.exe.pdf", b"MZ\x90\x00")
    with pytest.raises(ApplicationError, match="不是其中任何一种"):
        feedback_submit(
            actor=people["kjj_reporter"],
            directive=directive,
            content="进展。",
            status="on_track",
            files=[good, bad],
        )
    after = (DirectiveStep.objects.count(), AuditEntry.objects.count(), Notice.objects.count())
    assert after == before
    assert not directive.feedback.exists()
    assert not list(tmp_path.rglob("*"))  # no file stored
