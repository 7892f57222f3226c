from django.urls import include, path
from rest_framework.routers import DefaultRouter

from demos.api import DemoProjectViewSet
from reports.assessment.api import AssessmentView
from tasks.directives.api import DirectiveViewSet
from tasks.ledger.api import AchievementEntryViewSet, IndicatorProgressViewSet
from tasks.milestones.api import MilestoneViewSet
from tasks.plan.api import IndicatorViewSet, SectionViewSet, TaskViewSet
from tasks.reporting.api import PeriodViewSet, ProgressReportViewSet
from units.api import TokenObtainView, UnitViewSet
from units.notifications.api import NoticeViewSet

router = DefaultRouter()
router.register("sections", SectionViewSet, basename="section")
router.register("tasks", TaskViewSet, basename="task")
router.register("units", UnitViewSet, basename="unit")
router.register("demos", DemoProjectViewSet, basename="demo")
router.register("indicators/progress", IndicatorProgressViewSet, basename="indicator-progress")
router.register("indicators", IndicatorViewSet, basename="indicator")
router.register("periods", PeriodViewSet, basename="period")
router.register("progress-reports", ProgressReportViewSet, basename="progress-report")
router.register("milestones", MilestoneViewSet, basename="milestone")
router.register("achievements", AchievementEntryViewSet, basename="achievement")
router.register("notifications", NoticeViewSet, basename="notification")
router.register("directives", DirectiveViewSet, basename="directive")

urlpatterns = [
    path("auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("dashboard/", include("reports.api_urls")),
    path("assessment/", AssessmentView.as_view(), name="api-assessment"),
    *router.urls,
]
