"""The pages of 督办事项 (namespace ``directives``, under /directives/)."""

from django.urls import path  # noqa: F401

app_name = "directives"
urlpatterns: list = []
