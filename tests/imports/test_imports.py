"""The Excel import of progress: a unit downloads its prefilled template, fills it offline and
uploads it; the rows go through the reporting services (versions, ReportVersion rows, the same
rules); every bad file is refused with a Chinese message naming sheet, row and column, and the
database is left exactly as it was; importing the same file twice changes nothing."""

import zipfile
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from tasks.imports.template import FIRST_ROW, HEADER_ROW, HEADERS, MARKER_SHEET, SHEET
from tasks.models import (
    ProgressReport,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
)
from tasks.reporting import services as svc
from tests.plan.factories import assignment_of
from units.models import Unit, User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
COL = {h: i + 1 for i, h in enumerate(HEADERS)}  # header → column number


def login(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def download(client: Client, period: str = "2021Q3", **params: Any) -> Any:
    response = client.get("/imports/template/", {"period": period, **params})
    assert response.status_code == 200, response.content[:500]
    return load_workbook(BytesIO(response.content))


def as_file(wb: Any, name: str = "进展.xlsx") -> SimpleUploadedFile:
    out = BytesIO()
    wb.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def upload(client: Client, file: Any, *, submit: bool = False, period: str = "2021Q3") -> Any:
    if not isinstance(file, SimpleUploadedFile):
        file = as_file(file)
    data: dict[str, Any] = {"period": period, "file": file}
    if submit:
        data["submit"] = "on"
    return client.post("/imports/", data)


def row_of(ws: Any, assignment_id: int) -> int:
    for n in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=n, column=1).value == assignment_id:
            return n
    raise AssertionError(f"no row for assignment {assignment_id}")


def fill(ws: Any, n: int, **values: Any) -> None:
    for header, value in values.items():
        ws.cell(row=n, column=COL[header], value=value)


def state() -> tuple[Any, ...]:
    """Everything an import could write: reports with their content and version, versions,
    transitions."""
    reports = tuple(
        ProgressReport.objects.order_by("pk").values_list(
            "pk", "state", "version", "status", "percent", "narrative", "problems", "next_steps"
        )
    )
    return reports, ReportVersion.objects.count(), ReportTransition.objects.count()


def text(response: Any) -> str:
    """The page's text, with Django's escaped quotation marks as typed."""
    return response.content.decode().replace("&ldquo;", "“").replace("&rdquo;", "”")


@pytest.fixture
def kjj(people) -> dict[str, Any]:
    """市科技局's reporter with its template of 2021Q3 and the row of task 1 in it."""
    client = login(people["kjj_reporter"])
    wb = download(client)
    ws = wb[SHEET]
    a1 = assignment_of(1, "市科技局")
    return {"client": client, "wb": wb, "ws": ws, "a1": a1, "row1": row_of(ws, a1.pk)}


# --- the template ----------------------------------------------------------------------------


def test_the_template_has_a_row_per_duty_locked_references_and_validations(people, period) -> None:
    before = ReportingPeriod.objects.get(code="2021Q2")
    a1 = assignment_of(1, "市科技局")
    ProgressReport.objects.create(  # last quarter's report, for reference
        period=before, assignment=a1, unit=a1.unit, state=ReportState.ACCEPTED, **FULL
    )
    report = svc.report_start(actor=people["kjj_reporter"], assignment=a1, period=period, **FULL)
    wb = download(login(people["kjj_reporter"]))
    ws = wb[SHEET]
    assert [c.value for c in ws[HEADER_ROW]] == HEADERS
    assert ws.freeze_panes == f"A{FIRST_ROW}"
    from tasks.reporting.selectors import duties_for_unit

    duties = duties_for_unit(Unit.objects.get(name="市科技局"), period)
    assert ws.max_row - HEADER_ROW == len(duties)
    n = row_of(ws, a1.pk)
    cells = {h: ws.cell(row=n, column=COL[h]).value for h in HEADERS}
    assert a1.task is not None
    assert cells["任务编号"] == a1.task.code and cells["角色"] == "牵头"
    assert cells["上期进展情况（参考）"] == FULL["narrative"]
    assert cells["报告版本"] == report.version == 1
    assert cells["状态"] == "按计划推进" and cells["完成百分比"] == 40
    assert ws.protection.sheet
    assert ws.cell(row=n, column=COL["任务编号"]).protection.locked
    assert not ws.cell(row=n, column=COL["进展情况"]).protection.locked
    rules = {dv.type: dv for dv in ws.data_validations.dataValidation}
    assert "按计划推进" in rules["list"].formula1 and "滞后" in rules["list"].formula1
    assert (rules["whole"].formula1, rules["whole"].formula2) == ("0", "100")
    meta = wb[MARKER_SHEET]
    assert meta.sheet_state == "veryHidden"
    marker = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert marker["period"] == "2021Q3" and marker["unit"] == str(a1.unit_id)


