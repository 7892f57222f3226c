"""The pages of a meeting's decisions registered together (``directive_batches``)."""

from django.urls import path

from . import views

app_name = "directive_batches"
urlpatterns: list = [
    path("", views.BatchView.as_view(), name="start"),
]
