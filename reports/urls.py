"""The dashboard pages (included at /dashboard/)."""

from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("why/", views.WhyView.as_view(), name="why"),
    path("units/<int:pk>/", views.UnitDashboardView.as_view(), name="unit"),
]
