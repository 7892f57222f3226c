"""The reporting loop in a real browser: a bureau reports, its approver approves from 待我审核,
the office returns it with a comment, the reporter fixes and resubmits (the approver and the
office see what changed since), the office accepts and closes the period after its confirmation
page, the leader reads it. Each step is photographed on a desktop and on a 390-pixel phone
(test-artifacts/)."""

import re
from datetime import date

import pytest

from tasks.models import Milestone, Plan, ProgressReport, ReportingPeriod, ReportState, Task
from tasks.reporting import services as svc
from tests.e2e.browser import DESKTOP, PHONE, new_page_logged_in
from tests.plan.factories import assignment_of
from tests.units.factories import make_user
from units.models import Role, User

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def person(username: str, role: str, unit: str | None, family: str, given: str) -> User:
    user = make_user(username, role, unit)
    user.last_name, user.first_name = family, given
    user.save()
    return user


@pytest.fixture
def loop_setup(live_plan, settings, tmp_path):
    """Accounts, 2021Q3 open, last quarter's accepted report and a co-unit's report."""
    settings.MEDIA_ROOT = tmp_path
    people = {
        "reporter": person("kjj_tb", Role.REPORTER, "市科技局", "张", "晓明"),
        "approver": person("kjj_sh", Role.APPROVER, "市科技局", "李", "建国"),
        "office": person("dc_office", Role.OFFICE, None, "王", "督查"),
        "leader": person("leader1", Role.LEADER, None, "赵", "主任"),
        "fgw": person("fgw_tb", Role.REPORTER, "市发改委", "陈", "静"),
    }
    svc.periods_ensure(plan=Plan.objects.get(code="hefei-ai-2020-2023"))
    q2, q3 = (ReportingPeriod.objects.get(code=c) for c in ("2021Q2", "2021Q3"))
    q2 = svc.period_open(actor=people["office"], period=q2)
    earlier = svc.report_start(
        actor=people["reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=q2,
        status="on_track",
        percent=20,
        narrative="完成通用人工智能理论研究的调研，形成研究方案。",
        next_steps="组建联合攻关团队。",
    )
    svc.report_submit(actor=people["reporter"], report=earlier)
    svc.report_approve(actor=people["approver"], report=earlier)
    svc.report_accept(actor=people["office"], report=earlier)
    svc.period_close(actor=people["office"], period=q2)
    q3 = svc.period_open(actor=people["office"], period=q3)
    co = svc.report_start(
        actor=people["fgw"],
        assignment=assignment_of(1, "市发改委"),
        period=q3,
        status="on_track",
        percent=50,
        narrative="配合推进算力平台建设，完成项目立项。",
    )
    svc.report_submit(actor=people["fgw"], report=co)
    for seq in (2, 3, 4):  # milestones due this quarter: folded on a phone in 我的任务
        for n, day in enumerate((date(2021, 7, 15), date(2021, 9, 30))):
            a = assignment_of(seq, "市科技局")
            Milestone.objects.create(
                assignment=a, unit=a.unit, year=2021, title=f"阶段节点 {seq}-{n + 1}", due_date=day
            )
    return people


def photograph(page, shot, name: str) -> None:
    """A desktop and a phone picture; on the phone nothing may stick out sideways and the
    Chinese font must be the local one."""
    assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"', '进展报告')")
    shot(page, f"reporting-{name}-desktop")
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name}: the page is {width}px wide on a phone"
    shot(page, f"reporting-{name}-phone")
    page.set_viewport_size(DESKTOP)


