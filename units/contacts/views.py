"""The office's page of a unit's contact people (/units/<id>/contacts/): the list, add, change,
delete. Forms only translate; the services check who may write."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from units.models import Unit

from . import services as svc
from .forms import ContactForm
from .models import Contact
from .permissions import can_manage_contacts
from .selectors import contact_list

DENIED = "联络员由领导小组办公室维护。"


class ContactsView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        require(can_manage_contacts(request.user), DENIED)
        unit = get_object_or_404(Unit.objects.organisations(), pk=pk)
        return self.page(request, unit, ContactForm())

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        require(can_manage_contacts(request.user), DENIED)
        unit = get_object_or_404(Unit.objects.organisations(), pk=pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = svc.contact_create(actor=request.user, unit=unit, **form.cleaned_data)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"已添加联络员{contact.name}。")
                return redirect("contacts:unit-contacts", pk=unit.pk)
        return self.page(request, unit, form, status=400)

    def page(
        self, request: AuthedRequest, unit: Unit, form: ContactForm, status: int = 200
    ) -> HttpResponse:
        ctx = {"unit": unit, "contacts": contact_list(unit.pk), "form": form}
        return render(request, "units/contacts.html", ctx, status=status)


class ContactEditView(ReportingView):
    def get(self, request: AuthedRequest, pk: int, cid: int) -> HttpResponse:
        require(can_manage_contacts(request.user), DENIED)
        contact = get_object_or_404(Contact.objects.select_related("unit"), pk=cid, unit_id=pk)
        form = ContactForm(instance=contact)
        return render(request, "units/contact_edit.html", {"contact": contact, "form": form})

    def post(self, request: AuthedRequest, pk: int, cid: int) -> HttpResponse:
        require(can_manage_contacts(request.user), DENIED)
        contact = get_object_or_404(Contact.objects.select_related("unit"), pk=cid, unit_id=pk)
        if request.POST.get("delete") == "1":
            svc.contact_delete(actor=request.user, contact=contact)
            messages.success(request, f"已删除联络员{contact.name}。")
            return redirect("contacts:unit-contacts", pk=pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                svc.contact_update(actor=request.user, contact=contact, **form.cleaned_data)
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, f"已保存联络员{contact.name}。")
                return redirect("contacts:unit-contacts", pk=pk)
        ctx = {"contact": contact, "form": form}
        return render(request, "units/contact_edit.html", ctx, status=400)
