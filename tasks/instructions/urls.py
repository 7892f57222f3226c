"""The pages of 领导批示 (namespace ``instructions``, under /instructions/)."""

from django.urls import path  # noqa: F401

app_name = "instructions"
urlpatterns: list = []
