"""The pages of 督办事项 (namespace ``directives``, under /directives/)."""

from django.urls import path

from . import views

app_name = "directives"
urlpatterns = [
    path("", views.DirectiveListView.as_view(), name="list"),
    path("new/", views.DirectiveNewView.as_view(), name="new"),
    path("<int:pk>/", views.DirectiveDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.DirectiveEditView.as_view(), name="edit"),
    path("<int:pk>/files/<int:file_pk>/", views.AttachmentView.as_view(), name="file"),
    path("<int:pk>/<str:action>/", views.DirectiveActionView.as_view(), name="action"),
]