# --- the round trip --------------------------------------------------------------------------


def test_a_filled_template_is_saved_through_the_services(people, period, kjj) -> None:
    fill(kjj["ws"], kjj["row1"], 状态="按计划推进", 完成百分比=55, 进展情况="完成算法评测。")
    response = upload(kjj["client"], kjj["wb"])
    assert response.status_code == 200
    html = text(response)
    assert "已保存" in html and "import-problems" not in html
    report = ProgressReport.objects.get(assignment=kjj["a1"], period=period)
    assert (report.status, report.percent, report.narrative) == ("on_track", 55, "完成算法评测。")
    assert report.state == ReportState.DRAFT and report.version == 1
    assert report.updated_by == people["kjj_reporter"]
    assert ReportVersion.objects.filter(report=report).count() == 1
    assert ProgressReport.objects.count() == 1  # rows left empty make no report


def test_an_existing_report_gets_a_new_version_and_can_be_submitted(people, period, kjj) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=kjj["a1"], period=period, **FULL
    )
    client = kjj["client"]
    wb = download(client)
    ws = wb[SHEET]
    fill(ws, row_of(ws, kjj["a1"].pk), 进展情况="已完成模型框架设计，开始联调。")
    response = upload(client, wb, submit=True)
    assert "已提交" in text(response)
    report.refresh_from_db()
    assert report.version == 2 and report.state == ReportState.SUBMITTED
    assert report.narrative == "已完成模型框架设计，开始联调。"
    assert list(report.versions.values_list("version", flat=True).order_by("version")) == [1, 2]
    assert report.transitions.filter(action="submit").count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(people, period, kjj) -> None:
    fill(kjj["ws"], kjj["row1"], 状态="存在风险", 完成百分比=30, 进展情况="进度偏慢。")
    file = as_file(kjj["wb"])
    content = file.read()
    first = upload(kjj["client"], SimpleUploadedFile("a.xlsx", content))
    assert "已保存" in text(first)
    after_first = state()
    second = upload(kjj["client"], SimpleUploadedFile("a.xlsx", content))
    assert second.status_code == 200
    html = text(second)
    assert "未变化" in html and "已保存" not in html.split("import-results")[1]
    assert state() == after_first


def test_a_stale_row_is_a_conflict_and_the_other_rows_are_saved(people, period, kjj) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=kjj["a1"], period=period, **FULL
    )
    client = kjj["client"]
    wb = download(client)  # shows version 1
    svc.report_update(
        actor=people["kjj_approver"], report=report, version=1, narrative="审核人改过的进展。"
    )
    ws = wb[SHEET]
    fill(ws, row_of(ws, kjj["a1"].pk), 进展情况="填报员在模板里改的进展。")
    a2 = assignment_of(2, "市科技局")
    fill(ws, row_of(ws, a2.pk), 状态="未启动", 完成百分比=0, 进展情况="尚未启动。")
    response = upload(client, wb)
    html = text(response)
    assert response.status_code == 200
    assert "冲突，未导入" in html and "以免覆盖对方的修改" in html
    report.refresh_from_db()
    assert report.narrative == "审核人改过的进展。" and report.version == 2
    assert ProgressReport.objects.get(assignment=a2, period=period).narrative == "尚未启动。"


