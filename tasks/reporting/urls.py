"""The browser pages of progress reporting (included at the site root)."""

from django.urls import path

from tasks.reporting import views, views_periods, views_queues

app_name = "reporting"
urlpatterns = [
    path("my/", views.MyTasksView.as_view(), name="my-tasks"),
    path(
        "reports/start/<str:period_code>/<int:assignment_id>/",
        views.ReportStartView.as_view(),
        name="report-start",
    ),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report-edit"),
    path(
        "reports/<int:pk>/evidence/<int:eid>/",
        views.EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path("review/", views_queues.ReviewView.as_view(), name="review"),
    path("approvals/", views_queues.ApprovalQueueView.as_view(), name="approvals"),
    path("periods/", views.PeriodListView.as_view(), name="period-list"),
    path("periods/<str:code>/", views.PeriodDetailView.as_view(), name="period-detail"),
    path(
        "periods/<str:code>/open/",
        views_periods.PeriodActionView.as_view(),
        {"action": "open"},
        name="period-open",
    ),
    path(
        "periods/<str:code>/close/",
        views_periods.PeriodActionView.as_view(),
        {"action": "close"},
        name="period-close",
    ),
]
