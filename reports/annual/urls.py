"""年度报告与台账 (included at /annual/)."""

from django.urls import path

from . import views

app_name = "annual"
urlpatterns = [path("", views.AnnualView.as_view(), name="annual")]
