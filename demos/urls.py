from django.urls import path

from . import views

app_name = "demos"
urlpatterns = [
    path("", views.DemoListView.as_view(), name="demo-list"),
    path("<int:pk>/", views.DemoDetailView.as_view(), name="demo-detail"),
]
