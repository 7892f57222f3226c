"""The admin of the group robots (群机器人), in Chinese; notices and deliveries are read on their
own pages (/notifications/, /notifications/deliveries/)."""

from django.contrib import admin
from django.db import models

from .models import Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "kind", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "unit__name"]
    autocomplete_fields = ["unit"]
    fields = ["name", "unit", "kind", "url", "secret", "active"]
    # a robot's address typed without a scheme is https (what Django 6 will assume)
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
