"""Reading a plan workbook and publishing it: the seed plan's round trip through the annual
workbook, a hand-written Annex 1, the unit mapping, and every bad input refused with a Chinese
message and nothing written."""

import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from demos.models import DemoProject
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from reports.annual.selectors import annual_year
from reports.annual.workbook import workbook_build
from tasks.models import Assignment, Indicator, IndicatorTarget, Item, Plan, Section, Task
from tasks.plan_import.drafts import PlanFileRefusedError
from tasks.plan_import.reading import read_plan_workbook
from tests.plan_import.helpers import as_bytes, publish, small_workbook
from units.audit.models import AuditEntry
from units.models import Unit

pytestmark = pytest.mark.django_db
SEED = "hefei-ai-2020-2023"


def rows_of(plan: Plan) -> list[tuple[Any, ...]]:
    """Each task's content, note and (unit, role, order) list, in the plan's order."""
    out = []
    for task in Task.objects.filter(plan=plan).order_by("seq").prefetch_related("assignments"):
        units = [
            (a.unit.name, a.role, a.order)
            for a in sorted(task.assignments.all(), key=lambda a: a.order)
        ]
        out.append((task.seq, task.content, task.note, task.requires_plan, units))
    return out


def everything() -> tuple[int, ...]:
    models = (Plan, Section, Item, Task, Assignment, Unit, DemoProject, Indicator, IndicatorTarget)
    return tuple(m.objects.count() for m in models)


def refused(data: bytes) -> list[str]:
    with pytest.raises(PlanFileRefusedError) as caught:
        read_plan_workbook(data)
    return [str(p) for p in caught.value.problems]


# --- the round trip ---------------------------------------------------------------------------


def test_the_seed_plans_annual_sheet_imports_as_the_same_57_rows_units_roles_and_remarks(
    people,
) -> None:
    seed = Plan.objects.get(code=SEED)
    annual = load_workbook(io.BytesIO(workbook_build(annual_year(2021, seed))))
    for name in annual.sheetnames:  # the 主要任务分工 sheet alone, its quarter columns kept
        if name != "主要任务分工":
            del annual[name]
    draft = read_plan_workbook(as_bytes(annual))
    assert len(draft.tasks()) == 57
    assert draft.unit_names() and not [n for n in draft.unit_names() if "、" in n]
    result = publish(people["office"], as_bytes(annual), code="seed-again", mapping={})
    assert result.counts["tasks"] == 57 and not result.new_units  # every unit known
    assert rows_of(result.plan) == rows_of(seed)
    sections = Section.objects.filter(plan=result.plan).order_by("seq")
    seed_sections = Section.objects.filter(plan=seed).order_by("seq")
    assert [(s.number, s.title) for s in sections] == [(s.number, s.title) for s in seed_sections]
    assert [s.part for s in sections][-1] == "四、保障措施"
    assert [s.code for s in sections][-4:] == ["4.1", "4.2", "4.3", "4.4"]
    assert not result.plan.is_current
    assert Plan.objects.get(code=SEED).is_current  # the seed plan stays the current one


def test_the_whole_annual_workbook_also_brings_its_demo_projects(people) -> None:
    seed = Plan.objects.get(code=SEED)
    data = workbook_build(annual_year(2021, seed))
    draft = read_plan_workbook(data)
    assert len(draft.tasks()) == 57
    assert [d.name for d in draft.demos] == list(
        DemoProject.objects.filter(plan=seed).order_by("seq").values_list("name", flat=True)
    )


# --- a hand-written workbook ------------------------------------------------------------------


