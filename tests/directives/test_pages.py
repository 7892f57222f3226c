"""The pages of 督办事项 as each role relies on them: the list (who sees which items, filters in
the URL, 导出 Excel, a fixed number of queries), 立项 with its errors in Chinese, the item's page
(404 for a unit not on it) and every step of the lifecycle POSTed through the page."""

import io
import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tasks.models import Directive, DirectiveState
from tests.units.factories import make_user
from units.models import Role

from .web_fixtures import make_item, unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- the list -------------------------------------------------------------------------------


def test_the_list_shows_each_role_the_items_it_may_see(people) -> None:
    mine = make_item(people)
    other = make_item(people, title="统计口径调整", lead_unit=unit("市统计局"), co_units=[])
    for who in ("office", "leader", "admin"):
        page = text(login(people[who]).get("/directives/"))
        assert mine.title in page and other.title in page, who
    for who in ("kjj_reporter", "kjj_approver", "fgw_reporter"):  # lead and co unit
        page = text(login(people[who]).get("/directives/"))
        assert mine.title in page and other.title not in page, who
    page = text(login(people["other_reporter"]).get("/directives/"))
    assert other.title in page and mine.title not in page
    auditor = make_user("auditor1", Role.AUDITOR, None)
    assert login(auditor).get("/directives/").status_code == 403
    assert Client().get("/directives/").status_code == 302


def test_the_list_filters_stay_in_the_url_and_the_export_is_the_filtered_list(people) -> None:
    make_item(people)
    make_item(
        people,
        title="落实领导小组会议部署",
        source="meeting",
        source_leader="",
        source_meeting="领导小组第三次会议",
    )
    client = login(people["office"])
    page = text(client.get("/directives/?source=meeting&q=部署"))
    assert "落实领导小组会议部署" in page and "研究算力券兑付办法" not in page
    assert "source=meeting" in page and "q=%E9%83%A8%E7%BD%B2" in page  # 导出 Excel keeps them
    bad = client.get("/directives/?unit=abc&overdue=9")
    assert bad.status_code == 200 and "筛选条件有误" in text(bad)
    export = client.get("/directives/?source=meeting&format=xlsx")
    assert export.status_code == 200
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert "会议议定事项" in str(rows[1][0])  # the subtitle names the filter
    assert rows[2][:3] == ["编号", "事项名称", "来源"]
    titles = [r[1] for r in rows[3:]]
    assert titles == ["落实领导小组会议部署"]


def list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/directives/").status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel("2023-09-28 10:00 +0800", tick=False)
def test_the_list_takes_the_same_number_of_queries_at_two_sizes(people) -> None:
    for _ in range(2):
        make_item(people)
    office, reporter = login(people["office"]), login(people["kjj_reporter"])
    small = list_queries(office), list_queries(reporter)
    for i in range(12):
        make_item(people, title=f"事项 {i}", co_units=[unit("各县（市）区政府")])
    assert (list_queries(office), list_queries(reporter)) == small
    assert Directive.objects.count() == 14


# --- 立项 ----------------------------------------------------------------------------------


def test_only_the_office_and_leaders_open_the_register_form(people) -> None:
    assert login(people["office"]).get("/directives/new/").status_code == 200
    assert login(people["leader"]).get("/directives/new/").status_code == 200
    assert login(people["kjj_reporter"]).get("/directives/new/").status_code == 403
    post = login(people["kjj_reporter"]).post("/directives/new/", {"title": "x"})
    assert post.status_code == 403 and not Directive.objects.exists()


