"""Annual work arrangements (年度工作安排): the milestone services and who may use them, the
pages, the API, and the query counts of the lists that show milestones and lights."""

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.milestones import services as svc
from tasks.milestones.selectors import (
    arrangements_awaiting,
    confirmation_queue,
    milestones_due_for_unit,
)
from tasks.models import Assignment, Milestone, MilestoneState
from tests.plan.factories import add_tasks, assignment_of
from units.models import Unit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FROZEN = "2021-09-15 10:00 +0800"


def pdf(name: str = "验收报告.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def fields(error: pytest.ExceptionInfo) -> set[str]:
    return set(error.value.extra.get("fields", {}))


def create(people, seq=1, unit="市科技局", who="office", unit_obj=None, **kw):
    """A milestone of task ``seq``'s assignment to ``unit``, owed by ``unit_obj`` if given."""
    if unit_obj is not None:
        kw["unit"] = unit_obj
    kw.setdefault("title", "完成实施方案编制")
    kw.setdefault("due_date", date(2021, 6, 30))
    return svc.milestone_create(actor=people[who], assignment=assignment_of(seq, unit), **kw)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def text(response) -> str:
    assert response.status_code == 200, response.content[:400]
    return response.content.decode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


# --- arranging ---------------------------------------------------------------------------------


def test_the_office_sets_a_milestone_and_it_counts_at_once(people) -> None:
    m = create(people, title="  完成实施方案   编制 ")
    assert m.arrangement_confirmed and m.state == MilestoneState.PENDING
    assert (m.title, m.year, m.unit.name, m.created_by) == (
        "完成实施方案 编制",
        2021,
        "市科技局",
        people["office"],
    )


def test_the_lead_unit_proposes_for_any_unit_of_its_task_and_the_office_confirms(people) -> None:
    m = create(people, unit="市发改委", who="kjj_reporter")  # 市科技局 leads task 1
    assert not m.arrangement_confirmed and m.unit.name == "市发改委"
    assert list(arrangements_awaiting()) == [m]
    with pytest.raises(NotPermittedError):
        svc.milestone_confirm_arrangement(actor=people["kjj_approver"], milestone=m)
    svc.milestone_confirm_arrangement(actor=people["office"], milestone=m)
    m.refresh_from_db()
    assert m.arrangement_confirmed and not arrangements_awaiting().exists()
    with pytest.raises(ApplicationError, match="已经确认过"):
        svc.milestone_confirm_arrangement(actor=people["office"], milestone=m)


@pytest.mark.parametrize("who", ["fgw_reporter", "other_reporter", "leader"])
def test_co_units_other_units_and_the_leader_may_not_arrange(people, who) -> None:
    with pytest.raises(NotPermittedError) as error:
        create(people, unit="市发改委", who=who)
    assert fields(error) == {"assignment"}
    assert not Milestone.objects.exists()


def test_arrangement_input_errors_name_their_fields(people) -> None:
    with pytest.raises(ApplicationError) as error:
        create(people, title=" ", due_date=None)
    assert fields(error) == {"title", "due_date"}
    with pytest.raises(ApplicationError, match="2020–2023") as error:
        create(people, due_date=date(2025, 3, 31))
    assert fields(error) == {"due_date"}
    with pytest.raises(ApplicationError, match="不承担这项分工") as error:
        create(people, unit="市科技局", unit_obj=Unit.objects.get(name="市统计局"))
    assert fields(error) == {"unit"}


def test_a_groups_milestone_is_owed_by_one_of_its_members(people) -> None:
    assignment = Assignment.objects.filter(
        unit__kind="group", unit__members__isnull=False, task__isnull=False
    ).first()
    assert assignment is not None
    member = assignment.unit.members.first()
    with pytest.raises(ApplicationError, match="单位集合") as error:
        svc.milestone_create(
            actor=people["office"],
            assignment=assignment,
            title="建成平台",
            due_date=date(2021, 6, 1),
        )
    assert fields(error) == {"unit"}
    m = svc.milestone_create(
        actor=people["office"],
        assignment=assignment,
        title="建成平台",
        due_date=date(2021, 6, 1),
        unit=member,
    )
    assert m.unit == member


def test_the_lead_unit_edits_and_withdraws_its_proposal_only_until_confirmed(people) -> None:
    m = create(people, who="kjj_reporter")
    svc.milestone_update(actor=people["kjj_approver"], milestone=m, due_date=date(2022, 3, 31))
    m.refresh_from_db()
    assert (m.due_date, m.year) == (date(2022, 3, 31), 2022)
    with pytest.raises(NotPermittedError):
        svc.milestone_update(actor=people["fgw_reporter"], milestone=m, title="改")
    svc.milestone_confirm_arrangement(actor=people["office"], milestone=m)
    with pytest.raises(NotPermittedError, match="已经领导小组办公室确认"):
        svc.milestone_update(actor=people["kjj_reporter"], milestone=m, title="改")
    with pytest.raises(NotPermittedError):
        svc.milestone_delete(actor=people["kjj_reporter"], milestone=m)
    svc.milestone_update(actor=people["office"], milestone=m, title="完成实施方案修订")
    svc.milestone_delete(actor=people["office"], milestone=m)
    assert not Milestone.objects.exists()
    proposal = create(people, who="kjj_reporter")
    svc.milestone_delete(actor=people["kjj_reporter"], milestone=proposal)
    assert not Milestone.objects.exists()


# --- done and confirmed ------------------------------------------------------------------------


def test_the_owing_unit_marks_done_with_a_note_and_a_file_and_the_office_confirms(
    people, media
) -> None:
    m = create(people)
    with pytest.raises(ApplicationError, match="完成情况") as error:
        svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=m, note="  ")
    assert fields(error) == {"note"}
    svc.milestone_mark_done(
        actor=people["kjj_reporter"], milestone=m, note="实施方案已印发。", upload=pdf()
    )
    m.refresh_from_db()
    assert m.state == MilestoneState.DONE and m.done_at and m.done_by == people["kjj_reporter"]
    assert (m.file_name, m.file_type) == ("验收报告.pdf", "application/pdf")
    assert (media / m.file.name).read_bytes() == PDF and "验收" not in m.file.name
    assert list(confirmation_queue()) == [m]
    with pytest.raises(ApplicationError, match="不能再标记完成"):
        svc.milestone_mark_done(actor=people["kjj_approver"], milestone=m, note="再次")
    with pytest.raises(NotPermittedError):
        svc.milestone_confirm(actor=people["kjj_approver"], milestone=m)
    svc.milestone_confirm(actor=people["office"], milestone=m, comment="材料齐全。")
    m.refresh_from_db()
    assert m.state == MilestoneState.CONFIRMED and m.confirmed_by == people["office"]
    with pytest.raises(ApplicationError, match="不在待确认之列"):
        svc.milestone_reject(actor=people["office"], milestone=m, comment="晚了")


