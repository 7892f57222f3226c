"""The loaded plan is the plan document: every Annex row, demo project and unit list."""

import re

import pytest

from demos.models import DemoProject
from tasks.models import AssignmentRole, Indicator, Item, Section, Task
from tests.plan import plan_document as doc
from units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def loaded_tasks() -> list[Task]:
    return list(
        Task.objects.select_related("section", "item")
        .prefetch_related("assignments__unit")
        .order_by("seq")
    )


def test_every_annex1_row_is_loaded_with_the_plans_text_units_and_note() -> None:
    rows = doc.annex1()
    tasks = loaded_tasks()
    assert len(rows) == len(tasks) == 57
    for row, task in zip(rows, tasks, strict=True):
        assert task.seq == row.seq
        assert row.section.endswith(task.section.number + task.section.title), task.code
        assert task.content == row.content, f"row {row.seq} content differs"
        assignments = sorted(task.assignments.all(), key=lambda a: a.order)
        assert tuple(a.unit.name for a in assignments) == row.units, f"row {row.seq} units"
        assert [a.role for a in assignments] == (
            [AssignmentRole.LEAD] + [AssignmentRole.CO] * (len(assignments) - 1)
        )
        assert task.note == row.note
        assert task.requires_plan == ("制定实施方案" in row.note)


def test_items_follow_the_annex_labels_or_the_body_headings() -> None:
    body = doc.body_items()
    for row, task in zip(doc.annex1(), loaded_tasks(), strict=True):
        if task.section.part == "四、保障措施":
            assert task.item is None
            continue
        assert task.item is not None, task.code
        if row.item_label:
            assert row.item_label == f"{task.item.number}.{task.item.title}"
        else:
            number = int(re.match(r"(\d+)\.", row.content).group(1))  # type: ignore[union-attr]
            assert task.item.number == number
            assert (number, task.item.title) in body[task.section.title]


def test_sections_and_the_repeated_social_governance_label_are_one_item() -> None:
    assert Section.objects.count() == 9
    assert list(Section.objects.order_by("seq").values_list("part", flat=True)) == (
        ["三、重点任务"] * 5 + ["四、保障措施"] * 4
    )
    governance = Item.objects.get(section__code="3.3", title="人工智能+社会治理")
    assert governance.tasks.count() == 3  # the Annex repeats "5.人工智能+社会治理" on its third row
    assert Item.objects.filter(title="人工智能+社会治理").count() == 1


def test_task_codes_are_unique_and_readable() -> None:
    codes = list(Task.objects.order_by("seq").values_list("code", flat=True))
    assert len(set(codes)) == 57
    assert codes[:4] == ["3.1.1", "3.1.2", "3.1.3", "3.2.1"]
    assert "3.3.5-3" in codes and codes[-1] == "4.4-4"


def test_every_annex2_demo_project_is_loaded() -> None:
    demos = list(DemoProject.objects.prefetch_related("assignments__unit").order_by("seq"))
    rows = doc.annex2()
    assert len(rows) == len(demos) == 12
    for row, demo in zip(rows, demos, strict=True):
        assert (demo.seq, demo.field, demo.name) == (row.seq, row.field, row.name)
        assert tuple(demo.hosts) == row.hosts
        assert (demo.start_year, demo.end_year) == (row.start_year, row.end_year)
        assignments = sorted(demo.assignments.all(), key=lambda a: a.order)
        assert tuple(a.unit.name for a in assignments) == row.units
        assert assignments[0].role == AssignmentRole.LEAD
        assert all(a.role == AssignmentRole.CO for a in assignments[1:])


def test_demo_projects_link_to_the_task_they_implement() -> None:
    linked = dict(DemoProject.objects.values_list("name", "task__code"))
    assert linked["合肥骆岗中央公园智慧园区"] == "3.3.6-1"
    assert linked["智慧平安社区"] == "3.3.4-2"
    assert linked["智医助理辅助诊疗系统应用"] == "3.3.3"
    assert linked["电力“智能+”端云协同融合创新平台应用"] is None
    for demo in DemoProject.objects.exclude(task=None).select_related("task"):
        # the linked task shares the demo's field where the Annex gives one (人工智能+…)
        item = demo.task.item
        assert item is not None and demo.field == item.title, demo.name


def test_every_designation_in_the_plan_is_a_registered_unit() -> None:
    named = {u for row in doc.annex1() for u in row.units} | {
        u for row in doc.annex2() for u in row.units
    }
    registered = set(Unit.objects.values_list("name", flat=True))
    assert named <= registered
    assert len(named) >= 35
    groups = set(Unit.objects.filter(kind=UnitKind.GROUP).values_list("name", flat=True))
    assert groups == {"各县（市）区政府", "开发区管委会", "各牵头单位"}


def test_group_members_are_the_districts_zones_and_lead_units_the_plan_means() -> None:
    def members(name: str) -> set[str]:
        return set(Unit.objects.get(name=name).members.values_list("name", flat=True))

    assert len(members("各县（市）区政府")) == 9  # four districts, four counties, 巢湖市
    assert "包河区政府" in members("各县（市）区政府")
    assert {"高新区管委会", "经开区管委会"} <= members("开发区管委会")
    leads_of_plan_tasks = {
        t.assignments.get(role="lead").unit.name for t in Task.objects.filter(requires_plan=True)
    }
    assert members("各牵头单位") == leads_of_plan_tasks


def test_indicators_carry_every_target_of_the_main_goals() -> None:
    goals = doc.goals_text()
    indicators = {i.code: i for i in Indicator.objects.prefetch_related("targets")}
    assert len(indicators) >= 10
    for ind in indicators.values():
        assert ind.source_text in goals, ind.code  # quoted from 二、主要目标 verbatim

    def targets(code: str) -> list[tuple[int, int, int | None, bool]]:
        return [
            (t.year, t.min_value, t.max_value, t.cumulative)
            for t in indicators[code].targets.order_by("year")
        ]

    assert targets("invention-patents") == [(y, 50, None, False) for y in range(2020, 2024)]
    assert targets("speech-patents") == [(y, 30, None, False) for y in range(2020, 2024)]
    assert targets("speech-standards") == [(y, 1, None, False) for y in range(2020, 2024)]
    assert targets("application-scenarios") == [(y, 1, 2, False) for y in range(2020, 2024)]
    assert targets("leading-enterprises") == [(y, 1, 2, False) for y in range(2020, 2024)]
    assert targets("demo-parks-towns") == [(2023, 4, None, True)]
    assert targets("innovation-platforms") == [(2023, 5, 8, True)]
    assert indicators["speech-patents"].parent == indicators["invention-patents"]
