"""The dashboard's tiles and charts, built in Python from the plan's structure and each
assignment's severity (parts.severities: 0 grey … 3 red, tasks.lights' rule), never from single
reports. The blocks the charts count (a section's tasks of one light, a unit's tasks in a section)
are selected here by one function each, which the drill-down page (reports.why) calls too: the
number on a chart and the list behind it always agree."""

from collections import defaultdict
from typing import Any

from reports.assessment.rules import DEFAULT_RULES, Parts, Rules, rank, score
from reports.assessment.selectors import rules_in_force
from tasks.lights import SEVERITY, SEVERITY_LIGHT
from tasks.models import ReportingPeriod

from .lights_sql import trend_counts
from .periods import LIGHTS, OFFICE, rate

# --- the blocks --------------------------------------------------------------------------------


def task_severities(structure: dict[str, Any], sev: dict[int, int]) -> dict[int, int]:
    """Each task's severity: the worst of its assignments'."""
    return {
        task_id: max(sev.get(aid, 0) for aid in aids)
        for task_id, (_sec, aids) in structure["tasks"].items()
    }


def unit_task_severities(
    structure: dict[str, Any], sev: dict[int, int]
) -> dict[int, dict[int, int]]:
    """Per unit, each task it holds a duty on (directly or as a member of a group) with the
    worst severity of those duties' assignments."""
    per_unit: dict[int, dict[int, int]] = defaultdict(dict)
    for aid, unit_id, task_id, _sec in structure["duties"]:
        if task_id is None:
            continue
        tasks = per_unit[unit_id]
        tasks[task_id] = max(tasks.get(task_id, 0), sev.get(aid, 0))
    return per_unit


def section_blocks(
    structure: dict[str, Any], sev: dict[int, int]
) -> dict[tuple[int, str], dict[int, int]]:
    """The blocks of the section chart (and the task tile, their sum): (section id, light) →
    the tasks of that section with that light, and their severity."""
    blocks: dict[tuple[int, str], dict[int, int]] = defaultdict(dict)
    for task_id, severity in task_severities(structure, sev).items():
        section = structure["tasks"][task_id][0]
        blocks[(section, SEVERITY_LIGHT[severity])][task_id] = severity
    return blocks


def matrix_blocks(
    structure: dict[str, Any], sev: dict[int, int]
) -> dict[tuple[int, int], dict[int, int]]:
    """The cells of the units × sections matrix: (unit id, section id) → the unit's tasks in
    that section with the unit's severity on each (a cell's light is their worst)."""
    blocks: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for unit_id, tasks in unit_task_severities(structure, sev).items():
        for task_id, severity in tasks.items():
            blocks[(unit_id, structure["tasks"][task_id][0])][task_id] = severity
    return blocks


def block_tasks(
    structure: dict[str, Any],
    sev: dict[int, int],
    *,
    section: int | None = None,
    unit: int | None = None,
    light: str | None = None,
) -> dict[int, int]:
    """The tasks one block of the dashboard counts, with the severity each is counted under:
    without ``unit``, the task tile (``light``) or a section's bar (``section``, ``light``) by
    the task's light; with ``unit``, a cell of the matrix (``unit``, ``section``) or all the
    unit's tasks, by the unit's light on each, ``light`` keeping one light only."""
    blocks: dict[Any, dict[int, int]]
    if unit is None:
        blocks = {
            key: tasks
            for key, tasks in section_blocks(structure, sev).items()
            if (section is None or key[0] == section) and (light is None or key[1] == light)
        }
    else:
        blocks = {
            key: tasks
            for key, tasks in matrix_blocks(structure, sev).items()
            if key[0] == unit and (section is None or key[1] == section)
        }
    found: dict[int, int] = {}
    for tasks in blocks.values():
        for task_id, severity in tasks.items():
            if light is None or SEVERITY_LIGHT[severity] == light:
                found[task_id] = severity
    return found


# --- the charts --------------------------------------------------------------------------------


def sections_chart(structure: dict[str, Any], sev: dict[int, int]) -> list[dict[str, Any]]:
    """Each section's tasks by light."""
    blocks = section_blocks(structure, sev)
    sections = []
    for s in structure["sections"]:
        counts = {light: len(blocks.get((s["id"], light), ())) for light in LIGHTS}
        sections.append({**s, **counts, "total": sum(counts.values())})
    return sections


def matrix_chart(structure: dict[str, Any], sev: dict[int, int]) -> dict[str, Any]:
    """The units × sections matrix: each cell the unit's tasks in the section and the worst of
    the unit's lights on them."""
    blocks = matrix_blocks(structure, sev)
    units, sections = structure["units"], structure["sections"]
    return {
        "units": [{"id": u[0], "name": u[1]} for u in units],
        "sections": [{"id": s["id"], "code": s["code"], "label": s["label"]} for s in sections],
        "cells": [
            {
                "unit": ui,
                "section": si,
                "light": SEVERITY_LIGHT[max(blocks[(u[0], s["id"])].values())],
                "tasks": len(blocks[(u[0], s["id"])]),
            }
            for ui, u in enumerate(units)
            for si, s in enumerate(sections)
            if (u[0], s["id"]) in blocks
        ],
    }


