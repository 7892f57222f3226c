"""Reads of the achievement ledger (成果台账), for the pages and the API alike.

``entry_list`` is every entry the user may see (tasks.permissions.entries_visible_to), with what a
list shows, in one query; ``EntryFilter`` narrows it the same way on /ledger/ and
/api/achievements/; ``entries_behind`` is the drill-down of a value on the targets page: the
verified entries an indicator counts in a year (up to that year for a cumulative target).
"""

from django import forms
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters

from units.models import Unit, User

from . import permissions
from .filters import StyledFilterSet
from .models import (
    AchievementDomain,
    AchievementEntry,
    AchievementKind,
    EntryState,
    Indicator,
    Plan,
    Task,
)
from .selectors import plan_current


def entry_list(user: User) -> QuerySet[AchievementEntry]:
    """The entries this user may see, newest first, with unit, task and people (one query)."""
    return (
        AchievementEntry.objects.filter(permissions.entries_visible_to(user))
        .select_related("plan", "unit", "task", "created_by", "verified_by")
        .order_by("-date", "-id")
    )


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


def entries_behind(user: User, indicator: Indicator, year: int) -> QuerySet[AchievementEntry]:
    """The verified entries behind the indicator's value for ``year``: that year's, or all up to
    it for a cumulative indicator (what indicator_progress counts)."""
    qs = entry_filter_indicator(entry_list(user), indicator).filter(state=EntryState.VERIFIED)
    if is_cumulative(indicator):
        return qs.filter(date__year__lte=year)
    return qs.filter(date__year=year)


def _year_choices() -> list[tuple[str, str]]:
    plan = plan_current()
    return [(str(y), f"{y}年") for y in plan.years] if plan else []


def _indicators(request: object = None) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan=plan_current()).prefetch_related("targets")


class EntryFilter(StyledFilterSet):
    """Ledger filters, shared by /ledger/ and /api/achievements/. ``indicator`` (a code, such as
    invention-patents) selects its kind and domain; with ``year``, a cumulative indicator's
    entries up to that year."""

    kind = filters.ChoiceFilter(
        choices=AchievementKind.choices, label="成果类型", empty_label="全部类型"
    )
    domain = filters.ChoiceFilter(
        choices=AchievementDomain.choices, label="领域", empty_label="全部领域"
    )
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.organisations(), label="填报单位", empty_label="全部单位"
    )
    task = filters.ModelChoiceFilter(queryset=Task.objects.all(), label="相关任务")
    year = filters.ChoiceFilter(
        choices=_year_choices,
        method="filter_year",
        label="年度",
        empty_label="全部年度",
    )
    state = filters.ChoiceFilter(
        choices=EntryState.choices, label="核实状态", empty_label="全部状态"
    )
    indicator = filters.ModelChoiceFilter(
        queryset=_indicators,
        to_field_name="code",
        method="filter_indicator",
        label="计入指标",
        empty_label="全部指标",
    )

    class Meta:
        model = AchievementEntry
        fields = ["kind", "domain", "unit", "task", "year", "state", "indicator"]

    @property
    def form(self) -> forms.Form:
        form = super().form
        form.fields["task"].widget = forms.HiddenInput()
        return form

    def filter_year(
        self, qs: QuerySet[AchievementEntry], name: str, value: str
    ) -> QuerySet[AchievementEntry]:
        if not value:
            return qs
        indicator = self.form.cleaned_data.get("indicator")
        if indicator is not None and is_cumulative(indicator):
            return qs.filter(date__year__lte=int(value))
        return qs.filter(date__year=int(value))

    def filter_indicator(
        self, qs: QuerySet[AchievementEntry], name: str, value: Indicator | None
    ) -> QuerySet[AchievementEntry]:
        return qs if value is None else entry_filter_indicator(qs, value)


def entry_counts(user: User, plan: Plan | None = None) -> dict[str, int]:
    """How many visible entries there are in each state (for the list page's summary)."""
    plan = plan or plan_current()
    rows = (
        AchievementEntry.objects.filter(permissions.entries_visible_to(user), plan=plan)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = dict.fromkeys(EntryState.values, 0)
    counts.update(dict(rows))
    return counts