def test_a_small_workbook_gives_sections_items_tasks_and_the_title_prefills(people) -> None:
    draft = read_plan_workbook(as_bytes(small_workbook()))
    assert draft.title == "合肥市通用人工智能创新发展实施方案（2024-2026年）"
    assert (draft.start_year, draft.end_year) == (2024, 2026)
    s1, s2, s3 = draft.sections
    assert (s1.part, s1.number, s1.title, s1.code) == (
        "三、重点任务",
        "（一）",
        "打造通用大模型",
        "3.1",
    )
    assert [(i.number, i.title, len(i.tasks)) for i in s1.items] == [
        (1, "大模型攻关", 1),
        (2, "算力平台", 2),
    ]
    assert [t.code for t in s1.all_tasks()] == ["3.1.1", "3.1.2-1", "3.1.2-2"]
    assert s1.items[1].tasks[0].units == ["市数据资源局", "市发改委"]  # ， separates
    assert s1.items[1].tasks[0].requires_plan
    assert (s2.part, s2.code, s2.items[0].title) == ("三、重点任务", "3.2", "智能制造")
    assert (s3.part, s3.code, s3.tasks[0].code) == ("四、保障措施", "4.1", "4.1-1")
    assert [t.seq for t in draft.tasks()] == [1, 2, 3, 4, 5]


def test_publishing_writes_the_plan_with_lead_and_co_units_and_one_audit_entry(people) -> None:
    before = AuditEntry.objects.count()
    result = publish(people["office"], as_bytes(small_workbook()))
    plan = result.plan
    assert (plan.code, plan.start_year, plan.end_year) == ("hefei-ai-2024-2026", 2024, 2026)
    task = Task.objects.get(plan=plan, code="3.2.1")
    assert [(a.unit.name, a.role, a.order) for a in task.assignments.order_by("order")] == [
        ("市经信局", "lead", 1),
        ("各县（市）区政府", "co", 2),
        ("新区管委会", "co", 3),
    ]
    assert Unit.objects.get(name="新区管委会").kind == "devzone"
    assert [u.name for u in result.new_units] == ["新区管委会"]
    assert Item.objects.filter(section__plan=plan).count() == 3
    entries = AuditEntry.objects.filter(pk__gt=0).count() - before
    assert entries > result.counts["tasks"]  # each row audited, not bulk-created
    assert AuditEntry.objects.filter(detail__startswith="从 Excel 导入实施方案").count() == 1


def test_an_unknown_unit_mapped_to_an_existing_one_is_assigned_to_it(people) -> None:
    kjj = Unit.objects.get(name="市科技局")
    result = publish(people["office"], as_bytes(small_workbook()), mapping={"新区管委会": kjj})
    task = Task.objects.get(plan=result.plan, code="3.2.1")
    assert [a.unit.name for a in task.assignments.order_by("order")] == [
        "市经信局",
        "各县（市）区政府",
        "市科技局",
    ]
    assert not Unit.objects.filter(name="新区管委会").exists()


def test_a_unit_known_by_its_full_name_needs_no_mapping(people) -> None:
    Unit.objects.filter(name="市经信局").update(full_name="合肥市经济和信息化局")
    rows = [["（一）制造", "推动智能工厂。", "合肥市经济和信息化局", None]]
    result = publish(people["office"], as_bytes(small_workbook(rows)), mapping={})
    assert Assignment.objects.get(task__plan=result.plan).unit.name == "市经信局"


def test_demo_projects_and_targets_are_imported_beside_the_tasks(people) -> None:
    result = publish(people["office"], as_bytes(small_workbook(extra=True)))
    demos = DemoProject.objects.filter(plan=result.plan).order_by("seq")
    assert [(d.field, d.name, d.hosts, d.start_year, d.end_year) for d in demos] == [
        ("人工智能+制造", "灯塔工厂", ["江淮汽车"], 2024, 2026),
        ("人工智能+制造", "智慧园区", ["合肥滨投公司", "某公司"], 2025, 2025),
    ]
    assert [a.unit.name for a in demos[1].assignments.order_by("order")] == [
        "新区管委会",
        "市科技局",
    ]
    indicator = Indicator.objects.get(plan=result.plan)
    targets = [(t.year, t.min_value, t.max_value) for t in indicator.targets.order_by("year")]
    assert targets == [(2024, 5, None), (2025, 5, 8), (2026, 10, None)]
    assert (indicator.name, indicator.measure) == ("大模型产品", "个")


def test_making_the_import_the_current_plan_retires_the_others(people) -> None:
    result = publish(people["office"], as_bytes(small_workbook()), make_current=True)
    assert list(Plan.objects.filter(is_current=True)) == [result.plan]


# --- refusals: a message, nothing written -------------------------------------------------------


