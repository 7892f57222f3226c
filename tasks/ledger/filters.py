"""The ledger's filter (pages and API)."""

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from hefei_ai_zone.filters import StyledFilterSet
from tasks.ledger.models import AchievementDomain, AchievementEntry, AchievementKind, EntryState
from tasks.ledger.selectors import entry_filter_indicator, entry_filter_words, is_cumulative
from tasks.plan.models import Indicator, Task
from tasks.plan.selectors import plan_current
from units.models import Unit


def _year_choices() -> list[tuple[str, str]]:
    plan = plan_current()
    return [(str(y), f"{y}年") for y in plan.years] if plan else []


def _indicators(request: object = None) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan=plan_current()).prefetch_related("targets")


class EntryFilter(StyledFilterSet):
    """Ledger filters, shared by /ledger/ and /api/achievements/. ``q`` finds words in the title,
    the identifier, the note or the unit's name; ``indicator`` (a code, such as
    invention-patents) selects its kind and domain; with ``year``, a cumulative indicator's
    entries up to that year."""

    q = filters.CharFilter(
        method="filter_q",
        label="关键词",
        max_length=100,
        help_text="成果名称、编号、说明或填报单位中的词；多个词用空格分开，须都出现。",
    )
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
        fields = ["q", "kind", "domain", "unit", "task", "year", "state", "indicator"]

    @property
    def form(self) -> forms.Form:
        form = super().form
        form.fields["task"].widget = forms.HiddenInput()
        form.fields["q"].widget.attrs.update(
            {"placeholder": "名称、编号、说明、单位", "type": "search"}
        )
        return form

    def filter_q(
        self, qs: QuerySet[AchievementEntry], name: str, value: str
    ) -> QuerySet[AchievementEntry]:
        return entry_filter_words(qs, value)

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
