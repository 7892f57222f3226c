from django.contrib import admin

from tasks.models import Assignment

from .models import DemoProject


class DemoAssignmentInline(admin.TabularInline):
    model = Assignment
    fk_name = "demo"
    fields = ["order", "unit", "role"]
    autocomplete_fields = ["unit"]
    extra = 0


@admin.register(DemoProject)
class DemoProjectAdmin(admin.ModelAdmin):
    list_display = ["seq", "name", "field", "start_year", "end_year", "task"]
    list_display_links = ["name"]
    list_filter = ["plan", "field"]
    search_fields = ["name", "field", "hosts"]
    autocomplete_fields = ["task"]
    inlines = [DemoAssignmentInline]
