"""The browser pages of the achievement ledger (成果台账), under /ledger/."""

from django.urls import path

from tasks.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.LedgerListView.as_view(), name="entry-list"),
    path("verify/", views.VerifyQueueView.as_view(), name="verify-queue"),
    path("<int:pk>/", views.EntryDetailView.as_view(), name="entry-detail"),
    path("<int:pk>/file/", views.EntryFileView.as_view(), name="entry-file"),
]