def test_the_register_form_names_each_mistake_in_chinese(people) -> None:
    client = login(people["office"])
    empty = client.post("/directives/new/", {})
    assert empty.status_code == 400
    for message in ("请选择来源。", "请填写事项名称。", "请填写办理要求。", "请选择牵头单位。"):
        assert message in text(empty)
    base = {
        "source": "instruction",
        "title": "研究算力券兑付办法",
        "requirement": "一个月内拿出办法。",
        "lead_unit": unit("市科技局").pk,
        "sign_workdays": 1,
        "rhythm": "once",
    }
    both = client.post("/directives/new/", {**base, "due_workdays": 5, "due_date": "2099-01-01"})
    assert "二选一" in text(both)
    neither = client.post("/directives/new/", base)
    assert "请填写办结时限" in text(neither)
    no_leader = client.post("/directives/new/", {**base, "due_workdays": 5})  # the service's
    assert no_leader.status_code == 400 and "请填写批示领导" in text(no_leader)
    group = client.post(
        "/directives/new/",
        {
            **base,
            "due_workdays": 5,
            "source_leader": "张",
            "lead_unit": unit("各县（市）区政府").pk,
        },
    )
    assert group.status_code == 400 and "请选择一个单位" in text(group)
    bad = client.post(
        "/directives/new/",
        {
            **base,
            "due_workdays": "五",
            "due_date": "昨天",
            "co_units": ["x"],
            "source_leader": "张",
        },
    )
    assert bad.status_code == 400
    for message in ("整数个工作日", "日期格式应为", "所选配合单位无效"):
        assert message in text(bad)
    assert not Directive.objects.exists()


def test_the_office_registers_an_item_with_a_group_and_issues_it_from_its_page(people) -> None:
    client = login(people["office"])
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        response = client.post(
            "/directives/new/",
            {
                "source": "higher",
                "title": "落实省厅算力调度要求",
                "source_authority": "省科技厅",
                "source_doc_number": "皖科函〔2023〕88号",
                "requirement": "按省厅要求报送算力调度方案。",
                "lead_unit": unit("市科技局").pk,
                "co_units": [unit("各县（市）区政府").pk, unit("市发改委").pk],
                "due_date": "2023-10-31",
                "sign_workdays": 2,
                "rhythm": "weekly",
            },
        )
        item = Directive.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/directives/{item.pk}/"
        page = text(client.get(response["Location"]))
        assert "皖科函〔2023〕88号" in page and "未编号" in page and 'data-action="issue"' in page
        issued = client.post(f"/directives/{item.pk}/issue/", {"comment": "请抓紧办理。"})
        assert issued.status_code == 302
    item.refresh_from_db()
    assert item.state == DirectiveState.ISSUED and item.number == "合智督〔2023〕1号"
    assert item.units.count() == 2 + unit("各县（市）区政府").members.count()
    page = text(client.get(f"/directives/{item.pk}/"))
    assert "合智督〔2023〕1号" in page and "2023-10-31" in page
    assert 'data-document-kind="directive_order"' in page  # the 交办单 buttons


# --- the item's page ------------------------------------------------------------------------


def test_the_item_page_is_a_404_for_a_unit_not_on_it(people) -> None:
    item = make_item(people)
    for who in ("office", "leader", "kjj_reporter", "kjj_approver", "fgw_reporter"):
        assert login(people[who]).get(f"/directives/{item.pk}/").status_code == 200, who
    assert login(people["other_reporter"]).get(f"/directives/{item.pk}/").status_code == 404
    assert login(people["other_reporter"]).post(f"/directives/{item.pk}/sign/").status_code == 404
    assert login(people["office"]).get("/directives/999999/").status_code == 404
    assert login(people["office"]).post(f"/directives/{item.pk}/fly/").status_code == 404
    assert login(people["office"]).get(f"/directives/{item.pk}/sign/").status_code == 405


def test_each_role_sees_only_the_actions_it_may_take(people) -> None:
    item = make_item(people)
    with time_machine.travel("2023-09-27 11:00 +0800", tick=False):
        reporter = text(login(people["kjj_reporter"]).get(f"/directives/{item.pk}/"))
        office = text(login(people["office"]).get(f"/directives/{item.pk}/"))
    assert 'data-action="sign"' in reporter and 'data-action="sign"' not in office
    assert 'data-action="issue"' not in office  # issued already
    assert 'data-action="close"' not in reporter and 'data-action="close"' not in office


def post(client: Client, item: Directive, action: str, data: dict | None = None):
    return client.post(f"/directives/{item.pk}/{action}/", data or {})