def scorecard_chart(
    structure: dict[str, Any],
    sev: dict[int, int],
    reports: dict[str, Any],
    milestones: dict[str, Any],
    *,
    past_due: bool,
    year: int | None = None,
    rules: Rules | None = None,
) -> list[dict[str, Any]]:
    """The unit scorecard: on-time rate, share on track, milestones met, overdue milestones, the
    unit's duties by light, a score (reports.assessment.rules under the rules in force for
    ``year``, the period's; None: the defaults) and a rank."""
    if rules is None:
        rules = rules_in_force(year) if year is not None else DEFAULT_RULES
    unit_lights: dict[int, list[int]] = defaultdict(lambda: [0] * len(SEVERITY))
    duty_count: dict[int, int] = defaultdict(int)
    for aid, unit_id, _task_id, _sec in structure["duties"]:
        unit_lights[unit_id][sev.get(aid, 0)] += 1
        duty_count[unit_id] += 1
    reported, ms_unit = reports["units"], milestones["units"]
    scorecard = []
    for unit_id, unit_name, _order in structure["units"]:
        n = duty_count[unit_id]
        r = reported.get(unit_id, {})
        submitted, late_n = r.get("submitted", 0), r.get("late", 0)
        on_time = submitted - late_n
        ms = ms_unit.get(unit_id, {})
        on_time_rate = rate(on_time, n)
        on_track = rate(r.get("green", 0), n)
        met = rate(ms.get("done", 0), ms.get("due", 0))
        overdue = ms.get("overdue", 0)
        parts = Parts(on_time_rate, on_track, met, overdue_milestones=overdue)
        counts = unit_lights[unit_id]
        scorecard.append(
            {
                "unit_id": unit_id,
                "unit": unit_name,
                "duties": n,
                "submitted": submitted,
                "on_time": on_time,
                "late": late_n,
                "not_submitted": n - submitted,
                "overdue_reports": n - submitted if past_due else 0,
                "on_time_rate": on_time_rate,
                "on_track": r.get("green", 0),
                "on_track_share": on_track,
                "milestones_due": ms.get("due", 0),
                "milestones_done": ms.get("done", 0),
                "milestones_rate": met,
                "milestones_overdue": overdue,
                "lights": {SEVERITY_LIGHT[i]: counts[i] for i in (1, 2, 3, 0)},
                "score": score(parts, rules),
            }
        )
    rank(scorecard)
    return scorecard


def reports_tile(
    structure: dict[str, Any],
    scorecard: list[dict[str, Any]],
    reports: dict[str, Any],
    *,
    audience: str,
    past_due: bool,
) -> dict[str, Any]:
    due_total = len(structure["duties"])
    submitted_total = sum(s["submitted"] for s in scorecard)
    late_total = sum(s["late"] for s in scorecard)
    tile: dict[str, Any] = {
        "due": due_total,
        "submitted": submitted_total,
        "on_time": submitted_total - late_total,
        "late": late_total,
        "not_submitted": due_total - submitted_total,
        "overdue": due_total - submitted_total if past_due else 0,
        "on_time_rate": rate(submitted_total - late_total, due_total),
    }
    if audience == OFFICE:  # drafts and returned reports: the office's business only
        tile["draft"] = sum(r["draft"] for r in reports["units"].values())
        tile["returned"] = sum(r["returned"] for r in reports["units"].values())
    return tile


def milestones_tile(milestones: dict[str, Any]) -> dict[str, int]:
    total = milestones["total"]
    return {
        "due": total["due_in_period"],
        "done": total["done_in_period"],
        "due_this_year": total["due"],
        "done_this_year": total["done"],
        "overdue": total["overdue"],
    }


def trend_chart(
    period: ReportingPeriod,
    periods: list[ReportingPeriod],
    task_tile: dict[str, int],
    n_tasks: int,
) -> list[dict[str, Any]]:
    """Tasks by light in every period up to this one: the earlier periods' points kept while
    nothing has changed them, this period's from the lights above."""
    shown = [p for p in periods if p.start_date <= period.start_date] or [period]
    counts = trend_counts([p for p in shown if p.pk != period.pk], period.plan_id)
    counts[period.pk] = {light: task_tile[light] for light in LIGHTS[:3]}
    trend = []
    for p in shown:
        c = counts.get(p.pk, {})
        point: dict[str, Any] = {"code": p.code, "label": p.label}
        point.update({light: c.get(light, 0) for light in LIGHTS[:3]})
        point["grey"] = n_tasks - sum(point[light] for light in LIGHTS[:3])
        trend.append(point)
    return trend


def demos_chart(structure: dict[str, Any], sev: dict[int, int]) -> list[dict[str, Any]]:
    """Demo projects with their lights (the worst of their assignments')."""
    return [
        {
            **{k: v for k, v in d.items() if k != "assignments"},
            "light": SEVERITY_LIGHT[max((sev.get(aid, 0) for aid in d["assignments"]), default=0)],
        }
        for d in structure["demos"]
    ]


def demos_tile(demo_list: list[dict[str, Any]]) -> dict[str, int]:
    tile = {light: sum(1 for d in demo_list if d["light"] == light) for light in LIGHTS}
    tile["total"] = len(demo_list)
    tile["on_track"] = tile["green"]
    return tile
