"""The office's forms on the bulletin pages."""

from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin

from .models import COMMENTARY_MAX


class CommentaryForm(ServiceErrorsMixin, forms.Form):
    commentary = forms.CharField(
        label="工作要求（九、工作要求）",
        required=False,
        max_length=COMMENTARY_MAX,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
        help_text=(
            f"办公室对下一步工作的要求，每段一行，最多 {COMMENTARY_MAX} 字；发布后不能修改。"
        ),
        error_messages={"max_length": f"最多 {COMMENTARY_MAX} 字（现有 %(show_value)d 字）。"},
    )
