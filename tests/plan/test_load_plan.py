"""load_plan: idempotent, faithful to the fixtures, and all-or-nothing on a malformed fixture."""

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from demos.models import DemoProject
from tasks.models import Assignment, Indicator, IndicatorTarget, Item, Plan, Section, Task
from tasks.plan.services import plan_load
from units.models import Unit

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MODELS = [Plan, Section, Item, Task, Assignment, DemoProject, Indicator, IndicatorTarget, Unit]


def snapshot() -> dict[str, list[tuple[object, ...]]]:
    """Every row of the plan's tables, to compare the database before and after a load."""
    return {m.__name__: sorted(map(tuple, m._default_manager.values_list())) for m in MODELS}


@pytest.fixture
def fixtures_copy(tmp_path: Path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target, ignore=shutil.ignore_patterns("source"))
    return target


def edit_yaml(path: Path, change: Callable[[dict], None]) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_second_load_changes_nothing_and_duplicates_nothing() -> None:
    before = snapshot()
    result = plan_load()
    assert result.changed == 0
    assert snapshot() == before
    assert Task.objects.count() == 57 and DemoProject.objects.count() == 12


def test_the_command_reports_what_it_did(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_plan")
    out = capsys.readouterr().out
    assert "已载入方案 hefei-ai-2020-2023" in out and "新增 0 条，更新 0 条，删除 0 条" in out


def test_a_corrected_fixture_updates_only_that_row(fixtures_copy: Path) -> None:
    tasks_file = fixtures_copy / "plans" / "hefei-ai-2020-2023" / "tasks.yaml"

    def fix(data: dict) -> None:
        data["sections"][-1]["tasks"][-1]["note"] = "年度重点"

    edit_yaml(tasks_file, fix)
    result = plan_load(fixtures_dir=fixtures_copy)
    assert result.counts == {**result.counts, "task.updated": 1}
    assert result.changed == 1
    assert Task.objects.get(seq=57).note == "年度重点"


def test_a_unit_removed_from_a_task_loses_its_assignment(fixtures_copy: Path) -> None:
    def drop_co_unit(data: dict) -> None:
        data["sections"][0]["items"][0]["tasks"][0]["units"] = ["市科技局"]

    edit_yaml(fixtures_copy / "plans" / "hefei-ai-2020-2023" / "tasks.yaml", drop_co_unit)
    plan_load(fixtures_dir=fixtures_copy)
    assert [a.unit.name for a in Task.objects.get(seq=1).assignments.all()] == ["市科技局"]


def test_group_membership_edited_in_the_admin_survives_a_reload() -> None:
    group = Unit.objects.get(name="开发区管委会")
    group.members.remove(Unit.objects.get(name="新站区管委会"))
    plan_load()
    assert set(group.members.values_list("name", flat=True)) == {"高新区管委会", "经开区管委会"}


def _break_unit(data: dict) -> None:
    data["sections"][2]["items"][3]["tasks"][1]["units"].append("市科技厅")


def _duplicate_seq(data: dict) -> None:
    data["sections"][0]["items"][1]["tasks"][0]["seq"] = 1


def _missing_content(data: dict) -> None:
    del data["sections"][1]["items"][0]["tasks"][0]["content"]


def _typo_key(data: dict) -> None:
    data["sections"][3]["items"][0]["tasks"][0]["unit"] = ["市科技局"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_break_unit, "单位“市科技厅”未在 units.yaml 中登记"),
        (_duplicate_seq, "seq 必须从 1 起连续且不重复"),
        (_missing_content, "缺少字段 content"),
        (_typo_key, "无法识别的字段 unit"),
    ],
)
def test_a_malformed_task_fixture_aborts_with_a_clear_message_and_writes_nothing(
    fixtures_copy: Path, change: Callable[[dict], None], message: str
) -> None:
    tasks_file = fixtures_copy / "plans" / "hefei-ai-2020-2023" / "tasks.yaml"
    edit_yaml(tasks_file, change)
    # a change that would be written first, to prove the whole load rolls back
    edit_yaml(
        fixtures_copy / "plans" / "hefei-ai-2020-2023" / "plan.yaml",
        lambda d: d.update(name="改过的名称"),
    )
    before = snapshot()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_plan", fixtures=fixtures_copy)
    assert "载入失败，数据库未作任何修改" in str(excinfo.value)
    assert message in str(excinfo.value)
    assert "tasks.yaml" in str(excinfo.value)
    assert snapshot() == before


def test_a_failure_while_writing_rolls_back_what_was_already_written(fixtures_copy: Path) -> None:
    """A section title too long for its column is caught only by the model, after the plan row."""
    edit_yaml(
        fixtures_copy / "plans" / "hefei-ai-2020-2023" / "plan.yaml",
        lambda d: d.update(name="改过的名称"),
    )
    edit_yaml(
        fixtures_copy / "plans" / "hefei-ai-2020-2023" / "tasks.yaml",
        lambda d: d["sections"][4].update(title="很长的标题" * 40),
    )
    before = snapshot()
    with pytest.raises(CommandError, match=r"任务板块.*3\.5.*无效"):
        call_command("load_plan", fixtures=fixtures_copy)
    assert snapshot() == before
    assert Plan.objects.get().name != "改过的名称"


def test_broken_yaml_names_the_file(fixtures_copy: Path) -> None:
    (fixtures_copy / "plans" / "hefei-ai-2020-2023" / "demos.yaml").write_text(
        "demos: [unclosed", encoding="utf-8"
    )
    with pytest.raises(CommandError, match=r"demos\.yaml 不是有效的 YAML"):
        call_command("load_plan", fixtures=fixtures_copy)


def test_an_unknown_plan_code_is_refused() -> None:
    with pytest.raises(CommandError, match="找不到方案数据“no-such-plan”"):
        call_command("load_plan", plan="no-such-plan")


def test_a_successor_plan_loads_beside_the_first(fixtures_copy: Path) -> None:
    src = fixtures_copy / "plans" / "hefei-ai-2020-2023"
    dst = fixtures_copy / "plans" / "hefei-ai-2024-2026"
    shutil.copytree(src, dst)
    edit_yaml(
        dst / "plan.yaml",
        lambda d: d.update(
            code="hefei-ai-2024-2026", start_year=2024, end_year=2026, name="后续方案"
        ),
    )

    def shift_years(data: dict) -> None:
        for ind in data["indicators"]:
            ind["targets"]["years"] = [2026]

    edit_yaml(dst / "indicators.yaml", shift_years)
    plan_load(fixtures_dir=fixtures_copy)
    assert Plan.objects.count() == 2
    assert Task.objects.filter(plan__code="hefei-ai-2024-2026").count() == 57
    assert Task.objects.filter(plan__code="hefei-ai-2020-2023").count() == 57
