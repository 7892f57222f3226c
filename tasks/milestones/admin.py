"""Admin of milestones."""

from django.contrib import admin

from tasks.milestones.models import Milestone


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    """For looking things up; the workflow (mark done, confirm, reject) runs through the pages
    and the API, which apply the rules."""

    list_display = [
        "title",
        "year",
        "due_date",
        "unit",
        "assignment",
        "state",
        "arrangement_confirmed",
    ]
    list_filter = ["year", "state", "arrangement_confirmed", "unit"]
    search_fields = ["title", "unit__name", "assignment__task__code", "done_note"]
    date_hierarchy = "due_date"
    list_select_related = ["unit", "assignment__task", "assignment__demo", "assignment__unit"]
    raw_id_fields = ["assignment"]
    readonly_fields = [
        "state",
        "done_at",
        "done_by",
        "done_note",
        "file",
        "file_name",
        "file_type",
        "confirmed_at",
        "confirmed_by",
        "review_comment",
        "created_by",
        "created_at",
    ]
