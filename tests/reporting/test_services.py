"""The reporting workflow through its services: the rules every page, API call and job follows."""

import io
import threading

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from hefei_ai_zone.errors import ApplicationError, ConflictError, NotPermittedError
from tasks.models import ProgressReport, ReportingPeriod, ReportState, ReportVersion
from tasks.reporting import services as svc
from tasks.reporting.permissions import can_see_report
from tasks.reporting.selectors import (
    UnitRecord,
    duties_for_period,
    duties_for_unit,
    report_changes,
    report_list,
    report_previous,
    review_queue,
    unit_record,
)
from tests.plan.factories import assignment_of
from tests.reporting.helpers import only_open
from units.models import Unit

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def draft(people, period, who="kjj_reporter", unit="市科技局", seq=1, **content):
    return svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **(content or FULL)
    )


def test_the_whole_loop_submit_approve_return_fix_resubmit_accept(people, period) -> None:
    report = draft(people, period)
    assert report.state == ReportState.DRAFT and report.version == 1
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_approve(actor=people["kjj_approver"], report=report)
    svc.report_return(actor=people["office"], report=report, comment="请补充量化成果。")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    svc.report_update(
        actor=people["kjj_reporter"],
        report=report,
        version=1,
        narrative="已完成模型框架设计，发表论文 2 篇。",
    )
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_approve(actor=people["kjj_approver"], report=report)
    svc.report_accept(actor=people["office"], report=report)
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.accepted_at
    steps = [
        (t.action, t.from_state, t.to_state, t.actor.username, t.comment)
        for t in report.transitions.all()
    ]
    assert steps == [
        ("submit", "draft", "submitted", "kjj_reporter", ""),
        ("approve", "submitted", "approved", "kjj_approver", ""),
        ("return", "approved", "returned", "office", "请补充量化成果。"),
        ("submit", "returned", "submitted", "kjj_reporter", ""),
        ("approve", "submitted", "approved", "kjj_approver", ""),
        ("accept", "approved", "accepted", "office", ""),
    ]
    assert list(report.versions.values_list("version", "narrative")) == [
        (1, "已完成模型框架设计。"),
        (2, "已完成模型框架设计，发表论文 2 篇。"),
    ]


def test_an_accepted_report_is_locked_until_the_office_reopens_it(people, period) -> None:
    report = draft(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    svc.report_submit(actor=people["sfj_reporter"], report=report)
    svc.report_accept(actor=people["office"], report=report)  # no approver at 市司法局
    with pytest.raises(ApplicationError, match="不能修改"):
        svc.report_update(actor=people["sfj_reporter"], report=report, version=1, percent=90)
    with pytest.raises(ApplicationError, match="必须填写意见"):
        svc.report_reopen(actor=people["office"], report=report, comment=" ")
    svc.report_reopen(actor=people["office"], report=report, comment="数据需更正")
    svc.report_update(actor=people["sfj_reporter"], report=report, version=1, percent=90)
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED and report.percent == 90


def test_a_unit_with_an_approver_cannot_skip_it(people, period) -> None:
    report = draft(people, period)
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    with pytest.raises(ApplicationError, match="不在待办公室审核之列"):
        svc.report_accept(actor=people["office"], report=report)
    with pytest.raises(NotPermittedError):
        svc.report_approve(actor=people["kjj_reporter"], report=report)
    with pytest.raises(NotPermittedError):
        svc.report_approve(actor=people["fgw_approver"], report=report)


@pytest.mark.parametrize("who", ["leader", "office", "other_reporter", "fgw_reporter"])
def test_only_the_units_own_staff_write_its_report(people, period, who) -> None:
    report = draft(people, period)
    with pytest.raises(NotPermittedError):
        svc.report_update(actor=people[who], report=report, version=1, percent=50)
    with pytest.raises(NotPermittedError):
        svc.report_submit(actor=people[who], report=report)


def test_a_unit_cannot_report_on_another_units_assignment(people, period) -> None:
    with pytest.raises(NotPermittedError) as excinfo:
        svc.report_start(
            actor=people["other_reporter"], assignment=assignment_of(1, "市科技局"), period=period
        )
    assert "assignment" in excinfo.value.extra["fields"]
    assert not ProgressReport.objects.exists()


def test_a_member_of_a_group_reports_its_own_part(people, period) -> None:
    from tests.units.factories import make_user

    baohe = make_user("baohe", "reporter", "包河区政府")
    group_assignment = assignment_of(10, "各县（市）区政府")
    report = svc.report_start(actor=baohe, assignment=group_assignment, period=period, **FULL)
    assert report.unit.name == "包河区政府" and report.assignment.unit.name == "各县（市）区政府"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"percent": 101}, "percent"),
        ({"percent": -1}, "percent"),
        ({"percent": "abc"}, "percent"),
        ({"percent": 50.5}, "percent"),
        ({"status": "great"}, "status"),
        ({"narrative": "字" * 10_001}, "narrative"),
    ],
)
def test_bad_content_is_refused_with_the_field_named_and_nothing_saved(
    people, period, changes, field
) -> None:
    report = draft(people, period)
    with pytest.raises(ApplicationError) as excinfo:
        svc.report_update(actor=people["kjj_reporter"], report=report, version=1, **changes)
    assert field in excinfo.value.extra["fields"]
    report.refresh_from_db()
    assert (report.version, report.percent) == (1, 40)


