"""The office's form for one contact person."""

from typing import Any

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin

from .models import EMAIL_MESSAGE, Contact


class ContactForm(ServiceErrorsMixin, forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["order"].required = False
        self.fields["order"].help_text = "小的在前；不填为 0。"

    def clean_order(self) -> int:
        return self.cleaned_data.get("order") or 0

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
