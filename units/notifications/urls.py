"""The pages of notifications, under /notifications/."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="list"),
    path("<int:pk>/read/", views.NoticeReadView.as_view(), name="read"),
    path("read-all/", views.NoticeReadAllView.as_view(), name="read-all"),
    path("deliveries/", views.DeliveryLogView.as_view(), name="deliveries"),
    path("deliveries/<int:pk>/resend/", views.DeliveryResendView.as_view(), name="resend"),
]
