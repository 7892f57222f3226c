"""The pages of a new plan imported from Excel (namespace ``plan_import``, under /plans/import/)."""

from django.urls import path  # noqa: F401

app_name = "plan_import"
urlpatterns: list = []
