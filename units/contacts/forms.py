"""The office's form for one contact person."""

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin

from .models import EMAIL_MESSAGE, Contact


class ContactForm(ServiceErrorsMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "mobile", "office_phone", "email", "note", "order"]
        widgets = {
            "mobile": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            "office_phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }
        error_messages = {
            "name": {"required": "请填写联络员姓名。"},
            "mobile": {"required": "请填写手机号码。"},
            "email": {"invalid": EMAIL_MESSAGE},
            "order": {"invalid": "排序应为整数。"},
        }
