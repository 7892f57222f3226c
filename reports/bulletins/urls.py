"""The bulletin pages (namespace ``bulletins``, under /bulletins/)."""

from django.urls import path

from . import views

app_name = "bulletins"
urlpatterns = [
    path("", views.BulletinListView.as_view(), name="list"),
    path("draft/", views.BulletinDraftView.as_view(), name="draft"),
    path("<str:code>/", views.BulletinDetailView.as_view(), name="detail"),
    path("<str:code>/commentary/", views.CommentaryView.as_view(), name="commentary"),
    path("<str:code>/publish/", views.PublishView.as_view(), name="publish"),
    path("<str:code>/status/", views.StatusView.as_view(), name="status"),
    path("<str:code>/file/<str:fmt>/", views.IssuedFileView.as_view(), name="file"),
]
