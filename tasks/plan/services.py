"""Writes to the plan. ``plan_load`` turns the YAML fixtures into rows, idempotently.

Fixture layout (see docs/data.md)::

    fixtures/units.yaml                       units and collective designations (groups)
    fixtures/plans/<plan-code>/plan.yaml      the plan's name and years
    fixtures/plans/<plan-code>/tasks.yaml     sections → items → tasks, with their units
    fixtures/plans/<plan-code>/demos.yaml     Annex 2 demonstration projects
    fixtures/plans/<plan-code>/indicators.yaml  quantitative targets of 二、主要目标

Everything is read and checked before anything is written, then written in one transaction: a
malformed fixture raises PlanFixtureError (in Chinese, naming the file and the row) and leaves
the database as it was. The plan's rows follow the fixtures exactly (a second load changes
nothing); units and groups are created when missing and otherwise left to the admin, so that
membership edited there survives a reload.
"""

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from demos.models import DemoProject
from hefei_ai_zone.errors import ApplicationError
from tasks.models import (
    AchievementDomain,
    AchievementKind,
    Assignment,
    AssignmentRole,
    Indicator,
    IndicatorTarget,
    Item,
    Plan,
    Section,
    Task,
)
from units.models import Unit, UnitKind

DEFAULT_FIXTURES = Path(settings.BASE_DIR) / "fixtures"
REQUIRES_PLAN_NOTE = "制定实施方案"


class PlanFixtureError(ApplicationError):
    """A fixture that cannot be loaded; nothing has been written."""


@dataclass
class LoadResult:
    plans: list[str] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)  # "<model>.<created|updated|deleted>"

    @property
    def changed(self) -> int:
        return sum(v for k, v in self.counts.items() if not k.endswith(".unchanged"))

    def summary(self) -> str:
        def n(action: str) -> int:
            return sum(v for k, v in self.counts.items() if k.endswith(f".{action}"))

        return (
            f"已载入方案 {', '.join(self.plans)}：新增 {n('created')} 条，"
            f"更新 {n('updated')} 条，"
            f"删除 {n('deleted')} 条，未变 {n('unchanged')} 条。"
        )


# ---------------------------------------------------------------------------------------------
# Reading and checking (no database writes)
# ---------------------------------------------------------------------------------------------