def test_submitting_needs_a_narrative_and_a_status(people, period) -> None:
    report = draft(people, period, percent=10)
    with pytest.raises(ApplicationError) as excinfo:
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert set(excinfo.value.extra["fields"]) == {"status", "narrative"}
    assert "进展情况" in excinfo.value.message
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and not report.transitions.exists()


def test_a_closed_or_unopened_period_takes_no_reports(people, period) -> None:
    report = draft(people, period)
    svc.period_close(actor=people["office"], period=period)
    with pytest.raises(ApplicationError, match="已关闭"):
        svc.report_update(actor=people["kjj_reporter"], report=report, version=1, percent=60)
    with pytest.raises(ApplicationError, match="已关闭"):
        svc.report_submit(actor=people["kjj_reporter"], report=report)
    planned = ReportingPeriod.objects.get(code="2022Q1")
    with pytest.raises(ApplicationError, match="尚未开放") as excinfo:
        draft(people, planned)
    assert "period" in excinfo.value.extra["fields"]
    with pytest.raises(NotPermittedError):
        svc.period_open(actor=people["kjj_approver"], period=planned)


def test_a_stale_version_is_refused_and_shows_the_other_change(people, period) -> None:
    report = draft(people, period)
    svc.report_update(
        actor=people["kjj_approver"], report=report, version=1, narrative="审核人补充了情况。"
    )
    with pytest.raises(ConflictError) as excinfo:
        svc.report_update(
            actor=people["kjj_reporter"], report=report, version=1, narrative="填报员的修改。"
        )
    extra = excinfo.value.extra
    assert extra["version"] == 2 and extra["current"]["narrative"] == "审核人补充了情况。"
    assert "kjj_approver" in excinfo.value.message  # who changed it
    report.refresh_from_db()
    assert report.narrative == "审核人补充了情况。"
    assert ReportVersion.objects.filter(report=report).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_version_let_exactly_one_through(people, period) -> None:
    report = draft(people, period)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def save(who: str) -> None:
        try:
            barrier.wait()
            svc.report_update(actor=people[who], report=report, version=1, narrative=who)
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(w,)) for w in ("kjj_reporter", "kjj_approver")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "saved"]
    assert ProgressReport.objects.get(pk=report.pk).version == 2


def test_bulk_accept_is_all_or_nothing(people, period) -> None:
    a = draft(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    b = draft(people, period)
    svc.report_submit(actor=people["sfj_reporter"], report=a)
    svc.report_submit(actor=people["kjj_reporter"], report=b)  # waits for 市科技局's approver
    with pytest.raises(ApplicationError, match="未作任何处理"):
        svc.reports_accept(actor=people["office"], reports=[a, b])
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"submitted"}
    svc.report_approve(actor=people["kjj_approver"], report=b)
    svc.reports_accept(actor=people["office"], reports=[a, b])
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"accepted"}


def test_who_sees_which_report(people, period) -> None:
    lead = draft(people, period)  # 市科技局, task 1, draft
    co = draft(people, period, who="fgw_reporter", unit="市发改委")
    svc.report_submit(actor=people["fgw_reporter"], report=co)

    def sees(who: str) -> set[str]:
        return set(report_list(people[who]).values_list("unit__name", flat=True))

    assert sees("kjj_reporter") == {"市科技局", "市发改委"}  # own draft + co-unit's submitted
    assert sees("fgw_reporter") == {"市发改委"}  # not the lead's draft
    assert sees("other_reporter") == set()
    assert sees("leader") == {"市发改委"}  # submitted only
    assert sees("office") == sees("admin") == {"市科技局", "市发改委"}
    assert can_see_report(people["fgw_approver"], lead) is False


