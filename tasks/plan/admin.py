from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from tasks.models import (
    Assignment,
    Indicator,
    IndicatorTarget,
    Item,
    Plan,
    Section,
    Task,
)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year", "is_current"]
    list_filter = ["is_current"]
    search_fields = ["name", "code"]


class ItemInline(admin.TabularInline):
    model = Item
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["code", "part", "number", "title", "plan"]
    list_filter = ["plan", "part"]
    search_fields = ["title", "code"]
    inlines = [ItemInline]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "section"]
    list_filter = ["section__plan", "section"]
    search_fields = ["title"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "task"
    fields = ["order", "unit", "role"]
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ["seq", "code", "section", "item", "summary", "lead_unit", "requires_plan"]
    list_display_links = ["seq", "code"]
    list_filter = ["plan", "section", "requires_plan", "assignments__unit"]
    search_fields = ["code", "content", "note", "assignments__unit__name"]
    list_select_related = ["section", "item"]
    inlines = [AssignmentInline]
    ordering = ["plan", "seq"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Task]:
        return super().get_queryset(request).prefetch_related("assignments__unit")

    @admin.display(description="主要内容")
    def summary(self, obj: Task) -> str:
        return obj.content if len(obj.content) <= 40 else obj.content[:40] + "…"

    @admin.display(description="牵头单位")
    def lead_unit(self, obj: Task) -> str:
        return "、".join(a.unit.name for a in obj.assignments.all() if a.role == "lead")


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "unit", "role", "order"]
    list_filter = ["role", "unit__kind", "unit"]
    search_fields = ["unit__name", "task__code", "task__content", "demo__name"]
    autocomplete_fields = ["unit", "task", "demo"]
    list_select_related = ["unit", "task", "demo"]


class TargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["seq", "name", "measure", "goal", "parent"]
    list_display_links = ["name"]
    list_filter = ["plan", "goal"]
    search_fields = ["name", "code", "source_text"]
    inlines = [TargetInline]


# --- the achievement ledger (成果台账) ---------------------------------------------------------

# --- annual work arrangements (年度工作安排) ----------------------------------------------------
