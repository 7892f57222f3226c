"""The pages of 催办 and 督办单 (namespace ``supervision``, under /supervision/)."""

from django.urls import path

from . import views

app_name = "supervision"
urlpatterns = [
    path("", views.OrderListView.as_view(), name="order-list"),
    path("new/", views.OrderIssueView.as_view(), name="order-new"),
    path("urge/<str:code>/", views.UrgeView.as_view(), name="urge"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("<int:pk>/print/", views.OrderPrintView.as_view(), name="order-print"),
    path("<int:pk>/file/", views.OrderFileView.as_view(), name="order-file"),
    path("<int:pk>/<str:action>/", views.OrderActionView.as_view(), name="order-action"),
]