def test_the_office_sends_a_milestone_back_with_a_comment(people) -> None:
    m = create(people)
    svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=m, note="已完成。")
    with pytest.raises(ApplicationError) as error:
        svc.milestone_reject(actor=people["office"], milestone=m, comment=" ")
    assert fields(error) == {"comment"}
    svc.milestone_reject(actor=people["office"], milestone=m, comment="请补充印发文件。")
    m.refresh_from_db()
    assert (m.state, m.done_at, m.review_comment) == ("pending", None, "请补充印发文件。")
    assert m.done_note == "已完成。"  # kept for the next try
    svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=m, note="已补充。")
    m.refresh_from_db()
    assert m.state == MilestoneState.DONE


def test_only_the_owing_units_staff_mark_done_and_only_confirmed_arrangements(people) -> None:
    m = create(people, unit="市发改委")
    for who in ("kjj_reporter", "office", "leader", "other_reporter"):
        with pytest.raises(NotPermittedError, match="市发改委"):
            svc.milestone_mark_done(actor=people[who], milestone=m, note="已完成。")
    proposal = create(people, unit="市发改委", who="kjj_reporter")
    with pytest.raises(ApplicationError, match="确认安排后"):
        svc.milestone_mark_done(actor=people["fgw_reporter"], milestone=proposal, note="已完成。")
    svc.milestone_mark_done(actor=people["fgw_approver"], milestone=m, note="已完成。")


def test_a_refused_file_leaves_nothing_behind(people, media) -> None:
    m = create(people)
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ApplicationError) as error:
        svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=m, note="完成", upload=fake)
    assert fields(error) == {"file"}
    m.refresh_from_db()
    assert m.state == MilestoneState.PENDING and not m.file
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_what_a_unit_owes_this_quarter_or_late(people) -> None:
    late = create(people, due_date=date(2021, 3, 31))
    due = create(people, due_date=date(2021, 9, 30))
    create(people, due_date=date(2021, 12, 31))  # next quarter
    create(people, due_date=date(2021, 8, 31), who="kjj_reporter")  # not confirmed
    done = create(people, due_date=date(2021, 7, 31))
    svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=done, note="完成")
    kjj = Unit.objects.get(name="市科技局")
    assert milestones_due_for_unit(kjj, by=date(2021, 9, 30)) == [late, due]
    with time_machine.travel(FROZEN, tick=False):
        assert milestones_due_for_unit(kjj) == [late, due]


