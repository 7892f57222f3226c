"""The pages of the annual work arrangements (年度工作安排), under /milestones/."""

from django.urls import path

from tasks.milestones import views

app_name = "milestones"
urlpatterns = [
    path("", views.MilestoneListView.as_view(), name="list"),
    path("new/<int:assignment_id>/", views.MilestoneFormView.as_view(), name="create"),
    path("<int:pk>/", views.MilestoneDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.MilestoneFormView.as_view(), name="edit"),
    path("<int:pk>/file/", views.MilestoneFileView.as_view(), name="file"),
    path(
        "<int:pk>/<str:action>/",
        views.MilestoneActionView.as_view(),
        name="action",
    ),
]
