from django import forms

from hefei_ai_zone.forms import ServiceErrorsMixin


class CodeForm(ServiceErrorsMixin, forms.Form):
    """A code from the authenticator (or, where accepted, a recovery code)."""

    code = forms.CharField(
        label="验证码",
        max_length=32,
        error_messages={"required": "请输入验证码。", "max_length": "验证码过长。"},
    )
