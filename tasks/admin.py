from django.contrib import admin

from .models import (
    Assignment,
    Evidence,
    Indicator,
    IndicatorTarget,
    Item,
    Plan,
    ProgressReport,
    ReportingPeriod,
    ReportTransition,
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

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
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

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
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

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
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

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


# --- the achievement ledger (成果台账) ---------------------------------------------------------

from .models import AchievementEntry  # noqa: E402  (appended section)


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

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


# --- annual work arrangements (年度工作安排) ----------------------------------------------------

from .models import Milestone  # noqa: E402  (appended section)


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