# --- pages ---------------------------------------------------------------------------------------


def test_unit_staff_see_their_units_milestones_by_year_and_mark_one_done(people, media) -> None:
    mine = create(people, title="建成测试平台并试运行")
    create(people, unit="市发改委", title="形成年度总结报告")
    client = login(people["kjj_reporter"])
    html = text(client.get("/milestones/"))
    assert "2021 年" in html and "建成测试平台并试运行" in html
    assert "形成年度总结报告" not in html  # another unit's
    page = text(client.get(f"/milestones/{mine.pk}/"))
    assert 'id="done"' in page and 'enctype="multipart/form-data"' in page
    response = client.post(f"/milestones/{mine.pk}/done/", {"note": ""})
    assert response.status_code == 400 and "必须填写完成情况" in response.content.decode()
    response = client.post(
        f"/milestones/{mine.pk}/done/", {"note": "平台已试运行。", "file": pdf()}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.state == MilestoneState.DONE and mine.file_name == "验收报告.pdf"


def test_the_office_confirms_rejects_and_confirms_arrangements_on_the_list(people) -> None:
    done = create(people, title="完成实施方案编制")
    svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=done, note="已印发。")
    proposal = create(people, who="kjj_reporter", title="召开工作推进会")
    client = login(people["office"])
    html = text(client.get("/milestones/"))
    assert "待确认完成" in html and f'id="queue-{done.pk}"' in html
    assert f'id="awaiting-{proposal.pk}"' in html
    response = client.post(f"/milestones/{done.pk}/reject/", {"comment": ""})
    assert response.status_code == 400 and "退回时必须填写意见" in response.content.decode()
    assert client.post(f"/milestones/{done.pk}/confirm/", {"next": "/milestones/"})["Location"] == (
        "/milestones/"
    )
    assert client.post(f"/milestones/{proposal.pk}/confirm-arrangement/").status_code == 302
    done.refresh_from_db()
    proposal.refresh_from_db()
    assert done.state == MilestoneState.CONFIRMED and proposal.arrangement_confirmed
    html = text(client.get("/milestones/", {"state": "confirmed", "year": "2021"}))
    listed = html.split('id="all-head"')[1]
    assert "完成实施方案编制" in listed and "召开工作推进会" not in listed
    assert "筛选条件有误" in text(client.get("/milestones/", {"year": "abc"}))


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("fgw_reporter", 200),  # the owing unit
        ("kjj_reporter", 200),  # the lead unit of task 1
        ("office", 200),
        ("leader", 200),
        ("other_reporter", 403),
        ("sfj_reporter", 403),
    ],
)
def test_the_evidence_is_for_the_owing_unit_the_lead_unit_the_office_and_the_leader(
    people, who, status
) -> None:
    m = create(people, unit="市发改委")
    svc.milestone_mark_done(actor=people["fgw_reporter"], milestone=m, note="完成", upload=pdf())
    response = login(people[who]).get(f"/milestones/{m.pk}/file/")
    assert response.status_code == status
    if status == 200:
        assert response.getvalue() == PDF
        assert response["Content-Type"] == "application/pdf"
    assert login(people[who]).get(f"/milestones/{m.pk}/").status_code == 200  # everyone reads


def test_pages_need_a_login_and_refuse_what_the_role_may_not_do(people) -> None:
    m = create(people)
    assert Client().get("/milestones/").status_code == 302
    assignment = assignment_of(1, "市发改委")
    assert login(people["fgw_reporter"]).get(f"/milestones/new/{assignment.pk}/").status_code == 403
    assert login(people["leader"]).post(f"/milestones/{m.pk}/confirm/").status_code == 403
    assert login(people["fgw_reporter"]).get(f"/milestones/{m.pk}/edit/").status_code == 403
    assert login(people["office"]).get("/milestones/999999/").status_code == 404


