"""The import pages as the office uses them: upload, the preview with its unit mapping, publish;
a bad file or a bad form answered with the problems in Chinese and nothing written."""

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from reports.annual.selectors import annual_year
from reports.annual.workbook import workbook_build
from tasks.models import Assignment, Plan, Task
from tests.plan_import.helpers import as_bytes, small_workbook
from units.models import Unit, User

pytestmark = pytest.mark.django_db


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    return response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")


def upload(client: Client, data: bytes, name: str = "附件1.xlsx") -> Any:
    return client.post("/plans/import/", {"file": SimpleUploadedFile(name, data)})


def publish_data(response: Any, **values: Any) -> dict[str, Any]:
    form = response.context["form"]
    data = {
        "token": response.context["preview"].token,
        "code": "hefei-ai-2024-2026",
        "name": form.initial["name"],
        "short_name": "",
        "start_year": form.initial["start_year"],
        "end_year": form.initial["end_year"],
    }
    data.update(values)
    return data


def test_the_office_uploads_previews_maps_the_unknown_unit_and_publishes(people) -> None:
    client = login(people["office"])
    page = client.get("/plans/import/")
    assert page.status_code == 200 and "主要任务 | 主要内容 | 责任单位 | 备注" in text(page)
    preview = upload(client, as_bytes(small_workbook()))
    assert preview.status_code == 200
    body = text(preview)
    assert "3 个板块、3 个条目、5 项任务" in body
    assert "1 个平台尚未登记" in body and "新区管委会" in body
    assert 'value="合肥市通用人工智能创新发展实施方案（2024-2026年）"' in body
    assert 'value="plan-2024-2026"' in body  # the code prefilled from the years
    assert not Plan.objects.filter(code="hefei-ai-2024-2026").exists()  # a preview writes nothing
    done = client.post("/plans/import/publish/", publish_data(preview, unit_0="new:devzone"))
    assert done.status_code == 200, text(done)[:2000]
    assert "方案已发布" in text(done) and "新区管委会（开发区管委会）" in text(done)
    plan = Plan.objects.get(code="hefei-ai-2024-2026")
    assert Task.objects.filter(plan=plan).count() == 5 and not plan.is_current
    again = client.post("/plans/import/publish/", publish_data(preview, unit_0="new:devzone"))
    assert again.status_code == 400 and "预览已过期或方案已发布" in text(again)


def test_mapping_to_an_existing_unit_from_the_preview(people) -> None:
    client = login(people["office"])
    preview = upload(client, as_bytes(small_workbook()))
    kjj = Unit.objects.get(name="市科技局")
    done = client.post("/plans/import/publish/", publish_data(preview, unit_0=str(kjj.pk)))
    assert done.status_code == 200
    task = Task.objects.get(plan__code="hefei-ai-2024-2026", code="3.2.1")
    assert list(task.assignments.order_by("order").values_list("unit__name", flat=True)) == [
        "市经信局",
        "各县（市）区政府",
        "市科技局",
    ]


def test_an_unmapped_unit_or_a_taken_code_keeps_the_preview_with_the_message(people) -> None:
    client = login(people["office"])
    preview = upload(client, as_bytes(small_workbook()))
    before = Assignment.objects.count(), Plan.objects.count(), Unit.objects.count()
    response = client.post("/plans/import/publish/", publish_data(preview))
    assert response.status_code == 400
    assert "请为“新区管委会”选择现有单位或新建单位。" in text(response)
    response = client.post(
        "/plans/import/publish/",
        publish_data(preview, code="hefei-ai-2020-2023", unit_0="new:devzone", end_year=2020),
    )
    assert response.status_code == 400
    assert "方案代码“hefei-ai-2020-2023”已被使用" in text(response)
    assert "截止年份不能早于起始年份。" in text(response)
    assert (Assignment.objects.count(), Plan.objects.count(), Unit.objects.count()) == before
    # the preview is still there: correct and publish
    done = client.post("/plans/import/publish/", publish_data(preview, unit_0="new:devzone"))
    assert done.status_code == 200


def test_a_bad_workbook_lists_its_problems_by_row_and_nothing_is_kept(people) -> None:
    client = login(people["office"])
    rows = [["（一）板块", "没有责任单位的任务。", None, None]]
    response = upload(client, as_bytes(small_workbook(rows)))
    assert response.status_code == 400
    assert "第3行 C列（责任单位）：责任单位为空" in text(response)
    response = upload(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "旧.xls")
    assert response.status_code == 400 and "另存为” .xlsx" in text(response)
    response = client.post("/plans/import/", {})
    assert response.status_code == 400 and "请选择要上传的文件。" in text(response)


def test_an_upload_over_the_limit_is_refused_before_it_is_read(people, settings) -> None:
    settings.IMPORT_MAX_BYTES = 1024
    client = login(people["office"])
    response = upload(client, b"PK\x03\x04" + b"0" * (2 * 1024 * 1024))
    assert response.status_code == 413 and "上限" in text(response)


def test_only_the_office_sees_the_import_and_the_menu_link(people) -> None:
    for who in ("kjj_reporter", "kjj_approver", "leader"):
        client = login(people[who])
        assert client.get("/plans/import/").status_code == 403
        assert upload(client, as_bytes(small_workbook())).status_code == 403
        assert "导入新方案" not in text(client.get("/plan/"))
    assert "导入新方案" in text(login(people["office"]).get("/plan/"))


def test_the_preview_page_costs_the_same_queries_for_5_tasks_and_for_57(people) -> None:
    client = login(people["office"])
    seed = Plan.objects.get(code="hefei-ai-2020-2023")
    annual = load_workbook(io.BytesIO(workbook_build(annual_year(2021, seed))))
    ws = annual["主要任务分工"]
    ws["C5"] = f"{ws['C5'].value}、新区管委会"  # one unknown unit in each workbook
    counts = []
    for data in (as_bytes(small_workbook()), as_bytes(annual)):
        with CaptureQueriesContext(connection) as queries:
            assert upload(client, data).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
