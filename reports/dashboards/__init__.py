"""The dashboard (总览): every number it shows, as one JSON-serialisable dict.

``dashboard_data`` is the whole plan for the office, the administrator and the leader; one
unit's page is reports.unit_dashboard, the list behind a block of a chart reports.why. Pages and
/api/dashboard/ read from here, so they show the same numbers under the same rules; the lights
are tasks.lights' (submitted reports only, for every reader), the office also sees how many
reports are drafts or returned.

The modules, by concern:
- ``cache``: the cache versions and the periods' lights versions (what is kept and when it is
  stale: ``everything_changed``, ``lights_changed``, the version keys);
- ``periods``: the audience and the periods offered;
- ``lights_sql``: lights counted in the database per period or assignment, built from
  tasks.lights' definitions (the trend, and the kept TrendPoints);
- ``parts``: the plan's structure, the milestone and report counts, the indicators, each cached
  under the versions of the rows it reads;
- ``charts``: the tiles and charts, and the blocks they count (shared with the drill-down);
- ``build``: ``dashboard_data``, the one entry point.

docs/architecture.md explains when each is stale, docs/performance.md what each saves.
"""

from .build import _dashboard_compute, dashboard_data
from .cache import (
    CACHE_TTL,
    LEDGER_VERSION_KEY,
    MILESTONE_VERSION_KEY,
    PLAN_VERSION_KEY,
    VERSION_KEY,
    VERSION_KEYS,
    cached,
    everything_changed,
    lights_changed,
    versions_replace,
)
from .charts import block_tasks, matrix_blocks, section_blocks
from .lights_sql import (
    assignment_light_map,
    light_counts_by_period,
    light_rule,
    trend_counts,
)
from .parts import (
    cached_milestones,
    cached_structure,
    indicator_values,
    milestone_part,
    plan_structure,
    report_part,
    severities,
)
from .periods import (
    LEADER,
    LIGHTS,
    OFFICE,
    audience_of,
    dashboard_periods,
    period_default,
    period_dict,
    rate,
)

__all__ = [
    "CACHE_TTL",
    "LEADER",
    "LEDGER_VERSION_KEY",
    "LIGHTS",
    "MILESTONE_VERSION_KEY",
    "OFFICE",
    "PLAN_VERSION_KEY",
    "VERSION_KEY",
    "VERSION_KEYS",
    "_dashboard_compute",
    "assignment_light_map",
    "audience_of",
    "block_tasks",
    "cached",
    "cached_milestones",
    "cached_structure",
    "dashboard_data",
    "dashboard_periods",
    "everything_changed",
    "indicator_values",
    "light_counts_by_period",
    "light_rule",
    "lights_changed",
    "matrix_blocks",
    "milestone_part",
    "period_default",
    "period_dict",
    "plan_structure",
    "rate",
    "report_part",
    "section_blocks",
    "severities",
    "trend_counts",
    "versions_replace",
]