def test_the_lead_unit_proposes_from_the_form_and_errors_show_beside_the_fields(people) -> None:
    assignment = assignment_of(1, "市发改委")
    client = login(people["kjj_reporter"])
    html = text(client.get(f"/milestones/new/{assignment.pk}/"))
    assert "提出年度节点" in html and "须经领导小组办公室确认" in html
    response = client.post(
        f"/milestones/new/{assignment.pk}/", {"title": "", "due_date": "2030-01-01"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="title-error"' in body and 'id="due_date-error"' in body and "2020–2023" in body
    unit = Unit.objects.get(name="市发改委")
    response = client.post(
        f"/milestones/new/{assignment.pk}/",
        {"title": "建成测试平台", "due_date": "2022-06-30", "unit": unit.pk},
    )
    assert response.status_code == 302 and response["Location"].endswith("#milestones")
    m = Milestone.objects.get()
    assert not m.arrangement_confirmed and m.unit == unit


@time_machine.travel("2021-09-15 10:00 +0800", tick=False)
def test_the_task_page_shows_milestones_and_lights_from_facts(people, period) -> None:
    create(people, unit="市发改委", title="完成算力平台选址", due_date=date(2021, 7, 1))
    task = assignment_of(1, "市科技局").task
    assert task is not None
    html = text(login(people["leader"]).get(f"/plan/tasks/{task.pk}/"))
    section = html.split('id="milestones"')[1].split("</section>")[0]
    assert "年度工作安排" in section and "完成算力平台选址" in section
    assert "2021年第三季度任务灯" in section and "红灯" in section  # 76 days overdue
    assert "节点逾期 76 天" in section and "自报：未报送" in section
    assert "添加节点" not in section and "提出节点" not in section
    assert "添加节点" in text(login(people["office"]).get(f"/plan/tasks/{task.pk}/"))
    assert "提出节点" in text(login(people["kjj_reporter"]).get(f"/plan/tasks/{task.pk}/"))
    assert "提出节点" not in text(login(people["fgw_reporter"]).get(f"/plan/tasks/{task.pk}/"))


@time_machine.travel("2021-09-15 10:00 +0800", tick=False)
def test_my_tasks_shows_the_computed_light_the_self_report_and_what_is_due(people, period) -> None:
    from tasks.reporting import services as reporting

    report = reporting.report_start(
        actor=people["kjj_reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="按计划推进。",
    )
    reporting.report_submit(actor=people["kjj_reporter"], report=report)
    late = create(people, title="完成模型框架设计", due_date=date(2021, 8, 1))
    html = text(login(people["kjj_reporter"]).get("/my/"))
    row = re.search(
        r'<article class="duty-row[^"]*" data-code="3\.1\.1">(.*?)</article>', html, re.S
    )
    assert row is not None
    assert "红灯" in row[1] and "自报：按计划推进" in row[1] and "节点逾期 45 天" in row[1]
    due = html.split('id="due-milestones"')[1].split("</section>")[0]
    assert "完成模型框架设计" in due and f'href="/milestones/{late.pk}/#done"' in due


# --- API -----------------------------------------------------------------------------------------


def test_the_api_lists_milestones_with_their_facts_and_filters(people) -> None:
    m = create(people)
    create(people, unit="市发改委", due_date=date(2022, 3, 31))
    api = api_for(people["kjj_reporter"])
    body = api.get("/api/milestones/").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert first["id"] == m.pk and first["task"]["code"] == "3.1.1"
    assert first["unit"] == {"id": m.unit_id, "name": "市科技局"}
    assert first["state"] == "pending" and first["state_label"] == "未完成"
    assert first["arrangement_confirmed"] is True and first["file"] is None
    assert first["overdue_days"] > 0  # 2021 is long past
    assert first["allowed_actions"] == ["mark_done"]
    fgw = Unit.objects.get(name="市发改委")
    for query, count in [
        ({"unit": fgw.pk}, 1),
        ({"year": 2021}, 1),
        ({"task": m.assignment.task_id}, 2),
        ({"assignment": m.assignment_id}, 1),
        ({"state": "done"}, 0),
        ({"overdue": "true"}, 2),
        ({"overdue": "false"}, 0),
    ]:
        assert api.get("/api/milestones/", query).json()["count"] == count, query
    response = api.get("/api/milestones/", {"year": "abc", "state": "finished"})
    assert response.status_code == 400
    assert set(response.json()["extra"]["fields"]) == {"year", "state"}
    assert api.get(f"/api/milestones/{m.pk}/").json()["title"] == "完成实施方案编制"
    assert api.get("/api/milestones/99999999/").status_code == 404


def test_the_api_arranges_marks_done_confirms_and_rejects(people) -> None:
    assignment = assignment_of(1, "市科技局")
    lead = api_for(people["kjj_reporter"])
    office = api_for(people["office"])
    response = lead.post(
        "/api/milestones/",
        {"assignment": assignment.pk, "title": "", "due_date": "2021-06-30"},
        format="json",
    )
    assert response.status_code == 400 and set(response.json()["extra"]["fields"]) == {"title"}
    response = lead.post(
        "/api/milestones/",
        {"assignment": assignment.pk, "title": "完成实施方案编制", "due_date": "2021-06-30"},
        format="json",
    )
    assert response.status_code == 201
    m = response.json()
    assert m["arrangement_confirmed"] is False and set(m["allowed_actions"]) == {"update", "delete"}
    response = api_for(people["fgw_reporter"]).post(
        "/api/milestones/",
        {"assignment": assignment.pk, "title": "x", "due_date": "2021-06-30"},
        format="json",
    )
    assert response.status_code == 403 and "assignment" in response.json()["extra"]["fields"]
    response = lead.patch(f"/api/milestones/{m['id']}/", {"state": "done"}, format="json")
    assert response.status_code == 400 and "state" in response.json()["extra"]["fields"]
    url = f"/api/milestones/{m['id']}/"
    assert lead.post(url + "mark-done/", {"note": "x"}, format="json").status_code == 400
    assert office.post(url + "confirm-arrangement/").json()["arrangement_confirmed"] is True
    response = lead.post(url + "mark-done/", {"note": ""}, format="json")
    assert response.status_code == 400 and set(response.json()["extra"]["fields"]) == {"note"}
    response = lead.post(
        url + "mark-done/", {"note": "已印发。", "file": pdf()}, format="multipart"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "done" and body["file"]["name"] == "验收报告.pdf"
    assert api_for(people["leader"]).get(body["file"]["url"]).status_code == 200
    assert api_for(people["other_reporter"]).get(body["file"]["url"]).status_code == 403
    response = office.post(url + "reject/", {"comment": ""}, format="json")
    assert response.status_code == 400 and set(response.json()["extra"]["fields"]) == {"comment"}
    assert office.post(url + "reject/", {"comment": "请补充。"}, format="json").json()["state"] == (
        "pending"
    )
    lead.post(url + "mark-done/", {"note": "已补充。"}, format="json")
    assert office.post(url + "confirm/", {}, format="json").json()["state"] == "confirmed"
    assert lead.delete(url).status_code == 403
    assert office.delete(url).status_code == 204
    assert not Milestone.objects.exists()


# --- query counts ---------------------------------------------------------------------------------


def count_queries(client: Client | APIClient, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def add_milestones(people, n: int) -> None:
    kjj = Unit.objects.get(name="市科技局")
    for i, task in enumerate(add_tasks(n)):
        a = task.assignments.create(unit=kjj, role="co", order=9)
        m = svc.milestone_create(
            actor=people["office"], assignment=a, title=f"节点{i}", due_date=date(2021, 3, 31)
        )
        if i % 2:
            svc.milestone_mark_done(actor=people["kjj_reporter"], milestone=m, note="完成")
        if i % 3 == 0:
            svc.milestone_create(
                actor=people["office"],
                assignment=task.assignments.get(role="lead"),
                title=f"牵头节点{i}",
                due_date=date(2021, 6, 30),
            )


@pytest.mark.parametrize(
    ("who", "paths"),
    [
        ("office", ["/milestones/", "/milestones/?overdue=true&year=2021", "/api/milestones/"]),
        ("kjj_reporter", ["/milestones/", "/milestones/?all=1", "/api/milestones/?overdue=true"]),
        ("leader", ["/milestones/"]),
    ],
)
def test_the_milestone_lists_take_the_same_number_of_queries_at_two_sizes(
    people, who, paths
) -> None:
    client = login(people[who])
    add_milestones(people, 2)
    small = [count_queries(client, p) for p in paths]
    add_milestones(people, 15)
    assert Milestone.objects.count() > 20
    assert [count_queries(client, p) for p in paths] == small


def test_the_work_list_and_the_task_page_take_the_same_number_of_queries_at_two_sizes(
    people, period
) -> None:
    client = login(people["kjj_reporter"])
    task = assignment_of(1, "市科技局").task
    assert task is not None
    create(people)
    paths = ["/my/", f"/plan/tasks/{task.pk}/"]
    small = [count_queries(client, p) for p in paths]
    add_milestones(people, 12)
    for i in range(6):
        create(people, unit="市发改委", title=f"配合节点{i}", who="kjj_reporter")
        create(people, title=f"主节点{i}", due_date=date(2021, 8, i + 1))
    html = text(client.get("/my/"))
    assert html.count('class="ms-row') > 12
    assert [count_queries(client, p) for p in paths] == small