def test_a_plan_code_that_exists_is_refused_and_nothing_written(people) -> None:
    before = everything()
    with pytest.raises(ApplicationError, match="已被使用"):
        publish(people["office"], as_bytes(small_workbook()), code=SEED)
    assert everything() == before


def test_an_unmapped_unit_is_refused_and_nothing_written(people) -> None:
    before = everything()
    with pytest.raises(ApplicationError, match="新区管委会"):
        publish(people["office"], as_bytes(small_workbook()), mapping={})
    assert everything() == before


def test_a_target_outside_the_plans_years_is_refused_and_nothing_written(people) -> None:
    before = everything()
    with pytest.raises(ApplicationError, match="2026 年的目标"):
        publish(people["office"], as_bytes(small_workbook(extra=True)), end_year=2025)
    assert everything() == before


def test_only_the_office_publishes(people) -> None:
    for who in ("kjj_reporter", "kjj_approver", "leader"):
        with pytest.raises(NotPermittedError):
            publish(people[who], as_bytes(small_workbook()))
    assert not Plan.objects.filter(code="hefei-ai-2024-2026").exists()


def test_rows_without_units_or_section_or_with_a_unit_twice_are_listed_by_row_and_column() -> None:
    rows = [
        [None, "没有板块的任务。", "市科技局", None],
        ["（一）板块", "没有责任单位的任务。", None, None],
        [None, "单位重复。", "市科技局、市科技局", "x" * 300],
        [None, "1.条目", None, None],
        [None, "1.同一序号的条目", None, None],
    ]
    problems = refused(as_bytes(small_workbook(rows)))
    assert problems == [
        "工作表“附件1” 第3行 A列（主要任务）：本行之前没有任务板块（主要任务），无法确定所属板块",
        "工作表“附件1” 第4行 C列（责任单位）：责任单位为空：每项任务至少有一个牵头单位",
        "工作表“附件1” 第5行 C列（责任单位）：单位“市科技局”在同一任务中重复列出",
        "工作表“附件1” 第5行 D列（备注）：备注不能超过 255 字，现为 300 字",
        "工作表“附件1” 第7行 B列（主要内容）：条目序号 1 在板块“（一）板块”中重复",
    ]


def test_a_section_without_tasks_is_named_with_its_row() -> None:
    rows = [["（一）空板块", None, None, None], ["（二）板块", "任务。", "市科技局", None]]
    assert refused(as_bytes(small_workbook(rows))) == [
        "工作表“附件1” 第3行 A列（主要任务）：任务板块“（一）空板块”下没有任务"
    ]


def test_bad_demo_and_target_cells_are_listed() -> None:
    wb = small_workbook(extra=True)
    wb["附件2"]["E2"] = "三年"
    wb["指标"]["F2"] = "很多"
    problems = refused(as_bytes(wb))
    assert any("第2行 E列（建设周期）" in p and "“三年”" in p for p in problems)
    assert any("工作表“指标” 第2行 F列" in p and "“很多”" in p for p in problems)


def test_a_workbook_without_the_annex_1_header_is_refused() -> None:
    wb = small_workbook(title=None)
    wb.active["B1"] = "内容"
    assert "找不到任务分工表" in refused(as_bytes(wb))[0]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "空的"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 Excel（.xls）"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le"), "加密"),
        (b"%PDF-1.4 ...", "PDF"),
        ("主要任务,主要内容".encode(), "不是 Excel .xlsx 格式"),
    ],
)
def test_files_that_are_not_an_xlsx_are_refused_in_chinese(data: bytes, expected: str) -> None:
    assert expected in refused(data)[0]


def test_a_zip_bomb_and_a_too_large_file_are_refused(settings) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", b"0" * (50 * 1024 * 1024))
    assert "解压后过大" in refused(out.getvalue())[0]
    settings.IMPORT_MAX_BYTES = 100
    assert "上限" in refused(as_bytes(small_workbook()))[0]


def test_rows_are_read_whatever_the_separators(people) -> None:
    rows = [["（一）板块", "任务。", "市科技局,市发改委;市经信局；市教育局", None]]
    draft = read_plan_workbook(as_bytes(small_workbook(rows)))
    assert draft.tasks()[0].units == ["市科技局", "市发改委", "市经信局", "市教育局"]
