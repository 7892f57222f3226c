"""What changed, clause by clause: against the last period, and since a report was sent back."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tasks.models import ReportVersion
from tasks.reporting import services as svc
from tasks.reporting.diffs import clause_diff, split_clauses
from tasks.reporting.selectors import changes_since_return, report_list
from tests.plan.factories import add_tasks, assignment_of
from tests.units.factories import make_user
from units.models import Role

NARRATIVE = (
    "完成通用人工智能理论新模型框架设计；启动可解释性算法研究。"
    "发表论文 3 篇！下一步怎么办？\n联合攻关团队已组建。"
)


# --- cutting and comparing (no database) ------------------------------------------------------


def test_text_is_cut_after_each_clause_mark_and_at_line_breaks_keeping_the_marks() -> None:
    assert split_clauses(NARRATIVE) == [
        "完成通用人工智能理论新模型框架设计；",
        "启动可解释性算法研究。",
        "发表论文 3 篇！",
        "下一步怎么办？",
        "\n",
        "联合攻关团队已组建。",
    ]
    quoted = "按照“统一部署。”推进；未完"
    assert split_clauses(quoted) == ["按照“统一部署。”", "推进；", "未完"]
    for text in (NARRATIVE, quoted, "", "没有标点", "。；\n\n！"):
        assert "".join(split_clauses(text)) == text


def test_a_changed_clause_shows_as_removed_and_added_the_rest_as_it_reads() -> None:
    before = "完成调研；形成研究方案。组建团队。"
    after = "完成调研；形成研究方案（初稿）。组建团队。申请专利 2 项。"
    assert clause_diff(before, after) == [
        ("same", "完成调研；"),
        ("removed", "形成研究方案。"),
        ("added", "形成研究方案（初稿）。"),
        ("same", "组建团队。"),
        ("added", "申请专利 2 项。"),
    ]


def test_a_sentence_cut_in_two_keeps_its_first_half_and_adds_the_second() -> None:
    assert clause_diff("推广应用。", "推广应用；主要建设内容基本完成。") == [
        ("same", "推广应用；"),
        ("added", "主要建设内容基本完成。"),
    ]


def test_removed_clauses_and_line_breaks_read_as_the_new_layout() -> None:
    assert clause_diff("第一段。\n第二段。", "第一段。") == [
        ("same", "第一段。"),
        ("removed", "第二段。"),
    ]
    assert clause_diff("甲。", "甲。\n乙。") == [("same", "甲。\n"), ("added", "乙。")]
    assert clause_diff("同样。", "同样。") == [("same", "同样。")]


# --- 退回后的修改 -------------------------------------------------------------------------------

FULL = {"status": "on_track", "percent": 40, "narrative": "完成调研。形成方案。"}


def returned_and_fixed(people, period):
    """市科技局's report on task 1: edited, submitted, returned by its approver at version 2,
    then edited twice and resubmitted."""
    reporter = people["kjj_reporter"]
    report = svc.report_start(
        actor=reporter, assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_update(actor=reporter, report=report, version=1, percent=45)
    report = svc.report_submit(actor=reporter, report=report)
    svc.report_return(actor=people["kjj_approver"], report=report, comment="请补充成果。")
    report = svc.report_update(
        actor=reporter, report=report, version=2, narrative="完成调研。形成方案。发表论文 2 篇。"
    )
    report = svc.report_update(actor=reporter, report=report, version=3, problems="人才不足。")
    return svc.report_submit(actor=reporter, report=report)


@pytest.mark.django_db
def test_the_changes_since_a_return_compare_with_the_version_returned(people, period) -> None:
    report = returned_and_fixed(people, period)
    since = changes_since_return([report])[report.pk]
    assert since.version == 2 and since.returned.comment == "请补充成果。"
    assert {c.field: c.diff for c in since.changes} == {
        "narrative": [("same", "完成调研。形成方案。"), ("added", "发表论文 2 篇。")],
        "problems": [("added", "人才不足。")],
    }
    svc.report_approve(actor=people["kjj_approver"], report=report)
    client = Client()
    client.force_login(people["office"])
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "退回后的修改" in html and "（第 2 版）" in html
    assert "完成调研。形成方案。<ins>发表论文 2 篇。</ins>" in html
    queue = client.get("/review/").content.decode()
    assert "退回后的修改 2 处" in queue and "<ins>人才不足。</ins>" in queue


@pytest.mark.django_db
def test_a_returned_report_not_yet_changed_says_so(people, period) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    report = svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_return(actor=people["kjj_approver"], report=report, comment="请补充。")
    client = Client()
    client.force_login(people["kjj_reporter"])
    html = client.get(f"/reports/{report.pk}/").content.decode()
    assert "退回后的修改" in html and "退回后尚未修改内容。" in html


@pytest.mark.django_db
def test_rows_written_before_transitions_kept_their_version_use_the_time(people, period) -> None:
    report = returned_and_fixed(people, period)
    report.transitions.update(version=None)
    ReportVersion.objects.filter(report=report, version__gt=2).update(
        created_at=report.transitions.get(action="return").created_at.replace(year=2099)
    )
    assert changes_since_return([report])[report.pk].version == 2


@pytest.mark.django_db
def test_the_changes_of_a_page_of_reports_take_two_queries(people, period) -> None:
    def queries() -> int:
        reports = list(report_list(people["office"]))
        with CaptureQueriesContext(connection) as ctx:
            since = changes_since_return(reports)
        assert len(since) == len(reports)
        return len(ctx.captured_queries)

    returned_and_fixed(people, period)
    small = queries()
    for n, task in enumerate(add_tasks(6)):
        assignment = task.assignments.get(role="lead")
        reporter = make_user(f"r{n}", Role.REPORTER, assignment.unit.name)
        report = svc.report_start(actor=reporter, assignment=assignment, period=period, **FULL)
        report = svc.report_submit(actor=reporter, report=report)
        svc.report_return(actor=people["office"], report=report, comment="请补充。")
        svc.report_update(actor=reporter, report=report, version=1, narrative="补充了。")
    assert small == queries() == 2
