"""Admin of the achievement ledger."""

from django.contrib import admin
from django.http import HttpRequest

from tasks.ledger.models import AchievementEntry


@admin.register(AchievementEntry)
class AchievementEntryAdmin(admin.ModelAdmin):
    """Read-mostly: recording and verification run through the pages and the API, which check
    the rules (identifiers counted once, dates within the plan, who may verify)."""

    list_display = ["title", "kind", "domain", "date", "unit", "identifier", "state"]
    list_filter = ["state", "kind", "domain", "plan", "unit"]
    search_fields = ["title", "identifier", "unit__name", "note"]
    date_hierarchy = "date"
    list_select_related = ["unit", "plan"]
    readonly_fields = [
        "plan",
        "kind",
        "domain",
        "title",
        "date",
        "unit",
        "task",
        "identifier",
        "note",
        "file_name",
        "file_type",
        "state",
        "review_comment",
        "created_by",
        "created_at",
        "verified_by",
        "verified_at",
    ]
    exclude = ["file"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
