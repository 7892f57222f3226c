"""催办 and 督办单 in the admin, read-only: they are written through the pages (services)."""

from django.contrib import admin
from django.http import HttpRequest

from .models import SupervisionOrder, SupervisionStep, Urge


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Urge)
class UrgeAdmin(ReadOnly):
    list_display = ["unit", "period", "sent_at", "sent_by"]
    list_filter = ["period"]
    search_fields = ["unit__name", "message"]


class StepInline(admin.TabularInline):
    model = SupervisionStep
    extra = 0
    can_delete = False
    readonly_fields = ["created_at", "action", "actor", "comment"]


@admin.register(SupervisionOrder)
class SupervisionOrderAdmin(ReadOnly):
    list_display = ["number", "unit", "task", "state", "due_date"]
    list_filter = ["state", "year"]
    search_fields = ["unit__name", "facts", "answer"]
    inlines = [StepInline]