def test_the_review_queue_holds_what_waits_for_the_office(people, period) -> None:
    a = draft(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    b = draft(people, period)
    svc.report_submit(actor=people["sfj_reporter"], report=a)
    svc.report_submit(actor=people["kjj_reporter"], report=b)
    assert [r.pk for r in review_queue(people["office"])] == [a.pk]
    svc.report_approve(actor=people["kjj_approver"], report=b)
    assert {r.pk for r in review_queue(people["office"])} == {a.pk, b.pk}


def test_work_lists_take_a_fixed_number_of_queries(
    people, period, django_assert_num_queries
) -> None:
    from tests.plan.factories import add_tasks

    kjj = Unit.objects.get(name="市科技局")
    with django_assert_num_queries(2):
        small = duties_for_unit(kjj, period)
    with django_assert_num_queries(3):
        everyone = duties_for_period(period)
    tasks = add_tasks(20)
    for task in tasks:
        task.assignments.create(unit=kjj, role="co", order=9)
    with django_assert_num_queries(2):
        assert len(duties_for_unit(kjj, period)) == len(small) + 20
    with django_assert_num_queries(3):
        assert len(duties_for_period(period)) == len(everyone) + 20 * 4


def test_group_assignments_are_duties_of_each_member(period) -> None:
    duties = [
        d for d in duties_for_period(period) if d.assignment.task and d.assignment.task.seq == 10
    ]
    assert len(duties) == 2 + 9 + 3  # 市经信局, 市科技局, nine districts, three zones
    assert {d.via_group.name for d in duties if d.via_group} == {"各县（市）区政府", "开发区管委会"}


@time_machine.travel("2021-10-15 10:00 +0800", tick=False)
def test_days_left_and_overdue_follow_the_due_date(people, period) -> None:
    kjj = Unit.objects.get(name="市科技局")
    duties = duties_for_unit(kjj, period)  # 2021Q3 is due on 2021-10-13 (工作日)
    assert all(d.days_left == -2 and d.overdue for d in duties)
    report = draft(people, period)
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    duty = next(d for d in duties_for_unit(kjj, period) if d.report)
    assert not duty.overdue and duty.late


def test_what_changed_since_the_last_period(people, period) -> None:
    with only_open("2021Q2") as earlier:
        before = draft(people, earlier, narrative="完成调研。", percent=20, status="on_track")
    now = draft(people, period, narrative="完成调研和方案。", percent=40, status="at_risk")
    assert report_previous(now) == before
    changes = {c.field: c for c in report_changes(before, now)}
    assert set(changes) == {"percent", "narrative", "status"}
    assert changes["narrative"].diff == [("removed", "完成调研。"), ("added", "完成调研和方案。")]
    assert (changes["status"].before, changes["status"].after) == ("按计划推进", "存在风险")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_evidence_is_checked_by_content(people, period, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    actor = people["kjj_reporter"]
    pdf = svc.evidence_add(actor=actor, report=report, upload=upload("会议纪要.pdf", PDF))
    assert (pdf.content_type, pdf.original_name, pdf.size) == (
        "application/pdf",
        "会议纪要.pdf",
        len(PDF),
    )
    assert "会议纪要" not in str(pdf.file)  # stored under a random name
    doc = svc.evidence_add(actor=actor, report=report, upload=upload("方案.docx", docx_bytes()))
    assert doc.content_type.endswith("wordprocessingml.document")
    with pytest.raises(ApplicationError, match="内容不是其中任何一种"):
        svc.evidence_add(actor=actor, report=report, upload=upload("病毒.pdf", b"MZ\x90\x00" * 50))
    with pytest.raises(ApplicationError, match="扩展名与文件内容不符"):
        svc.evidence_add(actor=actor, report=report, upload=upload("图.png", PDF))
    assert report.evidence.count() == 2


def test_evidence_over_20_mb_is_refused(people, period, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    big = upload("大文件.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ApplicationError, match="超过了 20 MB") as excinfo:
        svc.evidence_add(actor=people["kjj_reporter"], report=report, upload=big)
    assert "file" in excinfo.value.extra["fields"]
    assert not report.evidence.exists() and not any(tmp_path.rglob("*"))


@time_machine.travel("2021-10-15 10:00 +0800", tick=False)
def test_a_units_record_counted_in_the_database_equals_its_duties(people, period) -> None:

    on_time = draft(people, period)
    with time_machine.travel("2021-10-03 09:00 +0800", tick=False):
        svc.report_submit(actor=people["kjj_reporter"], report=on_time)
    late = draft(people, period, seq=2)
    svc.report_submit(actor=people["kjj_reporter"], report=late)  # 10-15, due 10-13
    draft(people, period, seq=3)  # a draft: not submitted
    kjj = Unit.objects.get(name="市科技局")
    (row,) = [r for r in unit_record(kjj) if r.period == period]
    expected = UnitRecord(kjj, duties_for_unit(kjj, period))
    got = row.record
    assert (got.total, got.submitted, got.late, got.on_time, got.missing, got.overdue) == (
        len(expected.duties),
        expected.submitted,
        expected.late,
        expected.on_time,
        expected.missing,
        expected.overdue,
    )
    assert (got.submitted, got.late, got.on_time) == (2, 1, 1)
