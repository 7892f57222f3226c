"""The pages of a new plan imported from Excel (namespace ``plan_import``, under /plans/import/)."""

from django.urls import path

from tasks.plan_import import views

app_name = "plan_import"
urlpatterns = [
    path("", views.UploadView.as_view(), name="upload"),
    path("publish/", views.PublishView.as_view(), name="publish"),
]
