"""The office's contact pages under /units/ (namespace ``contacts``)."""

from django.urls import path

from .views import ContactEditView, ContactsView

app_name = "contacts"
urlpatterns = [
    path("<int:pk>/contacts/", ContactsView.as_view(), name="unit-contacts"),
    path("<int:pk>/contacts/<int:cid>/", ContactEditView.as_view(), name="contact-edit"),
]
