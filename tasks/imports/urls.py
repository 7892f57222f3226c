"""The Excel import of progress, under /imports/."""

from django.urls import path

from tasks.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportView.as_view(), name="import"),
    path("template/", views.TemplateView.as_view(), name="template"),
]
