"""The browser pages of progress reporting (included at the site root)."""

from django.urls import path

from tasks.reporting.views import my_tasks, periods, queues, reports

app_name = "reporting"
urlpatterns = [
    path("my/", my_tasks.MyTasksView.as_view(), name="my-tasks"),
    path(
        "reports/start/<str:period_code>/<int:assignment_id>/",
        reports.ReportStartView.as_view(),
        name="report-start",
    ),
    path("reports/<int:pk>/", reports.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", reports.ReportEditView.as_view(), name="report-edit"),
    path(
        "reports/<int:pk>/evidence/<int:eid>/",
        reports.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path("review/", queues.ReviewView.as_view(), name="review"),
    path("approvals/", queues.ApprovalQueueView.as_view(), name="approvals"),
    path("periods/", periods.PeriodListView.as_view(), name="period-list"),
    path("periods/<str:code>/", periods.PeriodDetailView.as_view(), name="period-detail"),
    path(
        "periods/<str:code>/open/",
        periods.PeriodActionView.as_view(),
        {"action": "open"},
        name="period-open",
    ),
    path(
        "periods/<str:code>/close/",
        periods.PeriodActionView.as_view(),
        {"action": "close"},
        name="period-close",
    ),
]
