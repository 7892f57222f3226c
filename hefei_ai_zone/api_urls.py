from django.urls import path
from rest_framework.routers import DefaultRouter

from demos.api import DemoProjectViewSet
from tasks.api import IndicatorViewSet, SectionViewSet, TaskViewSet
from tasks.api_reporting import PeriodViewSet, ProgressReportViewSet
from units.api import TokenObtainView, UnitViewSet

router = DefaultRouter()
router.register("sections", SectionViewSet, basename="section")
router.register("tasks", TaskViewSet, basename="task")
router.register("units", UnitViewSet, basename="unit")
router.register("demos", DemoProjectViewSet, basename="demo")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("periods", PeriodViewSet, basename="period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    *router.urls,
]