def test_a_submitted_report_is_not_overwritten(people, period, kjj) -> None:
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=kjj["a1"], period=period, **FULL
    )
    client = kjj["client"]
    wb = download(client)
    svc.report_submit(actor=people["kjj_reporter"], report=report)
    ws = wb[SHEET]
    fill(ws, row_of(ws, kjj["a1"].pk), 进展情况="提交后又改。")
    before = state()
    html = text(upload(client, wb))
    assert "不能修改" in html and "冲突，未导入" in html
    assert state() == before


# --- bad input: a message and nothing written -------------------------------------------------


def bad_percent(ws: Any, n: int) -> None:
    fill(ws, n, 状态="按计划推进", 完成百分比="一百", 进展情况="有进展。")


def out_of_range(ws: Any, n: int) -> None:
    fill(ws, n, 状态="按计划推进", 完成百分比=150, 进展情况="有进展。")


def fractional(ws: Any, n: int) -> None:
    fill(ws, n, 状态="按计划推进", 完成百分比=55.5, 进展情况="有进展。")


def unknown_status(ws: Any, n: int) -> None:
    fill(ws, n, 状态="进行中", 完成百分比=10, 进展情况="有进展。")


def merged(ws: Any, n: int) -> None:
    fill(ws, n, 进展情况="有进展。")
    ws.merge_cells(
        start_row=n, start_column=COL["进展情况"], end_row=n + 1, end_column=COL["进展情况"]
    )


def reordered(ws: Any, n: int) -> None:
    g, h = COL["状态"], COL["完成百分比"]
    ws.cell(row=HEADER_ROW, column=g, value="完成百分比")
    ws.cell(row=HEADER_ROW, column=h, value="状态")


def renamed(ws: Any, n: int) -> None:
    ws.cell(row=HEADER_ROW, column=COL["进展情况"], value="本季度进展")


def emptied(ws: Any, n: int) -> None:
    ws.delete_rows(FIRST_ROW, ws.max_row)


def completed_not_100(ws: Any, n: int) -> None:
    fill(ws, n, 状态="已完成", 完成百分比=80, 进展情况="基本完成。")


def another_period(ws: Any, n: int) -> None:
    meta = ws.parent[MARKER_SHEET]
    meta["B2"] = "2021Q2"


def another_kind(ws: Any, n: int) -> None:
    wb = ws.parent
    del wb[MARKER_SHEET]
    for prop in list(wb.custom_doc_props.props):
        wb.custom_doc_props.props.remove(prop)


def foreign_duty(ws: Any, n: int) -> None:
    ws.cell(row=n, column=COL["分工ID"], value=assignment_of(32, "市发改委").pk)
    fill(ws, n, 状态="按计划推进", 完成百分比=10, 进展情况="替发改委填。")


BAD_SHEETS = [
    (bad_percent, "H列（完成百分比）：应为 0–100 的整数，现为“一百”"),
    (out_of_range, "H列（完成百分比）：应在 0–100 之间，现为 150"),
    (fractional, "H列（完成百分比）：应为 0–100 的整数，现为“55.5”"),
    (unknown_status, "G列（状态）：未知的状态“进行中”"),
    (merged, "是合并单元格，请取消合并"),
    (reordered, "G列（状态）：列的名称或顺序被改动：应为“状态”，现为“完成百分比”"),
    (renamed, "I列（进展情况）：列的名称或顺序被改动"),
    (emptied, "工作表中没有任务行"),
    (completed_not_100, "H列（完成百分比）：进展状态为“已完成”时，完成进度应为 100%"),
    (another_period, "这是 2021Q2 周期的模板，不能导入 2021Q3"),
    (another_kind, "这不是本平台的进展填报模板"),
    (foreign_duty, "A列（分工ID）"),
]


@pytest.mark.parametrize(("spoil", "message"), BAD_SHEETS, ids=[f.__name__ for f, _ in BAD_SHEETS])
def test_a_bad_sheet_is_refused_with_its_place_and_nothing_is_written(
    people, period, kjj, spoil, message
) -> None:
    svc.report_start(actor=people["kjj_reporter"], assignment=kjj["a1"], period=period, **FULL)
    wb = download(kjj["client"])
    ws = wb[SHEET]
    a2 = assignment_of(2, "市科技局")
    fill(ws, row_of(ws, a2.pk), 状态="未启动", 完成百分比=0, 进展情况="这一行是好的。")  # valid
    spoil(ws, row_of(ws, kjj["a1"].pk))
    before = state()
    response = upload(kjj["client"], wb)
    assert response.status_code == 400
    html = text(response)
    assert "没有写入任何内容" in html
    assert message in html
    if spoil not in (emptied, another_period, another_kind):
        assert f"工作表“{SHEET}”" in html
    assert state() == before


