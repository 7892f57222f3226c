"""Workbooks for the plan import's tests: a small hand-written Annex 1 (merged section cells,
“1.” items, 、 and ， separators), with optional demo and target sheets."""

import io
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]

from tasks.plan_import.reading import read_plan_workbook
from tasks.plan_import.services import NewUnit, PublishResult, plan_import_publish
from units.models import Unit, User

HEADER = ["主要任务", "主要内容", "责任单位", "备注"]
ROWS: list[list[Any]] = [
    [
        "三、重点任务（一）打造通用大模型",
        "1.大模型攻关。建设通用大模型，突破关键技术。",
        "市科技局、市发改委",
        None,
    ],
    [None, "2.算力平台", None, None],
    [None, "建设城市算力调度平台。", "市数据资源局，市发改委", "制定实施方案"],
    [None, "建设智算中心。", "市数据资源局", None],
    [
        "（二）推进场景应用",
        "1、智能制造。推动工厂智能化改造。",
        "市经信局、各县（市）区政府、新区管委会",
        None,
    ],
    ["四、保障措施（一）加强组织领导", "成立工作专班。", "市科技局", None],
]


def small_workbook(
    rows: list[list[Any]] | None = None,
    *,
    title: str | None = "附件1 合肥市通用人工智能创新发展实施方案（2024-2026年）主要任务分工",
    merge: bool = True,
    extra: bool = False,
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件1"
    if title:
        ws.append([title])
        ws.merge_cells("A1:D1")
    ws.append(HEADER)
    first = ws.max_row + 1
    for row in rows if rows is not None else ROWS:
        ws.append(row)
    if merge and rows is None:
        ws.merge_cells(f"A{first}:A{first + 3}")  # the first section over its four rows
    if extra:
        demos = wb.create_sheet("附件2")
        demos.append(["序号", "领域", "项目名称", "依托单位", "建设周期", "责任单位"])
        demos.append([1, "人工智能+制造", "灯塔工厂", "江淮汽车", "2024-2026年", "市经信局"])
        demos.append(
            [2, None, "智慧园区", "合肥滨投公司、某公司", "2025年", "新区管委会，市科技局"]
        )
        demos.merge_cells("B2:B3")
        targets = wb.create_sheet("指标")
        targets.append(["序号", "指标", "计量单位", "所属目标", "2024年", "2025年", "2026年"])
        targets.append([1, "大模型产品", "个", "（一）技术突破", 5, "5-8", "10以上"])
    return wb


def as_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def publish(
    actor: User,
    data: bytes,
    *,
    code: str = "hefei-ai-2024-2026",
    mapping: dict[str, Unit | NewUnit] | None = None,
    **values: Any,
) -> PublishResult:
    draft = read_plan_workbook(data)
    return plan_import_publish(
        actor=actor,
        draft=draft,
        code=code,
        name=values.pop("name", "合肥市通用人工智能创新发展实施方案（2024-2026年）"),
        short_name=values.pop("short_name", "通用人工智能方案"),
        start_year=values.pop("start_year", 2024),
        end_year=values.pop("end_year", 2026),
        mapping=mapping if mapping is not None else {"新区管委会": NewUnit("devzone")},
        filename="附件1.xlsx",
        **values,
    )
