"""联络员 in the admin (in Chinese); the office's own page is /units/<id>/contacts/."""

from django.contrib import admin

from .models import Contact


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "mobile", "office_phone", "email", "order"]
    list_filter = ["unit"]
    search_fields = ["name", "unit__name", "mobile", "email"]
    autocomplete_fields = ["unit"]
    fields = ["unit", "name", "mobile", "office_phone", "email", "note", "order"]