def test_a_report_goes_round_the_whole_loop_in_the_browser(
    chromium, live_plan, loop_setup, shot
) -> None:
    from playwright.sync_api import expect

    url = live_plan.url
    row = "article[data-code='3.1.1']"

    # 1. The reporter of 市科技局 opens 我的任务 and starts the report on task 3.1.1.
    reporter = new_page_logged_in(chromium, url, "kjj_tb")
    reporter.click("nav >> text=我的任务")
    reporter.wait_for_url("**/my/")
    expect(reporter.locator(row)).to_contain_text("未填报")
    expect(reporter.locator(row)).to_contain_text("未报送")  # the grey light's name
    expect(reporter.locator("details.due-fold")).to_have_attribute("open", "")  # open on a desktop
    photograph(reporter, shot, "01-my-tasks")
    # on a phone the milestones fold into one line, so the task list starts on the first screen
    reporter.set_viewport_size(PHONE)
    reporter.reload()
    fold = reporter.locator("details.due-fold")
    expect(fold).not_to_have_attribute("open", "")
    expect(fold.locator("summary")).to_contain_text("本季度到期节点 6 个")
    first_row = reporter.locator("article.duty-row").first.bounding_box()
    assert first_row and first_row["y"] < PHONE["height"] - 120, first_row
    shot(reporter, "reporting-01-my-tasks-phone-first-screen")
    reporter.set_viewport_size(DESKTOP)
    reporter.locator(row).get_by_role("button", name=re.compile("填报")).click()
    reporter.wait_for_url(re.compile(r"/reports/\d+/edit/$"))
    expect(reporter.locator("#prev-head")).to_contain_text("2021年第二季度")
    expect(reporter.locator("#partners-head")).to_contain_text("牵头单位汇总")
    expect(reporter.locator("main")).to_contain_text("配合推进算力平台建设")

    # Submitting an empty report says what is missing, next to the fields (htmx, no reload).
    reporter.get_by_role("button", name="提交", exact=True).click()
    expect(reporter.locator("#narrative-error")).to_contain_text("提交前必须填写进展情况")
    expect(reporter.locator("#status-error")).to_contain_text("提交前必须选择进展状态")
    photograph(reporter, shot, "02-form-errors")

    reporter.click("label[for=status-on_track]")
    # a percent below last quarter's (20%) asks for a reason, as it is typed
    expect(reporter.locator("#percent_drop_reason-error")).to_contain_text("低于上期")  # 0%
    reporter.fill("#id_percent", "25")
    expect(reporter.locator("#drop-reason")).to_be_hidden()
    reporter.fill("#id_percent", "15")
    expect(reporter.locator("#drop-reason")).to_be_visible()
    expect(reporter.locator("#drop-reason")).to_contain_text("低于上期（2021年第二季度）报送的 20%")
    reporter.fill("#id_percent", "40")
    expect(reporter.locator("#drop-reason")).to_be_hidden()
    reporter.fill("#id_narrative", "完成通用人工智能理论新模型框架设计，启动可解释性算法研究。")
    reporter.fill("#id_problems", "高端算法人才不足。")
    reporter.fill("#id_next_steps", "开展联合攻关，年底前形成阶段成果。")
    # A file over 20 MB is refused before anything is sent, and the text stays.
    big = {"name": "全部照片.pdf", "mimeType": "application/pdf", "buffer": PDF * 460_000}
    reporter.set_input_files("#id_file", files=[big])
    reporter.get_by_role("button", name="上传", exact=True).click()
    expect(reporter.locator("#upload-feedback")).to_contain_text("超过了 20 MB 的上限")
    expect(reporter.locator("#id_narrative")).to_have_value(re.compile("启动可解释性算法研究"))
    reporter.set_input_files(
        "#id_file", files=[{"name": "阶段成果.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    reporter.get_by_role("button", name="上传", exact=True).click()
    expect(reporter.locator("#report-form")).to_contain_text("文件已上传（第 2 版）")
    expect(reporter.locator(".evidence-box")).to_contain_text("阶段成果.pdf")
    expect(reporter.locator("#id_narrative")).to_have_value(re.compile("启动可解释性算法研究"))
    expect(reporter.locator("#id_narrative")).not_to_have_class(re.compile("is-invalid"))
    expect(reporter.get_by_role("button", name="上传", exact=True)).to_be_enabled()
    reporter.mouse.move(0, 0)
    photograph(reporter, shot, "03-form-filled")
    reporter.get_by_role("button", name="提交", exact=True).click()
    reporter.wait_for_url(re.compile(r"/reports/\d+/$"))
    expect(reporter.locator("main")).to_contain_text("报告已提交，等待审核")
    expect(reporter.locator(".report-head")).to_contain_text("待单位审核")
    report = ProgressReport.objects.get(period__code="2021Q3", unit__name="市科技局")
    assert report.state == ReportState.SUBMITTED and report.evidence.count() == 1
    photograph(reporter, shot, "04-submitted")

    # 2. The approver of 市科技局 lands on 待我审核 (its count in the menu) and opens the report.
    approver = new_page_logged_in(chromium, url, "kjj_sh")
    assert approver.url.endswith("/approvals/")
    expect(approver.locator("nav .nav-count")).to_have_text(re.compile("^1"))
    expect(approver.locator(f"#approval-{report.pk}")).to_contain_text("任务 3.1.1")
    photograph(approver, shot, "05-approvals")
    approver.locator(f"#approval-{report.pk}").get_by_role(
        "link", name=re.compile("任务 3.1.1")
    ).click()
    approver.wait_for_url(f"**/reports/{report.pk}/**")
    expect(approver.locator("#changes-head")).to_contain_text("与上期相比")
    expect(approver.locator(".diff ins").first).to_be_visible()
    photograph(approver, shot, "05-approver")
    approver.get_by_role("button", name=re.compile("审核通过，报送办公室")).click()
    approver.wait_for_url(re.compile(r"/approvals/(#actions)?$"))  # back to the queue, now empty
    expect(approver.locator("main")).to_contain_text("已单位审核通过")
    expect(approver.locator("main")).to_contain_text("目前没有等待您审核的报告")
    assert ProgressReport.objects.get(pk=report.pk).state == ReportState.APPROVED

    # 3. The office returns it from the review queue, with a comment.
    office = new_page_logged_in(chromium, url, "dc_office")
    office.click("nav >> text=审核")
    office.wait_for_url("**/review/")
    item = office.locator(f"#review-{report.pk}")
    expect(item).to_contain_text("市科技局")
    item.get_by_role("button", name=re.compile("退回")).click()
    expect(office.locator(f"#error-{report.pk}")).to_contain_text("退回时必须填写意见")
    office.locator(f"#comment-{report.pk}").fill("请补充量化成果：论文、专利数量和应用案例。")
    photograph(office, shot, "06-review-queue")
    office.locator(f"#review-{report.pk}").get_by_role("button", name=re.compile("退回")).click()
    expect(office.locator("main")).to_contain_text("已退回修改")
    expect(office.locator(f"#review-{report.pk}")).to_have_count(0)

    # 4. The reporter sees the comment, fixes the report and submits it again.
    reporter.goto(f"{url}/my/")
    expect(reporter.locator(row)).to_contain_text("已退回")
    photograph(reporter, shot, "07-my-tasks-returned")
    reporter.locator(row).get_by_role("link", name=re.compile("修改重报")).click()
    reporter.wait_for_url(f"**/reports/{report.pk}/edit/")
    expect(reporter.locator(".returned-note")).to_contain_text("请补充量化成果")
    photograph(reporter, shot, "08-returned-form")
    reporter.fill(
        "#id_narrative",
        "完成通用人工智能理论新模型框架设计，启动可解释性算法研究；"
        "发表论文 3 篇，申请发明专利 2 项。",
    )
    reporter.get_by_role("button", name="提交", exact=True).click()
    reporter.wait_for_url(f"**/reports/{report.pk}/")

    # 5. The approver sees what changed since the return, approves again from the queue; 6. the
    # office sees the same changes and accepts it with the bulk button.
    approver.goto(f"{url}/approvals/")
    item = approver.locator(f"#approval-{report.pk}")
    item.locator("summary", has_text="退回后的修改").click()
    expect(item.locator(".since-return ins")).to_contain_text("发表论文 3 篇")
    photograph(approver, shot, "09-approvals-since-return")
    approver.goto(f"{url}/reports/{report.pk}/")
    expect(approver.locator("#since-return")).to_contain_text("请补充量化成果")
    expect(approver.locator("#since-return ins")).to_contain_text("申请发明专利 2 项")
    approver.get_by_role("button", name=re.compile("审核通过，报送办公室")).click()
    expect(approver.locator(".report-head")).to_contain_text("待办公室审核")
    office.goto(f"{url}/review/")
    expect(office.locator(f"#review-{report.pk} .since-return summary")).to_contain_text(
        "退回后的修改 1 处"
    )
    office.check(f"#pick-{report.pk}")
    office.get_by_role("button", name=re.compile("批量通过所选")).click()
    expect(office.locator("main")).to_contain_text("已批量审核通过 1 份报告")
    photograph(office, shot, "10-accepted")
    office.goto(f"{url}/periods/2021Q3/")
    office.locator("summary", has_text="市科技局").click()
    photograph(office, shot, "11-period")
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED

    # The office closes the period: a confirmation page first says who has not reported.
    office.locator(".page-head").get_by_role("link", name=re.compile("关闭本周期")).click()
    office.wait_for_url("**/periods/2021Q3/close/**")
    expect(office.locator("main")).to_contain_text("项任务没有提交报告")
    photograph(office, shot, "12-close-confirm")
    office.get_by_role("button", name=re.compile("确认关闭")).click()
    office.wait_for_url("**/periods/2021Q3/")
    expect(office.locator("main")).to_contain_text("已关闭2021年第三季度（2021Q3）的报送")
    assert ReportingPeriod.objects.get(code="2021Q3").state == "closed"

    # 7. The leader finds it on the task's page and reads it.
    leader = new_page_logged_in(chromium, url, "leader1")
    task = Task.objects.get(code="3.1.1")
    leader.goto(f"{url}/plan/tasks/{task.pk}/")
    entry = leader.locator(".timeline-report", has_text="市科技局")
    expect(entry.first).to_contain_text("已通过")
    photograph(leader, shot, "13-task-page")
    leader.locator(".report-timeline-period", has_text="2021年第三季度").get_by_role(
        "link", name="市科技局"
    ).click()
    leader.wait_for_url(f"**/reports/{report.pk}/")
    expect(leader.locator("main")).to_contain_text("发表论文 3 篇")
    expect(leader.locator(".flow")).to_contain_text("请补充量化成果")
    assert leader.get_by_role("button", name=re.compile("审核通过")).count() == 0
    photograph(leader, shot, "14-leader")
    for page in (reporter, approver, office, leader):
        page.close()
