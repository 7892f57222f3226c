"""The browser pages of progress reporting: who sees which page, what each form does with good
and bad input, and that the lists cost the same number of queries at any size."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tasks.models import Assignment, Evidence, ProgressReport, ReportingPeriod, ReportState
from tasks.reporting import services as svc
from tasks.reporting.selectors import duties_for_unit
from tests.plan.factories import add_tasks, assignment_of
from tests.reporting.helpers import only_open
from tests.units.factories import make_user
from units.models import Role, Unit, User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
XSS = "<script>alert('x')</script>"


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def draft(people, period, who="kjj_reporter", unit="市科技局", seq=1, **content):
    return svc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit), period=period, **(content or FULL)
    )


def submitted(people, period, **kwargs):
    report = draft(people, period, **kwargs)
    return svc.report_submit(actor=people[kwargs.get("who", "kjj_reporter")], report=report)


def form_data(report: ProgressReport, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "version": report.version,
        "status": report.status,
        "percent": report.percent,
        "narrative": report.narrative,
        "problems": report.problems,
        "next_steps": report.next_steps,
        "action": "save",
    }
    data.update(changes)
    return data


def text(response) -> str:
    return response.content.decode()


# --- who sees which page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "my", "review", "periods", "period_page"),
    [
        ("kjj_reporter", 200, 403, 200, 403),
        ("kjj_approver", 200, 403, 200, 403),
        ("office", 403, 200, 200, 200),
        ("admin", 403, 200, 200, 200),
        ("leader", 403, 403, 200, 200),
    ],
)
def test_each_page_opens_for_its_roles_and_says_no_in_chinese_to_the_others(
    people, period, who, my, review, periods, period_page
) -> None:
    client = login(people[who])
    for path, expected in [
        ("/my/", my),
        ("/review/", review),
        ("/periods/", periods),
        (f"/periods/{period.code}/", period_page),
    ]:
        response = client.get(path)
        assert response.status_code == expected, (path, who)
        if expected == 403:
            assert "无权进行此操作" in text(response)


@pytest.mark.parametrize(
    "path", ["/my/", "/review/", "/periods/", "/periods/2021Q3/", "/reports/1/", "/reports/1/edit/"]
)
def test_anonymous_visitors_are_sent_to_the_login_page(period, path) -> None:
    response = Client().get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_home_page_sends_each_role_to_its_work(people) -> None:
    assert login(people["kjj_reporter"]).get("/")["Location"] == "/my/"
    assert login(people["kjj_approver"]).get("/")["Location"] == "/my/"
    assert login(people["office"]).get("/")["Location"] == "/dashboard/"
    assert login(people["leader"]).get("/")["Location"] == "/dashboard/"


def test_the_navigation_offers_each_role_its_pages(people, period) -> None:
    reporter = text(login(people["kjj_reporter"]).get("/periods/"))
    office = text(login(people["office"]).get("/periods/"))
    leader = text(login(people["leader"]).get("/periods/"))
    assert 'href="/my/"' in reporter and 'href="/review/"' not in reporter
    assert 'href="/review/"' in office and 'href="/my/"' not in office
    assert 'href="/my/"' not in leader and 'href="/review/"' not in leader
    assert all('href="/periods/"' in html for html in (reporter, office, leader))


@pytest.mark.parametrize(
    ("who", "draft_status", "submitted_status"),
    [
        ("kjj_reporter", 200, 200),
        ("kjj_approver", 200, 200),
        ("fgw_reporter", 404, 200),  # the co-unit: submitted reports only
        ("other_reporter", 404, 404),  # another task altogether
        ("leader", 404, 200),
        ("office", 200, 200),
    ],
)
def test_a_report_page_is_a_404_for_whoever_may_not_see_the_report(
    people, period, who, draft_status, submitted_status
) -> None:
    report = draft(people, period)
    client = login(people[who])
    assert client.get(f"/reports/{report.pk}/").status_code == draft_status
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert client.get(f"/reports/{report.pk}/").status_code == submitted_status


def test_a_guessed_report_id_reveals_nothing(people, period) -> None:
    client = login(people["office"])
    missing = (
        ProgressReport.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 99
    for path in [
        f"/reports/{missing}/",
        f"/reports/{missing}/edit/",
        f"/reports/{missing}/evidence/1/",
    ]:
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(("who", "status"), [("office", 403), ("kjj_approver", 200)])
def test_only_the_units_own_staff_open_the_form(people, period, who, status) -> None:
    report = draft(people, period)
    response = login(people[who]).get(f"/reports/{report.pk}/edit/")
    assert response.status_code == status
    if status == 403:
        assert "只有本单位的填报员或审核人可以修改本单位的报告" in text(response)


def test_a_submitted_report_opens_read_only_for_its_reporter(people, period) -> None:
    report = submitted(people, period)
    client = login(people["kjj_reporter"])
    response = client.get(f"/reports/{report.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/reports/{report.pk}/"
    assert "不能修改" in text(response)


def test_a_unit_cannot_start_a_report_on_another_units_task(people, period) -> None:
    assignment = assignment_of(1, "市科技局")
    response = login(people["other_reporter"]).post(
        f"/reports/start/{period.code}/{assignment.pk}/"
    )
    assert response.status_code == 403
    assert "不承担这项任务" in text(response)
    assert not ProgressReport.objects.exists()


def test_review_buttons_show_only_when_permitted(people, period) -> None:
    report = submitted(people, period)
    path = f"/reports/{report.pk}/"
    approver = text(login(people["kjj_approver"]).get(path))
    assert 'value="approve"' in approver and 'value="return"' in approver
    reporter = text(login(people["kjj_reporter"]).get(path))
    assert 'name="action"' not in reporter
    office = text(login(people["office"]).get(path))  # waits for 市科技局's approver first
    assert 'value="accept"' not in office and 'value="return"' not in office
    svc.report_approve(actor=people["kjj_approver"], report=report)
    office = text(login(people["office"]).get(path))
    assert 'value="accept"' in office and 'value="return"' in office
    assert 'value="reopen"' not in office
    leader = text(login(people["leader"]).get(path))
    assert 'name="action"' not in leader


def test_an_action_the_user_may_not_take_is_a_403_and_changes_nothing(people, period) -> None:
    report = submitted(people, period)
    response = login(people["kjj_reporter"]).post(f"/reports/{report.pk}/", {"action": "approve"})
    assert response.status_code == 403 and "只有本单位的审核人" in text(response)
    response = login(people["leader"]).post(f"/reports/{report.pk}/", {"action": "accept"})
    assert response.status_code == 403
    report.refresh_from_db()
    assert (
        report.state == ReportState.SUBMITTED
        and not report.transitions.exclude(action="submit").exists()
    )


def test_only_the_office_opens_and_closes_periods(people, period) -> None:
    planned = ReportingPeriod.objects.get(code="2022Q1")
    approver = login(people["kjj_approver"])
    assert approver.post(f"/periods/{planned.code}/open/", {"confirm": "1"}).status_code == 403
    assert approver.get(f"/periods/{period.code}/close/").status_code == 403
    planned.refresh_from_db()
    assert planned.state == "planned"
    office = login(people["office"])
    page = text(office.get("/periods/"))
    # 2021Q3 is open: it has a close link (to the confirmation page), no other period an open button
    assert f'href="/periods/{period.code}/close/?next=/periods/"' in page
    assert 'action="/periods/' not in page and "当前填报中的是" in page
    response = office.post(f"/periods/{period.code}/close/", {"confirm": "1"}, follow=True)
    assert "已关闭2021年第三季度（2021Q3）的报送" in text(response)
    page = text(office.get("/periods/"))
    assert f'action="/periods/{planned.code}/open/"' in page  # never opened: one click
    assert f'href="/periods/{period.code}/open/?next=/periods/"' in page  # closed: confirm first
    response = office.post(f"/periods/{planned.code}/open/", {"confirm": "1"}, follow=True)
    assert "已开放2022年第一季度（2022Q1）的报送" in text(response)
    planned.refresh_from_db()
    period.refresh_from_db()
    assert (planned.state, period.state) == ("open", "closed")
    assert office.get("/periods/1999Q9/").status_code == 404


# --- 我的任务 ---------------------------------------------------------------------------------


def test_my_tasks_lists_each_duty_with_state_light_and_due_date(people, period) -> None:
    submitted(people, period)
    html = text(login(people["kjj_reporter"]).get("/my/"))
    duties = duties_for_unit(Unit.objects.get(name="市科技局"), period)
    assert html.count('class="duty-row') == len(duties) > 5
    row = re.search(
        r'<article class="duty-row[^"]*" data-code="3\.1\.1">(.*?)</article>', html, re.S
    )
    assert row is not None
    assert "待单位审核" in row[1] and "绿灯" in row[1] and "牵头" in row[1]
    assert "截止 2021-10-13" in html
    assert re.search(r"逾期 \d+ 天", html)  # 2021Q3 is long past its due date
    assert "经由“各县（市）区政府”" not in html  # 市科技局 is not a district
    assert "2021年第三季度" in html and "填报中" in html


def test_a_district_sees_duties_given_to_its_group(people, period) -> None:
    baohe = make_user("baohe", Role.REPORTER, "包河区政府")
    html = text(login(baohe).get("/my/"))
    assert "经由“各县（市）区政府”" in html


def test_the_period_selector_shows_another_period(people, period) -> None:
    client = login(people["kjj_reporter"])
    html = text(client.get("/my/", {"period": "2020Q1"}))
    assert "2020年第一季度" in html and "只能查看，不能填报" in html
    assert 'name="csrfmiddlewaretoken"' not in html.split("任务清单")[1]  # no 填报 buttons
    html = text(client.get("/my/", {"period": "nonsense"}))
    assert "没有代码为“nonsense”的报送周期" in html and "2021年第三季度" in html


def count_queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_my_tasks_takes_the_same_number_of_queries_at_any_size(people, period) -> None:
    client = login(people["kjj_reporter"])
    submitted(people, period)
    small = count_queries(client, "/my/")
    kjj = Unit.objects.get(name="市科技局")
    for task in add_tasks(25):
        assignment = task.assignments.create(unit=kjj, role="co", order=9)
        report = svc.report_start(
            actor=people["kjj_reporter"], assignment=assignment, period=period, **FULL
        )
        if task.seq % 2:
            svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert len(text(client.get("/my/")).split('class="duty-row')) > 25
    assert count_queries(client, "/my/") == small


def test_the_review_queue_takes_the_same_number_of_queries_at_any_size(people, period) -> None:
    client = login(people["office"])
    paths = ["/review/", f"/review/?period={period.code}&overdue=true&state=submitted"]
    submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    small = [count_queries(client, path) for path in paths]
    for n, task in enumerate(add_tasks(12)):
        assignment = task.assignments.get(role="lead")
        reporter = make_user(f"r{n}", Role.REPORTER, assignment.unit.name)  # no approver
        report = svc.report_start(actor=reporter, assignment=assignment, period=period, **FULL)
        svc.report_submit(actor=reporter, report=report)
    for path in paths:
        assert text(client.get(path)).count('class="review-row') == 13
    assert [count_queries(client, path) for path in paths] == small


# --- the report form --------------------------------------------------------------------------


def test_filling_saving_and_submitting_with_plain_posts(people, period, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    client = login(people["kjj_reporter"])
    assignment = assignment_of(1, "市科技局")
    start = f"/reports/start/{period.code}/{assignment.pk}/"
    assert "开始填报" in text(client.get(start))
    response = client.post(start)
    report = ProgressReport.objects.get()
    assert response["Location"] == f"/reports/{report.pk}/edit/"
    assert client.post(start)["Location"] == f"/reports/{report.pk}/edit/"  # opens, not twice
    html = text(client.get(f"/reports/{report.pk}/edit/"))
    for label in ["进展状态", "完成进度", "进展情况", "存在问题", "下步计划", "保存草稿", "提交"]:
        assert label in html
    assert 'name="version" value="1"' in html

    data = form_data(report, status="at_risk", percent="35", narrative="完成调研。")
    response = client.post(f"/reports/{report.pk}/edit/", data, follow=True)
    assert "草稿已保存（第 2 版）" in text(response)
    report.refresh_from_db()
    assert (report.version, report.status, report.percent) == (2, "at_risk", 35)

    upload = SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")
    data = form_data(report, action="upload", file=upload)
    response = client.post(f"/reports/{report.pk}/edit/", data, follow=True)
    assert "文件已上传" in text(response) and "会议纪要.pdf" in text(response)
    evidence = Evidence.objects.get()
    download = client.get(f"/reports/{report.pk}/evidence/{evidence.pk}/")
    assert download.status_code == 200 and download.getvalue() == PDF
    assert "attachment" in download["Content-Disposition"]
    assert (
        login(people["other_reporter"])
        .get(f"/reports/{report.pk}/evidence/{evidence.pk}/")
        .status_code
        == 404
    )

    data = form_data(report, action=f"remove:{evidence.pk}")
    assert "文件已删除" in text(client.post(f"/reports/{report.pk}/edit/", data, follow=True))
    assert not Evidence.objects.exists()

    response = client.post(f"/reports/{report.pk}/edit/", form_data(report, action="submit"))
    assert response["Location"] == f"/reports/{report.pk}/"
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_htmx_saves_in_place_and_redirects_after_submitting(people, period) -> None:
    report = draft(people, period)
    client = login(people["kjj_reporter"])
    path = f"/reports/{report.pk}/edit/"
    response = client.post(path, form_data(report, percent="60"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = text(response)
    assert "草稿已保存（第 2 版）" in html and 'name="version" value="2"' in html
    report.refresh_from_db()
    response = client.post(path, form_data(report, action="submit"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/reports/{report.pk}/"


def test_a_stale_save_shows_the_other_persons_text_beside_the_users(people, period) -> None:
    report = draft(people, period)
    client = login(people["kjj_reporter"])
    path = f"/reports/{report.pk}/edit/"
    assert 'name="version" value="1"' in text(client.get(path))
    svc.report_update(
        actor=people["kjj_approver"], report=report, version=1, narrative="审核人补充的情况。"
    )
    response = client.post(path, form_data(report, version=1, narrative="填报员自己的修改。"))
    assert response.status_code == 409
    html = text(response)
    assert "kjj_approver已于" in html and "您的修改没有保存" in html
    assert "填报员自己的修改。</textarea>" in html  # the user's text, not lost
    assert "对方保存的进展情况" in html and "审核人补充的情况。" in html
    assert 'name="version" value="2"' in html  # saving again builds on what was seen
    report.refresh_from_db()
    assert report.narrative == "审核人补充的情况。" and report.version == 2
    response = client.post(path, form_data(report, version=2, narrative="合并后的内容。"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.narrative == "合并后的内容。" and report.version == 3


def assert_unchanged(report: ProgressReport) -> None:
    before = (report.version, report.state, report.percent, report.narrative)
    report.refresh_from_db()
    assert (report.version, report.state, report.percent, report.narrative) == before


def test_a_percent_over_100_is_refused_next_to_its_field(people, period) -> None:
    report = draft(people, period)
    response = login(people["kjj_reporter"]).post(
        f"/reports/{report.pk}/edit/", form_data(report, percent="101", narrative="新的文字")
    )
    assert response.status_code == 400
    html = text(response)
    assert re.search(r'id="percent-error">完成进度必须在 0 到 100 之间，收到的是 101。', html)
    assert "新的文字</textarea>" in html
    assert_unchanged(report)


def test_submitting_without_a_narrative_is_refused_and_saves_nothing(people, period) -> None:
    report = draft(people, period)
    data = form_data(report, action="submit", narrative="  ", percent="70")
    response = login(people["kjj_reporter"]).post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 400
    assert re.search(r'id="narrative-error">提交前必须填写进展情况。', text(response))
    assert "报告还不完整，不能提交" in text(response)
    assert_unchanged(report)  # neither the text nor the percent was kept
    assert not report.transitions.exists()


def test_an_exe_renamed_pdf_is_refused_and_nothing_is_kept(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period)
    fake = SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00" * 64, content_type="application/pdf")
    data = form_data(report, action="upload", file=fake, narrative="附上文件")
    response = login(people["kjj_reporter"]).post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 400
    assert re.search(r'id="file-error">只能上传PDF、图片.*内容不是其中任何一种', text(response))
    assert_unchanged(report)
    assert not Evidence.objects.exists() and not any(tmp_path.rglob("*.*"))


def test_a_refused_submission_removes_the_file_it_uploaded(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report = draft(people, period, percent=10)  # no status yet: cannot be submitted
    good = SimpleUploadedFile("纪要.pdf", PDF, content_type="application/pdf")
    data = form_data(report, action="submit", status="", file=good)
    response = login(people["kjj_reporter"]).post(f"/reports/{report.pk}/edit/", data)
    assert response.status_code == 400 and "提交前必须选择进展状态" in text(response)
    assert not Evidence.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_an_oversized_upload_is_refused_before_its_body_is_read(people, period) -> None:
    report = draft(people, period)
    client = login(people["kjj_reporter"])
    path = f"/reports/{report.pk}/edit/"
    huge = str(22 * 1024 * 1024)
    response = client.post(path, form_data(report, narrative="不会保存"), CONTENT_LENGTH=huge)
    assert response.status_code == 413
    assert "超过了 20 MB 的上限" in text(response)
    response = client.post(path, form_data(report), CONTENT_LENGTH=huge, HTTP_HX_REQUEST="true")
    assert response.status_code == 413 and response["HX-Retarget"] == "#upload-feedback"
    assert 'id="upload-error"' in text(response) and response["HX-Reselect"] == "#upload-error"
    assert_unchanged(report)


def test_a_closed_period_takes_no_changes(people, period) -> None:
    report = draft(people, period)
    svc.period_close(actor=people["office"], period=period)
    client = login(people["kjj_reporter"])
    html = text(client.get(f"/reports/{report.pk}/edit/"))
    assert "已关闭，不能保存或提交" in html
    response = client.post(f"/reports/{report.pk}/edit/", form_data(report, percent="90"))
    assert response.status_code == 400
    assert "2021年第三季度（2021Q3）已关闭，不能填报或提交。" in text(response)
    assert_unchanged(report)
    other = Assignment.objects.filter(unit__name="市科技局").exclude(task__seq=1)[0]
    response = client.post(f"/reports/start/{period.code}/{other.pk}/")
    assert response.status_code == 400 and "已关闭" in text(response)
    assert ProgressReport.objects.count() == 1


# --- the report page and the review -----------------------------------------------------------


def test_the_whole_loop_through_the_pages(people, period) -> None:
    report = submitted(people, period)
    approver, office, reporter = (
        login(people["kjj_approver"]),
        login(people["office"]),
        login(people["kjj_reporter"]),
    )
    assert "审核" in text(approver.get("/my/"))
    approver.post(f"/reports/{report.pk}/", {"action": "approve", "comment": ""})
    assert report_in_queue(office, report)

    # Returning needs a comment: the error is shown at the row, nothing changes.
    response = office.post("/review/", {"action": "return", "report": report.pk, "comment": ""})
    assert response.status_code == 400
    assert re.search(rf'id="error-{report.pk}" role="alert">退回时必须填写意见', text(response))
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    office.post(
        "/review/", {"action": "return", "report": report.pk, "comment": "请补充量化成果。"}
    )
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED

    html = text(reporter.get(f"/reports/{report.pk}/edit/"))
    assert "报告已被退回" in html and "请补充量化成果。" in html
    assert "修改重报" in text(reporter.get("/my/"))
    data = form_data(report, action="submit", narrative="已完成模型框架设计，发表论文 2 篇。")
    reporter.post(f"/reports/{report.pk}/edit/", data)
    approver.post(f"/reports/{report.pk}/", {"action": "approve"})
    response = office.post("/review/", {"action": "bulk_accept", "reports": [report.pk]})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    html = text(login(people["leader"]).get(f"/reports/{report.pk}/"))
    assert "已通过" in html and "发表论文 2 篇" in html
    assert [label in html for label in ["提交", "单位审核通过", "退回修改", "审核通过"]] == [
        True
    ] * 4
    assert html.index("请补充量化成果。") > 0


def report_in_queue(client: Client, report: ProgressReport) -> bool:
    return f'id="review-{report.pk}"' in text(client.get("/review/"))


def test_bulk_accept_is_all_or_nothing_and_names_the_refused(people, period) -> None:
    a = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    b = submitted(people, period)  # waits for 市科技局's approver
    office = login(people["office"])
    response = office.post("/review/", {"action": "bulk_accept", "reports": [a.pk, b.pk]})
    assert response.status_code == 400
    html = text(response)
    assert "有 1 份报告不在待办公室审核之列，未作任何处理" in html
    assert set(ProgressReport.objects.values_list("state", flat=True)) == {"submitted"}
    response = office.post("/review/", {"action": "bulk_accept"})
    assert response.status_code == 400 and "请至少选择一份报告" in text(response)


def test_the_review_queue_filters_by_unit_state_and_overdue(people, period) -> None:
    a = submitted(people, period, who="sfj_reporter", unit="市司法局", seq=6)
    b = submitted(people, period)
    svc.report_approve(actor=people["kjj_approver"], report=b)
    office = login(people["office"])
    sfj = Unit.objects.get(name="市司法局")
    html = text(office.get("/review/", {"unit": sfj.pk}))
    assert f'id="review-{a.pk}"' in html and f'id="review-{b.pk}"' not in html
    html = text(office.get("/review/", {"state": "approved"}))
    assert f'id="review-{a.pk}"' not in html and f'id="review-{b.pk}"' in html
    html = text(office.get("/review/", {"overdue": "false"}))
    assert "review-row" not in html  # 2021Q3 was due in 2021: every submission today is late
    html = text(office.get("/review/", {"section": "nonsense"}))
    assert "筛选条件有误" in html


def test_what_changed_since_the_last_period_is_shown_as_a_diff(people, period) -> None:
    with only_open("2021Q2") as earlier:
        draft(people, earlier, narrative="完成调研。形成方案。", percent=20, status="on_track")
    now = draft(
        people, period, narrative="完成调研。形成研究方案。组建团队。", percent=40, status="at_risk"
    )
    client = login(people["kjj_reporter"])
    html = text(client.get(f"/reports/{now.pk}/"))
    assert "完成调研。<del>形成方案。</del><ins>形成研究方案。组建团队。</ins>" in html
    assert "<del>按计划推进</del> → <ins>存在风险</ins>" in html
    assert "<del>20%</del> → <ins>40%</ins>" in html
    html = text(client.get(f"/reports/{now.pk}/edit/"))
    assert "上期报告 · 2021年第二季度" in html and "完成调研。" in html


def test_the_lead_unit_sees_its_co_units_reports_beside_the_form(people, period) -> None:
    submitted(
        people,
        period,
        who="fgw_reporter",
        unit="市发改委",
        **FULL | {"narrative": "发改委的进展。"},
    )
    lead = draft(people, period)
    html = text(login(people["kjj_reporter"]).get(f"/reports/{lead.pk}/edit/"))
    assert "牵头单位汇总" in html and "发改委的进展。" in html
    co = ProgressReport.objects.get(unit__name="市发改委")
    html = text(login(people["fgw_reporter"]).get(f"/reports/{co.pk}/"))
    assert "牵头单位汇总" not in html


def test_the_task_page_shows_every_units_reports_and_the_unit_page_its_record(
    people, period
) -> None:
    report = submitted(people, period)
    task = report.assignment.task
    html = text(login(people["leader"]).get(f"/plan/tasks/{task.pk}/"))
    assert "进展报告" in html and f'href="/reports/{report.pk}/"' in html
    assert "2021年第三季度" in html
    html = text(login(people["other_reporter"]).get(f"/plan/tasks/{task.pk}/"))
    assert f'href="/reports/{report.pk}/"' not in html
    kjj = Unit.objects.get(name="市科技局")
    for who, shown in [("kjj_reporter", True), ("office", True), ("fgw_reporter", False)]:
        html = text(login(people[who]).get(f"/units/{kjj.pk}/"))
        assert ("报送记录" in html) is shown, who
        assert "任务分工" in html  # the page's own content stays
    html = text(login(people["office"]).get(f"/units/{kjj.pk}/"))
    assert re.search(r"2021Q3.*?</th>\s*<td[^>]*>\d+</td>", html, re.S)


def test_the_period_page_counts_who_has_and_has_not_reported(people, period) -> None:
    submitted(people, period)
    draft(people, period, who="fgw_reporter", unit="市发改委")
    office = text(login(people["office"]).get(f"/periods/{period.code}/"))
    leader = text(login(people["leader"]).get(f"/periods/{period.code}/"))
    for html in (office, leader):
        assert "2021年第三季度报送情况" in html and "已提交 1" in html
        assert '<span class="unit-record-name">市科技局</span>' in html
        assert (
            '<span class="unit-record-name">各县（市）区政府</span>' not in html
        )  # members report
        assert '<span class="unit-record-name">包河区政府</span>' in html
    assert 'class="state state-draft"' in office
    assert 'class="state state-draft"' not in leader  # the leader never sees drafts


# --- escaping ---------------------------------------------------------------------------------


def test_a_script_typed_into_any_field_shows_as_text_everywhere(people, period) -> None:
    hostile = {"status": "on_track", "percent": 10, "narrative": XSS, "problems": XSS}
    with only_open("2021Q2") as earlier:
        draft(people, earlier, **hostile)
    report = submitted(people, period, **hostile | {"next_steps": XSS})
    co = submitted(people, period, who="fgw_reporter", unit="市发改委", **hostile)
    svc.report_return(actor=people["kjj_approver"], report=report, comment=XSS)
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    svc.report_approve(actor=people["kjj_approver"], report=report, comment=XSS)
    task = report.assignment.task
    pages = {
        "kjj_reporter": ["/my/", f"/reports/{report.pk}/", f"/plan/tasks/{task.pk}/"],
        "office": ["/review/", f"/reports/{report.pk}/", f"/reports/{co.pk}/", "/periods/2021Q3/"],
        "leader": [f"/reports/{report.pk}/", f"/plan/tasks/{task.pk}/"],
    }
    for who, paths in pages.items():
        client = login(people[who])
        for path in paths:
            response = client.get(path)
            assert response.status_code == 200, (who, path)
            assert "<script>alert" not in text(response), (who, path)
    assert "&lt;script&gt;" in text(login(people["office"]).get("/review/"))
    svc.report_return(actor=people["office"], report=report, comment=XSS)
    reporter = login(people["kjj_reporter"])
    for path in [f"/reports/{report.pk}/", f"/reports/{report.pk}/edit/"]:
        html = text(reporter.get(path))
        assert "<script>alert" not in html
        assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;") >= 4, path
    response = reporter.post(
        f"/reports/{report.pk}/edit/", form_data(report, percent="999", narrative=XSS)
    )
    assert response.status_code == 400 and "<script>alert" not in text(response)
