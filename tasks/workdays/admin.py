"""Admin of the working-day calendar: the known years (a new year is entered by pasting the State
Council's notice), the holidays and 调休 working days of each. Writes go through the services."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.numbers import parse_int
from tasks.workdays.forms import CalendarDayForm, YearEnterForm
from tasks.workdays.models import CalendarDay, WorkdaySource, WorkdayYear
from tasks.workdays.selectors import WorkdayYearMissing, missing_years
from tasks.workdays.services import day_delete, day_save, year_enter
from units.models import User


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def _days_url(year: int) -> str:
    return reverse("admin:tasks_calendarday_changelist") + f"?date__year={year}"


def _count(is_workday: bool) -> Subquery:
    days = (
        CalendarDay.objects.annotate(y=ExtractYear("date"))
        .filter(y=OuterRef("year"), is_workday=is_workday)
        .values("y")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Subquery(days, output_field=IntegerField())


@admin.register(WorkdayYear)
class WorkdayYearAdmin(admin.ModelAdmin):
    list_display = ["year_label", "source", "holiday_count", "workday_count", "note", "updated_at"]
    list_filter = ["source"]
    fields = ["year", "source", "note", "updated_at"]
    readonly_fields = ["year", "source", "updated_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkdayYear]:
        return (
            super()
            .get_queryset(request)
            .annotate(holidays=_count(is_workday=False), workdays=_count(is_workday=True))
        )

    @admin.display(description="年份", ordering="year")
    def year_label(self, obj: WorkdayYear) -> str:
        return format_html('<a href="{}">{}年</a>', _days_url(obj.year), obj.year)

    @admin.display(description="放假天数")
    def holiday_count(self, obj: Any) -> int:
        return obj.holidays or 0

    @admin.display(description="调休上班天数")
    def workday_count(self, obj: Any) -> int:
        return obj.workdays or 0

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a year is replaced by entering its notice again, never left half-known

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        this_year = clock.today().year
        for year in missing_years([this_year, this_year + 1]):
            messages.warning(request, WorkdayYearMissing(year).message)
        return super().changelist_view(request, extra_context)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        """录入年度工作日安排: paste the State Council's notice for a year."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {"year": request.GET.get("year") or clock.today().year + 1}
        form = YearEnterForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                result = year_enter(actor=_actor(request), **form.cleaned_data)
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, result.summary())
                return HttpResponseRedirect(_days_url(result.year.year))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "录入年度工作日安排",
            "form": form,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/workdays/year_enter.html", context)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "arrangement", "name", "source"]
    list_filter = ["is_workday", "source"]
    date_hierarchy = "date"
    search_fields = ["name"]
    list_per_page = 100

    @admin.display(description="星期")
    def weekday(self, obj: CalendarDay) -> str:
        return "星期" + obj.weekday_label

    @admin.display(description="安排", ordering="is_workday")
    def arrangement(self, obj: CalendarDay) -> str:
        if obj.is_workday:
            return mark_safe('<strong style="color:#b45309">调休上班</strong>')
        return mark_safe('<span style="color:#047857">放假</span>')

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one day at a time, through the service
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: CalendarDay | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.source == WorkdaySource.OFFICE)

    def save_model(
        self, request: HttpRequest, obj: CalendarDay, form: ModelForm, change: bool
    ) -> None:
        day_save(actor=_actor(request), day=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarDay) -> None:
        day_delete(actor=_actor(request), day=obj)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[CalendarDay], search_term: str
    ) -> tuple[QuerySet[CalendarDay], bool]:
        year = parse_int(search_term, max_digits=4)
        if year is not None and len(search_term.strip()) == 4:  # a year
            return queryset.filter(Q(date__year=year)), False
        return super().get_search_results(request, queryset, search_term)