def zip_bomb() -> bytes:
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"\0" * (1024 * 1024)
            for _ in range(40):
                sheet.write(block)
    return out.getvalue()


def encrypted() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 + "EncryptionInfo".encode("utf-16-le")


BAD_FILES = [
    ("text", b"task,percent\n1,50\n", "不是 Excel .xlsx 格式"),
    ("pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n", "这是 PDF 文件"),
    (
        "xls",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2048,
        "请在 Excel 或 WPS 中“另存为” .xlsx",
    ),
    ("encrypted", encrypted(), "设置了打开密码"),
    ("broken zip", b"PK\x03\x04" + b"\x01" * 100, "文件已损坏"),
    ("zip bomb", zip_bomb(), "文件解压后过大"),
]


@pytest.mark.parametrize(
    ("data", "message"), [(d, m) for _, d, m in BAD_FILES], ids=[n for n, _, _ in BAD_FILES]
)
def test_a_file_that_is_not_a_template_is_refused_and_nothing_is_written(
    people, period, kjj, data, message
) -> None:
    svc.report_start(actor=people["kjj_reporter"], assignment=kjj["a1"], period=period, **FULL)
    before = state()
    response = upload(kjj["client"], SimpleUploadedFile("进展.xlsx", data))
    assert response.status_code == 400
    assert message in text(response)
    assert state() == before


def test_a_file_over_the_limit_is_refused_by_its_size_before_reading(people, period, kjj) -> None:
    before = state()
    big = SimpleUploadedFile("大文件.xlsx", b"PK\x03\x04" + b"\0" * (11 * 1024 * 1024))
    response = upload(kjj["client"], big)
    assert response.status_code == 413
    assert "超过了 10 MB 的上限" in text(response)
    assert state() == before


def test_a_file_over_a_lower_limit_is_refused(people, period, kjj, settings) -> None:
    settings.IMPORT_MAX_BYTES = 2048  # the body is small; the file alone is over
    response = upload(kjj["client"], kjj["wb"])
    assert response.status_code in (400, 413)
    assert "超过了" in text(response)


def test_another_units_template_is_refused(people, period) -> None:
    fgw = Unit.objects.get(name="市发改委")
    wb = download(login(people["office"]), unit=str(fgw.pk))
    ws = wb[SHEET]
    fill(ws, FIRST_ROW, 状态="按计划推进", 完成百分比=10, 进展情况="替别的单位填。")
    before = state()
    response = upload(login(people["kjj_reporter"]), wb)
    assert response.status_code == 400
    assert "这是“市发改委”的模板，不能导入本单位的任务" in text(response).replace(
        "&ldquo;", "“"
    ).replace("&rdquo;", "”")
    assert state() == before


# --- who may do what -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "page", "own_template", "office_template", "post"),
    [
        ("kjj_reporter", 200, 200, 200, 200),
        ("kjj_approver", 200, 200, 200, 200),
        ("office", 200, 400, 200, 403),
        ("leader", 403, 403, 403, 403),
        (None, 302, 302, 302, 302),
    ],
)
def test_the_permission_matrix(
    people, period, who, page, own_template, office_template, post
) -> None:
    user = people[who] if who else None
    client = login(user)
    fgw = Unit.objects.get(name="市发改委")
    assert client.get("/imports/").status_code == page
    assert client.get("/imports/template/", {"period": "2021Q3"}).status_code == own_template
    # a unit's staff asking for another unit get their own unit's template (the unit is ignored)
    response = client.get("/imports/template/", {"period": "2021Q3", "unit": str(fgw.pk)})
    assert response.status_code == office_template
    if office_template == 200 and who != "office":
        wb = load_workbook(BytesIO(response.content))
        marker = {r[0]: r[1] for r in wb[MARKER_SHEET].iter_rows(values_only=True)}
        assert marker["unit"] == str(user.unit_id)  # type: ignore[union-attr]
    own = download(login(people["kjj_reporter"]))
    fill(own[SHEET], row_of(own[SHEET], assignment_of(1, "市科技局").pk), 进展情况="进展。")
    before = state()
    response = upload(client, own)
    assert response.status_code == post
    if post != 200:
        assert state() == before
    if who is None:
        assert "/accounts/login/" in response["Location"]


