"""The calendar feed and its page, under /calendar/."""

from django.urls import path

from . import views

app_name = "feeds"
urlpatterns = [
    path("", views.FeedSettingsView.as_view(), name="settings"),
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
