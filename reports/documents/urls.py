"""The pages of documents (namespace ``documents``, under /documents/)."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.BuildListView.as_view(), name="build-list"),
    path("request/", views.BuildRequestView.as_view(), name="build-request"),
    path("<int:pk>/", views.BuildDetailView.as_view(), name="build-detail"),
    path("<int:pk>/status/", views.BuildStatusView.as_view(), name="build-status"),
    path("<int:pk>/download/", views.BuildDownloadView.as_view(), name="build-download"),
]