def test_the_lifecycle_goes_round_through_the_pages(people, media) -> None:
    item = make_item(people)
    office, leader = login(people["office"]), login(people["leader"])
    reporter, co = login(people["kjj_reporter"]), login(people["fgw_reporter"])
    with time_machine.travel("2023-09-28 10:00 +0800", tick=False):
        assert post(reporter, item, "sign").status_code == 302
        assert post(co, item, "sign").status_code == 302
        item.refresh_from_db()
        assert item.state == DirectiveState.IN_PROGRESS
        # co unit's feedback, then the lead's with a file
        answer = post(co, item, "feedback", {"content": "已提供算力清单。", "status": "on_track"})
        assert answer.status_code == 302
        empty = post(reporter, item, "feedback", {"content": "", "status": "on_track"})
        assert empty.status_code == 400 and "请填写反馈内容。" in text(empty)
        upload = SimpleUploadedFile("调研纪要.pdf", PDF, content_type="application/pdf")
        lead = post(
            reporter,
            item,
            "feedback",
            {"content": "已完成调研，形成初稿。", "status": "on_track", "files": upload},
        )
        assert lead.status_code == 302
        fb = item.feedback.get(unit__name="市科技局")
        attachment = fb.attachments.get()
        download = reporter.get(f"/directives/{item.pk}/files/{attachment.pk}/")
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
        page = text(office.get(f"/directives/{item.pk}/"))
        assert "已提供算力清单" in page and "调研纪要.pdf" in page
        assert 'data-action="feedback-accept"' in page
        assert post(office, item, "feedback-accept", {"target": fb.pk}).status_code == 302
        # 延期: a date before the deadline is refused in Chinese, then approved
        early = post(reporter, item, "extend", {"to_date": "2023-09-01", "reason": "需征求意见"})
        assert early.status_code == 400 and "延" in text(early)
        nodate = post(reporter, item, "extend", {"to_date": "", "reason": ""})
        assert "请填写申请延至的日期。" in text(nodate) and "请填写延期理由。" in text(nodate)
        applied = post(reporter, item, "extend", {"to_date": "2023-10-20", "reason": "需征求意见"})
        assert applied.status_code == 302
        ext = item.extensions.get()
        review = {"target": ext.pk, "approve": "1"}
        assert post(office, item, "extension-review", review).status_code == 302
        ext.refresh_from_db()
        if ext.state == "leader":  # a leader approves (the setting)
            decided = post(leader, item, "extension-decide", {"target": ext.pk, "approve": "1"})
            assert decided.status_code == 302
        item.refresh_from_db()
        assert item.due_date == date(2023, 10, 20) and item.original_due_date == date(2023, 10, 10)
        page = text(reporter.get(f"/directives/{item.pk}/"))
        assert "原定 2023-10-10" in page
        # 申请办结 → 退回重办 (a reason required) → again → 办结 → 销号 → 重新督办
        report = {"content": "办法已印发。", "files": SimpleUploadedFile("办法.pdf", PDF)}
        assert post(reporter, item, "apply-close", report).status_code == 302
        assert 'data-action="close"' in text(office.get(f"/directives/{item.pk}/"))
        no_reason = post(office, item, "return", {"comment": ""})
        assert no_reason.status_code == 400 and 'id="action-error"' in text(no_reason)
        assert post(office, item, "return", {"comment": "请补充兑付流程。"}).status_code == 302
        item.refresh_from_db()
        assert item.state == DirectiveState.IN_PROGRESS
        again = {"content": "办法及兑付流程已印发。"}
        assert post(reporter, item, "apply-close", again).status_code == 302
        assert post(reporter, item, "close").status_code == 403  # only the office closes
        assert post(office, item, "close", {"comment": "同意办结。"}).status_code == 302
        item.refresh_from_db()
        assert item.state == DirectiveState.CLOSED
        assert post(office, item, "archive").status_code == 302
        item.refresh_from_db()
        assert item.state == DirectiveState.ARCHIVED
        no_text = post(leader, item, "reopen", {"instruction": ""})
        assert no_text.status_code == 400 and "请填写重新督办的批示内容。" in text(no_text)
        reopen = {"instruction": "兑付仍有堵点，请继续督办。"}
        assert post(leader, item, "reopen", reopen).status_code == 302
        item.refresh_from_db()
        assert item.state in (DirectiveState.ISSUED, DirectiveState.IN_PROGRESS)
        timeline = text(office.get(f"/directives/{item.pk}/"))
    steps = ("立项", "交办", "签收", "反馈", "申请延期", "申请办结", "退回重办", "办结", "销号")
    for step in (*steps, "重新督办"):
        assert step in timeline, step
    assert "请补充兑付流程。" in timeline


