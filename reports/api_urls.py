from django.urls import path

from .api import DashboardView

urlpatterns = [path("", DashboardView.as_view(), name="api-dashboard")]
