"""The office edits the reminder rules in the admin; the escalations are read-only there."""

from django.contrib import admin
from django.http import HttpRequest

from tasks.reminders.models import Escalation, ReminderRule


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "offsets", "recipients", "active")
    list_editable = ("offsets", "recipients", "active")
    list_filter = ("kind", "active")

    def get_readonly_fields(
        self, request: HttpRequest, obj: ReminderRule | None = None
    ) -> tuple[str, ...]:
        return ("code", "kind") if obj else ()


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("period", "unit", "assignment", "escalated_on")
    list_filter = ("period",)
    list_select_related = ("period", "unit", "assignment__task", "assignment__demo")
    search_fields = ("unit__name",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Escalation | None = None) -> bool:
        return False