def test_a_closed_period_takes_no_import(people, period, kjj) -> None:
    fill(kjj["ws"], kjj["row1"], 状态="按计划推进", 完成百分比=10, 进展情况="有进展。")
    period.state = "closed"
    period.save()
    before = state()
    response = upload(kjj["client"], kjj["wb"])
    assert response.status_code == 400
    assert "只能导入开放中的报送周期" in text(response)
    assert state() == before


def test_the_upload_page_explains_and_offers_the_template(people, period) -> None:
    html = text(login(people["kjj_reporter"]).get("/imports/"))
    assert "下载市科技局的填报模板" in html and "导入后提交" in html
    office = text(login(people["office"]).get("/imports/"))
    assert "请选择单位" in office and 'type="file"' not in office


def test_every_problem_of_a_file_is_listed_at_once(people, period, kjj) -> None:
    ws = kjj["ws"]
    n = kjj["row1"]
    fill(ws, n, 状态="进行中", 完成百分比="一百", 进展情况="有进展。")
    merged(ws, n + 2)
    before = state()
    html = text(upload(kjj["client"], kjj["wb"]))
    assert "共 3 处问题" in html
    assert f"第{n}行 G列（状态）：未知的状态“进行中”" in html
    assert f"第{n}行 H列（完成百分比）：应为 0–100 的整数，现为“一百”" in html
    assert f"第{n + 2}行 I列（进展情况）：I{n + 2}:I{n + 3} 是合并单元格" in html
    assert state() == before


def test_a_preview_writes_nothing_and_its_confirmation_imports_the_same_file(
    people, period, kjj, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    fill(kjj["ws"], kjj["row1"], 状态="按计划推进", 完成百分比=20, 进展情况="预览后再导入。")
    client = kjj["client"]
    before = state()
    data = {"period": "2021Q3", "file": as_file(kjj["wb"]), "action": "preview", "submit": "on"}
    response = client.post("/imports/", data)
    html = text(response)
    assert response.status_code == 200
    assert "预览（尚未写入）" in html and "将提交" in html and "确认导入" in html
    assert state() == before
    kept = list((tmp_path / "imports").iterdir())
    assert len(kept) == 1
    token = client.session["import_preview"]["token"]
    confirmed = client.post("/imports/", {"action": "confirm", "token": token})
    assert confirmed.status_code == 200 and "已提交" in text(confirmed)
    report = ProgressReport.objects.get(assignment=kjj["a1"], period=period)
    assert report.narrative == "预览后再导入。" and report.state == ReportState.SUBMITTED
    assert not list((tmp_path / "imports").iterdir())  # the kept file is gone
    again = client.post("/imports/", {"action": "confirm", "token": token})
    assert again.status_code == 400 and "预览已过期或已导入" in text(again)


def test_a_preview_of_a_bad_file_keeps_nothing(people, period, kjj, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    bad_percent(kjj["ws"], kjj["row1"])
    data = {"period": "2021Q3", "file": as_file(kjj["wb"]), "action": "preview"}
    response = kjj["client"].post("/imports/", data)
    assert response.status_code == 400 and "应为 0–100 的整数" in text(response)
    assert not (tmp_path / "imports").exists()
    assert "import_preview" not in kjj["client"].session


def test_an_upload_without_the_csrf_token_is_refused(people, period, kjj) -> None:
    fill(kjj["ws"], kjj["row1"], 状态="按计划推进", 完成百分比=10, 进展情况="有进展。")
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["kjj_reporter"])
    before = state()
    response = upload(client, kjj["wb"])
    assert response.status_code == 403
    assert state() == before
