"""The filter set every page and API list shares: Bootstrap widgets, Chinese labels."""

from django import forms
from django_filters import rest_framework as filters


class StyledFilterSet(filters.FilterSet):
    @property
    def form(self) -> forms.Form:
        form = super().form
        for field in form.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        return form
