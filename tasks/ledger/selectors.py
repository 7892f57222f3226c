"""Reads of the achievement ledger (成果台账), for the pages and the API alike.

``entry_list`` is every entry the user may see (tasks.entries_visible_to), with what a
list shows, in one query; ``EntryFilter`` narrows it the same way on /ledger/ and
/api/achievements/; ``entries_behind`` is the drill-down of a value on the targets page: the
verified entries an indicator counts in a year (up to that year for a cumulative target).
"""

import unicodedata
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from tasks.ledger.permissions import allowed_actions, entries_visible_to
from tasks.models import (
    AchievementEntry,
    EntryState,
    Indicator,
    Plan,
)
from tasks.plan.models import IndicatorTarget
from tasks.plan.selectors import indicator_list, plan_current
from units.models import User


def entry_list(user: User) -> QuerySet[AchievementEntry]:
    """The entries this user may see, newest first, with unit, task and people (one query)."""
    return (
        AchievementEntry.objects.filter(entries_visible_to(user))
        .select_related("plan", "unit", "task", "created_by", "verified_by")
        .order_by("-date", "-id")
    )


@dataclass(frozen=True)
class EntryRow:
    """An entry as a list shows it: what the user may do with it
    (tasks.ledger.permissions.allowed_actions), and the refusal of the user's last try on it
    with the comment they typed (the verification queue shows them in the row)."""

    entry: AchievementEntry
    actions: frozenset[str]
    error: str = ""
    comment: str = ""


def entry_rows(user: User, entries: list[AchievementEntry]) -> list[EntryRow]:
    """No queries."""
    return [EntryRow(entry, allowed_actions(user, entry)) for entry in entries]


def entry_detail(user: User, pk: int) -> AchievementEntry:
    """One entry the user may see, or Http404 (a guessed id reveals nothing)."""
    return get_object_or_404(entry_list(user), pk=pk)


def verify_queue(user: User) -> QuerySet[AchievementEntry]:
    """What waits for the office: pending entries, oldest first."""
    return entry_list(user).filter(state=EntryState.PENDING).order_by("date", "id")


def is_cumulative(indicator: Indicator) -> bool:
    """The indicator counts a total to reach by a year (示范园区和特色小镇, 创新平台)."""
    return any(t.cumulative for t in indicator.targets.all())


def entry_filter_indicator(
    qs: QuerySet[AchievementEntry], indicator: Indicator
) -> QuerySet[AchievementEntry]:
    """The entries of the indicator's kind (and domain, where it names one)."""
    qs = qs.filter(plan=indicator.plan_id, kind=indicator.ledger_kind)
    return qs.filter(domain=indicator.ledger_domain) if indicator.ledger_domain else qs


def entry_filter_words(qs: QuerySet[AchievementEntry], text: str) -> QuerySet[AchievementEntry]:
    """The entries with every word of ``text`` in their title, identifier, note or unit's name,
    ignoring case and full-width forms (ＺＬ２０２１ finds ZL2021)."""
    for word in unicodedata.normalize("NFKC", text or "").split():
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(identifier__icontains=word)
            | Q(note__icontains=word)
            | Q(unit__name__icontains=word)
        )
    return qs


def entries_behind(user: User, indicator: Indicator, year: int) -> QuerySet[AchievementEntry]:
    """The verified entries behind the indicator's value for ``year``: that year's, or all up to
    it for a cumulative indicator (what indicator_progress counts)."""
    qs = entry_filter_indicator(entry_list(user), indicator).filter(state=EntryState.VERIFIED)
    if is_cumulative(indicator):
        return qs.filter(date__year__lte=year)
    return qs.filter(date__year=year)


def entry_counts(user: User, plan: Plan | None = None) -> dict[str, int]:
    """How many visible entries there are in each state (for the list page's summary)."""
    plan = plan or plan_current()
    rows = (
        AchievementEntry.objects.filter(entries_visible_to(user), plan=plan)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(EntryState.values, 0)
    counts.update(dict(rows))
    return counts


@dataclass(frozen=True)
class YearProgress:
    year: int
    actual: int  # verified entries that year, or up to that year for a cumulative target
    target: IndicatorTarget | None

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.actual >= self.target.min_value


@dataclass(frozen=True)
class IndicatorProgress:
    indicator: Indicator
    years: list[YearProgress]


def indicator_progress(plan: Plan | None = None) -> list[IndicatorProgress]:
    """Each indicator's targets beside its actual values, computed from verified ledger entries
    of its kind (and domain): three queries."""
    from django.db.models import Count

    from tasks.models import AchievementEntry, EntryState

    plan = plan or plan_current()
    if plan is None:
        return []
    # one column per year of the plan (a date range each, which the database compares
    # cheaply), grouped by kind and domain: a few rows
    years = list(plan.years)
    rows = (
        AchievementEntry.objects.filter(plan=plan, state=EntryState.VERIFIED)
        .values_list("kind", "domain")
        .annotate(**{f"y{year}": Count("id", filter=Q(date__year=year)) for year in years})
        .order_by()
    )
    counts: dict[tuple[str, str, int], int] = {}
    for kind, domain, *per_year in rows:
        for year, n in zip(years, per_year, strict=True):
            counts[(kind, domain, year)] = n
    result = []
    for indicator in indicator_list(plan=plan):
        by_year = {
            year: sum(
                n
                for (kind, domain, y), n in counts.items()
                if kind == indicator.ledger_kind
                and y == year
                and (not indicator.ledger_domain or domain == indicator.ledger_domain)
            )
            for year in plan.years
        }
        targets = {t.year: t for t in indicator.targets.all()}
        progress = []
        for year in plan.years:
            target = targets.get(year)
            actual = (
                sum(v for y, v in by_year.items() if y <= year)
                if target is not None and target.cumulative
                else by_year[year]
            )
            progress.append(YearProgress(year, actual, target))
        result.append(IndicatorProgress(indicator, progress))
    return result


@dataclass(frozen=True)
class IndicatorCell:
    year: int
    actual: int  # the year's verified entries, or the running total for a cumulative indicator
    target: IndicatorTarget | None
    met: bool | None
    query: str  # the ledger's filter for the entries behind ``actual`` (/ledger/?…)


@dataclass(frozen=True)
class IndicatorRow:
    """An indicator as 主要目标 shows it: one cell per year of the plan."""

    indicator: Indicator
    cells: list[IndicatorCell]
    cumulative: bool


def indicator_table(plan: Plan | None = None) -> list[IndicatorRow]:
    """indicator_progress as the targets page lays it out (three queries)."""
    rows = []
    for progress in indicator_progress(plan):
        indicator = progress.indicator
        cumulative = any(y.target and y.target.cumulative for y in progress.years)
        running = 0
        cells = []
        for y in progress.years:
            running = y.actual if y.target and y.target.cumulative else running + y.actual
            query = urlencode({"indicator": indicator.code, "year": y.year, "state": "verified"})
            actual = running if cumulative else y.actual
            cells.append(IndicatorCell(y.year, actual, y.target, y.met, query))
        rows.append(IndicatorRow(indicator, cells, cumulative))
    return rows
