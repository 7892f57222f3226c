"""A meeting's decisions registered together: pasted lines (numbering stripped, empty lines
ignored, unit names recognised) or an Excel sheet (headers recognised, unknown ones refused, bad
rows named), reviewed, then issued together in one transaction: a problem in one row and nothing
is issued, the row named. The office only."""

from collections.abc import Sequence
from datetime import date
from io import BytesIO

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook  # type: ignore[import-untyped]

from tasks.directives.batch.reading import read_paste, strip_numbering
from tasks.models import Directive, DirectiveNumber
from units.models import Unit, User

pytestmark = pytest.mark.django_db
URL = "/directives/batch/"
MEETING = {
    "meeting": "领导小组第三次全体会议",
    "meeting_date": "2023-09-20",
    "minutes": "会议听取了各单位工作汇报。",
    "default_due": "10",
}
PASTED = """1. 市科技局牵头，会同市发改委研究出台算力券兑付办法。

（二）市数据资源局负责推进公共数据开放，各县（市）区政府配合。
三、加强人工智能人才引进。
"""


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def xlsx(rows: list[list[object]]) -> BytesIO:
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "议定事项.xlsx"
    return out


def issue_data(rows: list[dict], **meeting) -> dict:
    data = {"action": "issue", **MEETING, **meeting}
    data.update({"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows))})
    for i, row in enumerate(rows):
        for key, value in row.items():
            if key == "chosen" and not value:
                continue
            data[f"form-{i}-{key}"] = "on" if key == "chosen" else value
    return data


def row(title: str, lead: str | None, due: str = "", co: Sequence[str] = (), n: int = 1) -> dict:
    return {
        "chosen": True,
        "number": str(n),
        "title": title,
        "requirement": f"{title}，按期报送进展。",
        "lead": str(unit(lead).pk) if lead else "",
        "co": [str(unit(c).pk) for c in co],
        "due": due,
    }


def test_numbering_is_stripped_and_units_recognised(db) -> None:
    assert strip_numbering("1. 推进") == "推进"
    assert strip_numbering("（一）推进") == "推进"
    assert strip_numbering("一、推进") == "推进"
    assert strip_numbering("①推进") == "推进"
    assert strip_numbering("12、推进") == "推进"
    assert strip_numbering("2023年推进") == "2023年推进"
    rows = read_paste(PASTED)
    assert [r.number for r in rows] == [1, 3, 4]
    assert rows[0].requirement.startswith("市科技局牵头")
    assert rows[0].lead and rows[1].lead
    assert (rows[0].lead.name, [u.name for u in rows[0].co]) == ("市科技局", ["市发改委"])
    assert rows[1].lead.name == "市数据资源局"
    assert [u.name for u in rows[1].co] == ["各县（市）区政府"]
    assert rows[2].lead is None and "未识别出牵头单位" in rows[2].notes[0]


def test_the_office_pastes_reviews_and_issues_the_list(people) -> None:
    client = login(people["office"])
    page = client.post(URL, {"action": "read", **MEETING, "decisions": PASTED})
    assert page.status_code == 200
    body = page.content.decode()
    assert "核对议定事项" in body and "共 3 条" in body and "未识别出牵头单位" in body
    kjj = unit("市科技局")
    assert f'<option value="{kjj.pk}" selected>市科技局</option>' in body
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        done = client.post(
            URL,
            issue_data(
                [
                    row("研究出台算力券兑付办法", "市科技局", co=["市发改委"], n=1),
                    row("推进公共数据开放", "市数据资源局", due="2023-12-29", n=3),
                    row("加强人才引进", None, n=4) | {"chosen": False},
                ]
            ),
        )
    assert done.status_code == 302
    items = list(Directive.objects.order_by("seq"))
    assert [d.number for d in items] == ["合智督〔2023〕1号", "合智督〔2023〕2号"]
    first, second = items
    assert first.source == "meeting" and first.source_meeting == MEETING["meeting"]
    assert first.source_date == date(2023, 9, 20)
    assert first.source_text == MEETING["minutes"]
    assert first.due_date == date(2023, 10, 17)  # the default: 10 working days over the holiday
    assert second.due_date == date(2023, 12, 29)
    assert [u.unit.name for u in first.units.all()] == ["市科技局", "市发改委"]
    assert "已交办 2 项会议议定事项" in client.get(URL).content.decode()


def test_one_bad_row_and_nothing_is_issued_the_row_named(people) -> None:
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        response = login(people["office"]).post(
            URL,
            issue_data(
                [
                    row("研究出台算力券兑付办法", "市科技局", n=1),
                    row("推进公共数据开放", None, n=2),
                ]
            ),
        )
    assert response.status_code == 400
    body = response.content.decode()
    assert "第 2 条“推进公共数据开放”：请选择牵头单位。" in body
    assert "未交办任何事项" in body
    assert not Directive.objects.exists()
    assert not DirectiveNumber.objects.filter(last__gt=0).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decisions": "\n\n  \n"}, "请粘贴议定事项"),
        ({"decisions": "1. 推进", "meeting": ""}, "请填写会议名称"),
        ({"decisions": "1. 推进", "default_due": "下个月"}, "办结时限应为"),
        ({"decisions": "1. 推进", "meeting_date": "2023-13-45"}, "会议日期格式"),
        ({"decisions": "\n".join(f"{i}. 事项" for i in range(1, 102))}, "一次最多登记 100 条"),
    ],
)
def test_bad_input_on_the_first_step_is_named(people, data, message) -> None:
    response = login(people["office"]).post(URL, {"action": "read", **MEETING, **data})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_an_excel_sheet_is_read_with_its_headers_in_any_order(people) -> None:
    book = xlsx(
        [
            ["牵头单位", "事项", "办结时限", "配合单位", "要求"],
            ["市科技局", "1. 出台算力券办法", 15, "市发改委、市财政局", "年底前出台。"],
            [None, None, None, None, None],
            ["市数据资源局", "公共数据开放", date(2023, 12, 29), "", ""],
            ["某某局", "人才引进", "20个工作日", "不存在局", ""],
        ]
    )
    response = login(people["office"]).post(URL, {"action": "read", **MEETING, "file": book})
    assert response.status_code == 200, response.content.decode()
    body = response.content.decode()
    assert "共 3 条" in body
    assert "出台算力券办法" in body and "年底前出台。" in body
    assert 'value="2023-12-29"' in body and 'value="20个工作日"' in body
    assert "牵头单位“某某局”未识别" in body and "配合单位“不存在局”未识别" in body
    fgw = unit("市发改委")
    assert f'<option value="{fgw.pk}" selected>市发改委</option>' in body


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([["事项", "责任人"], ["推进", "张三"]], "表头“责任人”不认识"),
        ([["牵头单位", "要求"], ["市科技局", "推进"]], "缺少“事项”列"),
        ([["事项", "牵头单位"], [None, "市科技局"], ["推进", "市科技局"]], "第2行 ：“事项”为空"),
        ([["事项", "办结时限"], ["推进", "下个月"]], "第2行 ：办结时限“下个月”应为"),
        ([["事项"]], "没有读到议定事项"),
    ],
)
def test_bad_sheets_are_refused_with_the_row_named(people, rows, message) -> None:
    response = login(people["office"]).post(URL, {"action": "read", **MEETING, "file": xlsx(rows)})
    assert response.status_code == 400
    assert message.replace(" ：", "：") in response.content.decode().replace(" ：", "：")


