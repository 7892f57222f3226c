"""The drill-down page's query (/dashboard/why/?period=…&section=…&unit=…&light=…), read and
checked: an unknown value is a Chinese message beside the page, never a 500."""

from typing import Any

from django import forms

from tasks.lights import Light
from tasks.models import ReportingPeriod, Section
from units.models import Unit


class WhyForm(forms.Form):
    period = forms.CharField(required=False)
    section = forms.ModelChoiceField(
        queryset=Section.objects.none(),
        required=False,
        error_messages={"invalid_choice": "没有这个板块。"},
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.organisations(),
        required=False,
        error_messages={"invalid_choice": "没有这个单位（单位集合由其成员单位分别计）。"},
    )
    light = forms.ChoiceField(
        choices=[("", "全部灯色"), *Light.choices],
        required=False,
        error_messages={"invalid_choice": "灯色只能是 green、yellow、red 或 grey。"},
    )

    def __init__(
        self, data: Any, *, periods: list[ReportingPeriod], default: ReportingPeriod | None
    ) -> None:
        super().__init__(data)
        self.periods, self.default = periods, default
        plan_id = default.plan_id if default else None
        self.fields["section"].queryset = Section.objects.filter(plan=plan_id)  # type: ignore[attr-defined]

    def clean_period(self) -> ReportingPeriod:
        code = self.cleaned_data["period"]
        if not code:
            if self.default is None:
                raise forms.ValidationError("还没有报送周期。")
            return self.default
        found = next((p for p in self.periods if p.code == code), None)
        if found is None:
            raise forms.ValidationError(f"没有代码为“{code}”的报送周期。")
        return found

    def clean_light(self) -> str | None:
        return self.cleaned_data["light"] or None
