"""Admin of reporting periods and progress reports."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tasks.reporting.models import Evidence, ProgressReport, ReportingPeriod, ReportTransition


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "start_date", "end_date", "due_date", "state"]
    list_filter = ["plan", "state", "year"]
    search_fields = ["code"]
    readonly_fields = ["opened_at", "closed_at"]


class TransitionInline(admin.TabularInline):
    model = ReportTransition
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "action", "from_state", "to_state", "actor", "comment"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    readonly_fields = [
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    """Read-mostly: the workflow runs through the pages and the API, which apply the rules."""

    list_display = ["period", "unit", "assignment", "state", "status", "percent", "updated_at"]
    list_filter = ["period", "state", "status", "unit"]
    search_fields = ["unit__name", "assignment__task__code", "narrative"]
    list_select_related = [
        "period",
        "unit",
        "assignment__task",
        "assignment__demo",
        "assignment__unit",
    ]
    readonly_fields = [
        "period",
        "assignment",
        "unit",
        "state",
        "status",
        "percent",
        "narrative",
        "problems",
        "next_steps",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "accepted_at",
    ]
    inlines = [TransitionInline, EvidenceInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
