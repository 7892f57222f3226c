"""The pages of 领导批示 (namespace ``instructions``, under /instructions/)."""

from django.urls import path

from . import views

app_name = "instructions"
urlpatterns: list = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("mine/", views.MineView.as_view(), name="mine"),
    path("write/", views.WriteView.as_view(), name="write"),
    path("settings/", views.PreferenceView.as_view(), name="settings"),
    path("<int:pk>/file/", views.FileView.as_view(), name="file"),
]