def test_the_menu_counts_the_items_waiting_for_the_unit(people) -> None:
    item = make_item(people)
    with time_machine.travel("2023-09-27 11:00 +0800", tick=False):
        page = text(login(people["kjj_reporter"]).get("/my/"))
        assert re.search(r'data-count="directives">1<', page)
        post(login(people["kjj_reporter"]), item, "sign")
    assert 'href="/directives/"' in text(login(people["office"]).get("/directives/"))


def test_a_leader_decides_an_extension_the_office_passed_when_the_setting_asks(
    people, settings
) -> None:
    settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL = True
    item = make_item(people)
    office, leader = login(people["office"]), login(people["leader"])
    reporter = login(people["kjj_reporter"])
    with time_machine.travel("2023-09-28 10:00 +0800", tick=False):
        post(reporter, item, "sign")
        asked = {"to_date": "2023-10-20", "reason": "需征求意见"}
        assert post(reporter, item, "extend", asked).status_code == 302
        ext = item.extensions.get()
        assert 'data-action="extension-approve"' not in text(leader.get(f"/directives/{item.pk}/"))
        passed = {"target": ext.pk, "approve": "1", "comment": "同意，报领导。"}
        assert post(office, item, "extension-review", passed).status_code == 302
        ext.refresh_from_db()
        assert ext.state == "leader"
        page = text(leader.get(f"/directives/{item.pk}/"))
        assert "批准延期" in page and "待领导审批" in page
        assert post(office, item, "extension-decide", {"target": ext.pk}).status_code == 403
        wrong = post(leader, item, "extension-decide", {"target": 999999, "approve": "1"})
        assert wrong.status_code == 400 and "请刷新页面后重试" in text(wrong)
        refused = {"target": ext.pk, "approve": "0", "comment": "请按原定时限办结。"}
        assert post(leader, item, "extension-decide", refused).status_code == 302
    item.refresh_from_db()
    assert item.extensions.get().state == "rejected" and item.due_date == date(2023, 10, 10)


def test_a_file_over_the_limit_is_refused_before_it_is_read(people, settings, media) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024
    item = make_item(people)
    reporter = login(people["kjj_reporter"])
    with time_machine.travel("2023-09-28 10:00 +0800", tick=False):
        post(reporter, item, "sign")
        big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2_000_000)
        response = post(reporter, item, "feedback", {"content": "见附件。", "files": big})
    assert response.status_code == 413 and "上限" in text(response)
    assert not item.feedback.exists()


def test_the_office_changes_a_draft_before_issuing_it(people) -> None:
    draft = make_item(people, issue=False)
    office = login(people["office"])
    page = text(office.get(f"/directives/{draft.pk}/"))
    assert 'data-action="edit"' in page
    form = text(office.get(f"/directives/{draft.pk}/edit/"))
    assert "修改督办事项" in form and "研究算力券兑付办法" in form and "张市长" in form
    assert login(people["leader"]).get(f"/directives/{draft.pk}/edit/").status_code == 403
    changed = {
        "source": "instruction",
        "source_leader": "张市长",
        "title": "研究算力券兑付和监管办法",
        "requirement": "两个月内拿出办法。",
        "lead_unit": unit("市科技局").pk,
        "co_units": [unit("市发改委").pk, unit("市统计局").pk],
        "due_workdays": "",
        "due_date": "2099-06-30",
        "sign_workdays": 2,
        "rhythm": "monthly",
    }
    bad = office.post(f"/directives/{draft.pk}/edit/", {**changed, "title": ""})
    assert bad.status_code == 400 and "请填写事项名称。" in text(bad)
    assert office.post(f"/directives/{draft.pk}/edit/", changed).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "研究算力券兑付和监管办法" and draft.due_date == date(2099, 6, 30)
    assert draft.due_workdays is None and draft.rhythm == "monthly"
    assert draft.units.filter(role="co").count() == 2
    issued = make_item(people)
    assert office.get(f"/directives/{issued.pk}/edit/").status_code == 403
