from django.urls import path

from . import views

urlpatterns = [
    path("", views.OverviewView.as_view(), name="two_factor"),
    path("enrol/", views.EnrolView.as_view(), name="two_factor_enrol"),
    path("verify/", views.VerifyView.as_view(), name="two_factor_verify"),
    path("disable/", views.DisableView.as_view(), name="two_factor_disable"),
]