def test_a_file_that_is_not_xlsx_is_refused(people) -> None:
    pdf = BytesIO(b"%PDF-1.4\n%%EOF\n")
    pdf.name = "纪要.pdf"
    response = login(people["office"]).post(URL, {"action": "read", **MEETING, "file": pdf})
    assert response.status_code == 400 and "这是 PDF 文件" in response.content.decode()
    both = xlsx([["事项"], ["推进"]])
    response = login(people["office"]).post(
        URL, {"action": "read", **MEETING, "file": both, "decisions": "1. 推进"}
    )
    assert response.status_code == 400 and "二选一" in response.content.decode()


@pytest.mark.parametrize("who", ["kjj_reporter", "kjj_approver", "leader"])
def test_only_the_office_registers_a_meeting(people, who) -> None:
    client = login(people[who])
    assert client.get(URL).status_code == 403
    response = client.post(URL, issue_data([row("推进", "市科技局")]))
    assert response.status_code == 403
    assert not Directive.objects.exists()
    assert login(None).get(URL).status_code == 302
    assert login(people["admin"]).get(URL).status_code == 200


def _review_queries(client: Client, n: int) -> int:
    lines = "\n".join(f"{i}. 市科技局牵头推进第{i}项工作。" for i in range(1, n + 1))
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(URL, {"action": "read", **MEETING, "decisions": lines})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_review_list_query_count_does_not_grow_with_the_rows(people) -> None:
    client = login(people["office"])
    assert _review_queries(client, 2) == _review_queries(client, 30)
