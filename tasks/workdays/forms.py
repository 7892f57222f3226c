"""The admin's forms of the working-day calendar."""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin
from tasks.workdays.models import FIRST_YEAR, LAST_YEAR, CalendarDay
from tasks.workdays.selectors import missing_years


class YearEnterForm(ServiceErrorsMixin, forms.Form):
    """A year's arrangement pasted from the State Council's notice."""

    year = forms.IntegerField(label="年份", min_value=FIRST_YEAR, max_value=LAST_YEAR)
    note = forms.CharField(
        label="依据",
        required=False,
        max_length=200,
        help_text="通知的名称和文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）。",
    )
    text = forms.CharField(
        label="放假安排",
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        help_text=(
            "粘贴通知中的各项安排，每个节日一行，如：<br>"
            "一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。<br>"
            "二、春节：2月5日至11日放假调休，共7天。1月31日（周日）、2月20日（周六）上班。<br>"
            "日期也可写作 2027-10-01；未写年份的日期按所填年份计。"
        ),
    )
    replace = forms.BooleanField(
        label="替换已有安排",
        required=False,
        help_text="该年已有安排时，以这份通知为准替换该年全部放假调休日。",
    )


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "is_workday", "name"]

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day and missing_years([day.year]):
            raise forms.ValidationError(
                f"{day.year}年的工作日安排尚未录入：请先在“工作日安排（年度）”中录入该年的放假安排。"
            )
        return day
