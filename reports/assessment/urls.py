"""The pages of 督查考核 (namespace ``assessment``, under /assessment/)."""

from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.RankingView.as_view(), name="ranking"),
    path("rules/<int:year>/", views.RulesView.as_view(), name="rules"),
    path("publish/<int:year>/", views.PublishView.as_view(), name="publish"),
]
