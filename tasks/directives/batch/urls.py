"""The pages of a meeting's decisions registered together (``directive_batches``)."""

from django.urls import path  # noqa: F401

app_name = "directive_batches"
urlpatterns: list = []