class _Reader:
    """Reads one YAML file and checks shapes, naming the file and the place in every error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise PlanFixtureError(f"找不到数据文件：{path}")
        try:
            self.data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise PlanFixtureError(f"数据文件 {path.name} 不是有效的 YAML：{exc}") from exc
        except UnicodeDecodeError as exc:
            raise PlanFixtureError(f"数据文件 {path.name} 不是 UTF-8 编码。") from exc

    def fail(self, where: str, message: str) -> PlanFixtureError:
        return PlanFixtureError(
            f"数据文件 {self.path.name}，{where}：{message}",
            {"file": str(self.path), "where": where},
        )

    def mapping(
        self, value: Any, where: str, required: set[str], optional: frozenset[str] = frozenset()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "应为键值对（映射）。")
        missing = required - value.keys()
        if missing:
            raise self.fail(where, f"缺少字段 {', '.join(sorted(missing))}。")
        unknown = value.keys() - required - optional
        if unknown:
            raise self.fail(where, f"有无法识别的字段 {', '.join(sorted(map(str, unknown)))}。")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "应为非空列表。")
        return value

    def text(self, value: Any, where: str, *, blank: bool = False) -> str:
        if value is None and blank:
            return ""
        if not isinstance(value, str) or (not blank and not value.strip()):
            raise self.fail(where, "应为非空文本。")
        return value.strip()

    def integer(self, value: Any, where: str, *, low: int = 0, high: int = 10**9) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise self.fail(where, f"应为 {low} 到 {high} 之间的整数，实际为 {value!r}。")
        return value

    def names(self, value: Any, where: str, known: set[str] | None = None) -> list[str]:
        names = [self.text(v, where) for v in self.items(value, where)]
        if len(set(names)) != len(names):
            raise self.fail(where, "单位重复列出。")
        if known is not None:
            for name in names:
                if name not in known:
                    raise self.fail(where, f"单位“{name}”未在 units.yaml 中登记。")
        return names


@dataclass
class _UnitSpec:
    name: str
    full_name: str
    kind: str
    description: str
    members: list[str]
    sort_order: int


@dataclass
class _PlanSpec:
    code: str
    values: dict[str, Any]
    sections: list[dict[str, Any]]  # each: values, items [(values, tasks)], tasks
    demos: list[dict[str, Any]]
    indicators: list[dict[str, Any]]


def _read_units(path: Path) -> list[_UnitSpec]:
    r = _Reader(path)
    root = r.mapping(r.data, "文件顶层", {"units"})
    specs: list[_UnitSpec] = []
    seen: set[str] = set()
    kinds = set(UnitKind.values)
    for i, raw in enumerate(r.items(root["units"], "units"), start=1):
        where = f"第 {i} 个单位"
        u = r.mapping(
            raw, where, {"name", "kind"}, frozenset({"full_name", "description", "members"})
        )
        name = r.text(u["name"], where + " name")
        where = f"单位“{name}”"
        if name in seen:
            raise r.fail(where, "名称重复。")
        seen.add(name)
        kind = r.text(u["kind"], where + " kind")
        if kind not in kinds:
            raise r.fail(where, f"类别“{kind}”无效，应为 {', '.join(sorted(kinds))} 之一。")
        members = []
        if kind == UnitKind.GROUP:
            members = r.names(u.get("members"), where + " members")
        elif "members" in u:
            raise r.fail(where, "只有类别为 group 的单位集合才能列出成员单位。")
        specs.append(
            _UnitSpec(
                name,
                r.text(u.get("full_name"), where, blank=True),
                kind,
                r.text(u.get("description"), where, blank=True),
                members,
                i * 10,
            )
        )
    by_name = {s.name: s for s in specs}
    for s in specs:
        for m in s.members:
            if m not in by_name:
                raise r.fail(f"单位集合“{s.name}”", f"成员单位“{m}”未在 units.yaml 中登记。")
            if by_name[m].kind == UnitKind.GROUP:
                raise r.fail(f"单位集合“{s.name}”", f"成员“{m}”本身是单位集合，不能嵌套。")
    return specs


def _read_plan(folder: Path, unit_names: set[str]) -> _PlanSpec:
    r = _Reader(folder / "plan.yaml")
    p = r.mapping(
        r.data,
        "文件顶层",
        {"code", "name", "start_year", "end_year"},
        frozenset({"short_name", "source_document"}),
    )
    code = r.text(p["code"], "code")
    start = r.integer(p["start_year"], "start_year", low=1990, high=2100)
    end = r.integer(p["end_year"], "end_year", low=start, high=2100)
    plan_values = {
        "name": r.text(p["name"], "name"),
        "short_name": r.text(p.get("short_name"), "short_name", blank=True),
        "start_year": start,
        "end_year": end,
        "source_document": r.text(p.get("source_document"), "source_document", blank=True),
    }

    r = _Reader(folder / "tasks.yaml")
    root = r.mapping(r.data, "文件顶层", {"sections"})
    sections: list[dict[str, Any]] = []
    seqs: list[int] = []
    codes: set[str] = set()

    def read_task(raw: Any, where: str) -> dict[str, Any]:
        t = r.mapping(raw, where, {"seq", "code", "content", "units"}, frozenset({"note"}))
        seq = r.integer(t["seq"], where + " seq", low=1, high=100_000)
        where = f"任务 seq {seq}"
        tcode = r.text(t["code"], where + " code")
        if tcode in codes:
            raise r.fail(where, f"编号“{tcode}”重复。")
        codes.add(tcode)
        seqs.append(seq)
        note = r.text(t.get("note"), where + " note", blank=True)
        return {
            "seq": seq,
            "code": tcode,
            "content": r.text(t["content"], where + " content"),
            "note": note,
            "requires_plan": REQUIRES_PLAN_NOTE in note,
            "units": r.names(t["units"], where + " units", unit_names),
        }

    section_codes: set[str] = set()
    for si, raw in enumerate(r.items(root["sections"], "sections"), start=1):
        where = f"第 {si} 个板块"
        s = r.mapping(
            raw, where, {"code", "part", "number", "title"}, frozenset({"items", "tasks"})
        )
        scode = r.text(s["code"], where + " code")
        if scode in section_codes:
            raise r.fail(where, f"板块编号“{scode}”重复。")
        section_codes.add(scode)
        where = f"板块 {scode}"
        section: dict[str, Any] = {
            "values": {
                "part": r.text(s["part"], where),
                "seq": si,
                "number": r.text(s["number"], where),
                "title": r.text(s["title"], where),
            },
            "code": scode,
            "items": [],
            "tasks": [],
        }
        if not s.get("items") and not s.get("tasks"):
            raise r.fail(where, "既无条目也无任务。")
        numbers: set[int] = set()
        for ii, iraw in enumerate(s.get("items") or [], start=1):
            iwhere = f"{where} 第 {ii} 个条目"
            it = r.mapping(iraw, iwhere, {"number", "title"}, frozenset({"tasks"}))
            number = r.integer(it["number"], iwhere + " number", low=1, high=999)
            if number in numbers:
                raise r.fail(iwhere, f"条目序号 {number} 重复。")
            numbers.add(number)
            tasks = [
                read_task(t, f"{iwhere} 第 {k} 个任务")
                for k, t in enumerate(it.get("tasks") or [], start=1)
            ]
            section["items"].append(
                ({"number": number, "title": r.text(it["title"], iwhere)}, tasks)
            )
        section["tasks"] = [
            read_task(t, f"{where} 第 {k} 个任务")
            for k, t in enumerate(s.get("tasks") or [], start=1)
        ]
        sections.append(section)
    if sorted(seqs) != list(range(1, len(seqs) + 1)):
        raise r.fail("任务序号", "seq 必须从 1 起连续且不重复。")

    r = _Reader(folder / "demos.yaml")
    root = r.mapping(r.data, "文件顶层", {"demos"})
    demos: list[dict[str, Any]] = []
    demo_seqs: set[int] = set()
    for di, raw in enumerate(r.items(root["demos"], "demos"), start=1):
        where = f"第 {di} 个示范工程"
        d = r.mapping(
            raw,
            where,
            {"seq", "field", "name", "hosts", "start_year", "end_year", "units"},
            frozenset({"task"}),
        )
        seq = r.integer(d["seq"], where + " seq", low=1, high=10_000)
        if seq in demo_seqs:
            raise r.fail(where, f"序号 {seq} 重复。")
        demo_seqs.add(seq)
        where = f"示范工程 seq {seq}"
        dstart = r.integer(d["start_year"], where + " start_year", low=1990, high=2100)
        task_code = r.text(d.get("task"), where + " task", blank=True)
        if task_code and task_code not in codes:
            raise r.fail(where, f"对应任务编号“{task_code}”在 tasks.yaml 中不存在。")
        demos.append(
            {
                "seq": seq,
                "field": r.text(d["field"], where + " field"),
                "name": r.text(d["name"], where + " name"),
                "hosts": [r.text(h, where + " hosts") for h in r.items(d["hosts"], where)],
                "start_year": dstart,
                "end_year": r.integer(d["end_year"], where + " end_year", low=dstart, high=2100),
                "task": task_code,
                "units": r.names(d["units"], where + " units", unit_names),
            }
        )

    r = _Reader(folder / "indicators.yaml")
    root = r.mapping(r.data, "文件顶层", {"indicators"})
    indicators: list[dict[str, Any]] = []
    icodes: set[str] = set()
    for ii, raw in enumerate(r.items(root["indicators"], "indicators"), start=1):
        where = f"第 {ii} 个指标"
        ind = r.mapping(
            raw,
            where,
            {"code", "name", "measure", "goal", "source_text", "targets"},
            frozenset({"parent", "ledger"}),
        )
        icode = r.text(ind["code"], where + " code")
        if icode in icodes:
            raise r.fail(where, f"指标编号“{icode}”重复。")
        where = f"指标 {icode}"
        parent = r.text(ind.get("parent"), where + " parent", blank=True)
        if parent and parent not in icodes:
            raise r.fail(where, f"上级指标“{parent}”须在本指标之前列出。")
        icodes.add(icode)
        t = r.mapping(
            ind["targets"], where + " targets", {"years", "min"}, frozenset({"max", "cumulative"})
        )
        low = r.integer(t["min"], where + " targets.min")
        high = (
            None if t.get("max") is None else r.integer(t["max"], where + " targets.max", low=low)
        )
        cumulative = t.get("cumulative", False)
        if not isinstance(cumulative, bool):
            raise r.fail(where, "targets.cumulative 应为 true 或 false。")
        ledger = {"kind": "", "domain": ""}
        if ind.get("ledger") is not None:
            ledger = {
                "domain": "",
                **r.mapping(ind["ledger"], where + " ledger", {"kind"}, frozenset({"domain"})),
            }
            if ledger["kind"] not in AchievementKind.values:
                raise r.fail(
                    where,
                    f"ledger.kind“{ledger['kind']}”无效，应为 "
                    f"{', '.join(AchievementKind.values)} 之一。",
                )
            if ledger["domain"] and ledger["domain"] not in AchievementDomain.values:
                raise r.fail(
                    where,
                    f"ledger.domain“{ledger['domain']}”无效，应为 "
                    f"{', '.join(AchievementDomain.values)} 之一。",
                )
        years = [
            r.integer(y, where + " targets.years", low=start, high=end)
            for y in r.items(t["years"], where + " targets.years")
        ]
        indicators.append(
            {
                "code": icode,
                "seq": ii,
                "parent": parent,
                "values": {
                    "name": r.text(ind["name"], where),
                    "measure": r.text(ind["measure"], where),
                    "ledger_kind": ledger["kind"],
                    "ledger_domain": ledger["domain"],
                    "goal": r.text(ind["goal"], where),
                    "source_text": r.text(ind["source_text"], where),
                },
                "targets": [
                    {"year": y, "min_value": low, "max_value": high, "cumulative": cumulative}
                    for y in years
                ],
            }
        )
    return _PlanSpec(code, plan_values, sections, demos, indicators)


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------


class _Writer:
    def __init__(self, result: LoadResult) -> None:
        self.result = result

    def _count(self, model: type[models.Model], action: str, n: int = 1) -> None:
        if n:
            self.result.counts[f"{model._meta.model_name}.{action}"] += n

    def sync(self, model: type[models.Model], key: dict[str, Any], values: dict[str, Any]) -> Any:
        """Create or update one row; save only what differs, so a reload writes nothing."""
        obj = model._default_manager.filter(**key).first()
        if obj is None:
            obj = model(**key, **values)
            action = "created"
        else:
            changed = [k for k, v in values.items() if getattr(obj, k) != v]
            if not changed:
                self._count(model, "unchanged")
                return obj
            for k in changed:
                setattr(obj, k, values[k])
            action = "updated"
        try:
            obj.full_clean()
        except ValidationError as exc:
            where = "，".join(f"{k}={v}" for k, v in key.items())
            raise PlanFixtureError(
                f"{model._meta.verbose_name}（{where}）无效：{'；'.join(exc.messages)}"
            ) from exc
        obj.save()
        self._count(model, action)
        return obj

    def prune(self, queryset: models.QuerySet[Any], keep: set[int]) -> None:
        stale = queryset.exclude(pk__in=keep)
        n = stale.count()
        if n:
            self._count(queryset.model, "deleted", n)
            stale.delete()

    def units(self, specs: list[_UnitSpec]) -> dict[str, Unit]:
        existing = {u.name: u for u in Unit.objects.all()}
        for s in specs:
            if s.name in existing:
                self._count(Unit, "unchanged")
                continue
            unit = Unit(
                name=s.name,
                full_name=s.full_name,
                kind=s.kind,
                description=s.description,
                sort_order=s.sort_order,
            )
            unit.full_clean()
            unit.save()
            existing[s.name] = unit
            self._count(Unit, "created")
            if s.members:
                unit.members.set([existing[m] for m in s.members])
        return existing

    def assignments(self, owner: dict[str, Any], names: list[str], units: dict[str, Unit]) -> None:
        keep: set[int] = set()
        for order, name in enumerate(names, start=1):
            role = AssignmentRole.LEAD if order == 1 else AssignmentRole.CO
            a = self.sync(
                Assignment, {**owner, "unit": units[name]}, {"role": role, "order": order}
            )
            keep.add(a.pk)
        self.prune(Assignment.objects.filter(**owner), keep)

    def plan(self, spec: _PlanSpec, units: dict[str, Unit]) -> None:
        plan = self.sync(Plan, {"code": spec.code}, spec.values)
        tasks_by_code: dict[str, Task] = {}
        keep_sections: set[int] = set()
        keep_items: set[int] = set()
        keep_tasks: set[int] = set()
        for s in spec.sections:
            section = self.sync(Section, {"plan": plan, "code": s["code"]}, s["values"])
            keep_sections.add(section.pk)
            groups: list[tuple[Item | None, list[dict[str, Any]]]] = [(None, s["tasks"])]
            for item_values, tasks in s["items"]:
                item = self.sync(
                    Item,
                    {"section": section, "number": item_values["number"]},
                    {"title": item_values["title"]},
                )
                keep_items.add(item.pk)
                groups.append((item, tasks))
            for item, tasks in groups:
                for t in tasks:
                    task = self.sync(
                        Task,
                        {"plan": plan, "seq": t["seq"]},
                        {
                            "section": section,
                            "item": item,
                            "code": t["code"],
                            "content": t["content"],
                            "note": t["note"],
                            "requires_plan": t["requires_plan"],
                        },
                    )
                    keep_tasks.add(task.pk)
                    tasks_by_code[task.code] = task
                    self.assignments({"task": task}, t["units"], units)
        self.prune(Task.objects.filter(plan=plan), keep_tasks)
        self.prune(Item.objects.filter(section__plan=plan), keep_items)
        self.prune(Section.objects.filter(plan=plan), keep_sections)

        keep_demos: set[int] = set()
        for d in spec.demos:
            demo = self.sync(
                DemoProject,
                {"plan": plan, "seq": d["seq"]},
                {
                    "field": d["field"],
                    "name": d["name"],
                    "hosts": d["hosts"],
                    "start_year": d["start_year"],
                    "end_year": d["end_year"],
                    "task": tasks_by_code.get(d["task"]),
                },
            )
            keep_demos.add(demo.pk)
            self.assignments({"demo": demo}, d["units"], units)
        self.prune(DemoProject.objects.filter(plan=plan), keep_demos)

        keep_indicators: set[int] = set()
        by_code: dict[str, Indicator] = {}
        for ind in spec.indicators:
            indicator = self.sync(
                Indicator,
                {"plan": plan, "code": ind["code"]},
                {**ind["values"], "seq": ind["seq"], "parent": by_code.get(ind["parent"])},
            )
            by_code[ind["code"]] = indicator
            keep_indicators.add(indicator.pk)
            keep_targets = {
                self.sync(
                    IndicatorTarget,
                    {"indicator": indicator, "year": t["year"]},
                    {k: v for k, v in t.items() if k != "year"},
                ).pk
                for t in ind["targets"]
            }
            self.prune(indicator.targets.all(), keep_targets)
        self.prune(Indicator.objects.filter(plan=plan), keep_indicators)


def plan_load(*, fixtures_dir: Path = DEFAULT_FIXTURES, plan_code: str | None = None) -> LoadResult:
    """Load units and every plan under ``fixtures_dir/plans`` (or only ``plan_code``)."""
    fixtures_dir = Path(fixtures_dir)
    unit_specs = _read_units(fixtures_dir / "units.yaml")
    plans_dir = fixtures_dir / "plans"
    folders = sorted(p for p in plans_dir.glob("*") if (p / "plan.yaml").is_file())
    if plan_code:
        folders = [p for p in folders if p.name == plan_code]
    if not folders:
        raise PlanFixtureError(
            f"在 {plans_dir} 下找不到方案数据" + (f"“{plan_code}”" if plan_code else "") + "。"
        )
    unit_names = {u.name for u in unit_specs}
    specs = [_read_plan(folder, unit_names) for folder in folders]
    result = LoadResult(plans=[s.code for s in specs])
    writer = _Writer(result)
    with transaction.atomic():
        units = writer.units(unit_specs)
        for spec in specs:
            writer.plan(spec, units)
    return result
