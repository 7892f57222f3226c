"""The pages of 督查考核 (namespace ``assessment``, under /assessment/)."""

from django.urls import path  # noqa: F401

app_name = "assessment"
urlpatterns: list = []
