"""The 督办事项 list's filter (pages and API): source, state, unit, overdue, 逾期未签收, words."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django_filters import rest_framework as filters

from hefei_ai_zone import clock
from hefei_ai_zone.filters import StyledFilterSet
from units.models import Unit

from .models import Directive, DirectiveSource, DirectiveState, DirectiveUnit
from .selectors import Q_MAX, overdue_q, sign_overdue_q

YES_NO = [("true", "是"), ("false", "否")]


class DirectiveFilter(StyledFilterSet):
    source = filters.ChoiceFilter(
        choices=DirectiveSource.choices, label="来源", empty_label="全部来源"
    )
    state = filters.ChoiceFilter(
        choices=DirectiveState.choices, label="状态", empty_label="全部状态"
    )
    unit = filters.ModelChoiceFilter(
        queryset=Unit.objects.organisations(),
        method="filter_unit",
        label="承办单位",
        empty_label="全部单位",
    )
    overdue = filters.ChoiceFilter(
        choices=[("true", "逾期"), ("false", "未逾期")],
        method="filter_overdue",
        label="逾期",
        empty_label="全部",
    )
    sign_overdue = filters.ChoiceFilter(
        choices=[("true", "逾期未签收"), ("false", "其余")],
        method="filter_sign_overdue",
        label="签收",
        empty_label="全部",
    )
    q = filters.CharFilter(method="filter_q", label="关键词", max_length=Q_MAX)

    class Meta:
        model = Directive
        fields = ["source", "state", "unit", "overdue", "sign_overdue", "q"]

    def filter_unit(self, qs: QuerySet[Directive], name: str, value: Unit) -> QuerySet[Directive]:
        if not value:
            return qs
        duty = DirectiveUnit.objects.filter(directive=OuterRef("pk"), unit=value)
        return qs.filter(Exists(duty))

    def filter_overdue(self, qs: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        if not value:
            return qs
        q = overdue_q(clock.today())
        return qs.filter(q) if value == "true" else qs.exclude(q)

    def filter_sign_overdue(
        self, qs: QuerySet[Directive], name: str, value: str
    ) -> QuerySet[Directive]:
        if not value:
            return qs
        q = sign_overdue_q(clock.today())
        return qs.filter(q) if value == "true" else qs.exclude(q)

    def filter_q(self, qs: QuerySet[Directive], name: str, value: str) -> QuerySet[Directive]:
        words = (value or "").strip()
        if not words:
            return qs
        match = Q(title__icontains=words) | Q(requirement__icontains=words)
        if words.isdigit() and len(words) < 9:
            match |= Q(seq=int(words))
        return qs.filter(match)
