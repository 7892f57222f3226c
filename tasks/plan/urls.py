from django.urls import path

from tasks.plan import views

app_name = "plan"
urlpatterns = [
    path("", views.TaskListView.as_view(), name="task-list"),
    path("tasks/<int:pk>/", views.TaskDetailView.as_view(), name="task-detail"),
    path("indicators/", views.IndicatorListView.as_view(), name="indicator-list"),
]
