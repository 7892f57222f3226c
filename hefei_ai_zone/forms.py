"""Forms every page shares: service errors placed on their fields, the one comment form."""

from typing import cast

from django import forms
from django.conf import settings

from hefei_ai_zone.errors import ApplicationError


class ServiceErrorsMixin:
    """Put an ApplicationError's field messages on the form's fields, the rest on the form."""

    def add_service_error(self, error: ApplicationError) -> None:
        form = cast(forms.Form, self)
        fields = (error.extra or {}).get("fields") or {}
        placed: list[str] = []
        for name, messages in fields.items():
            target = name if name in form.fields else None
            for message in messages:
                if target is None and message == error.message:
                    continue
                form.add_error(target, message)
                placed.append(message)
        if error.message not in placed:
            form.add_error(None, error.message)


class CommentForm(ServiceErrorsMixin, forms.Form):
    """The comment of a review action (required for returning and reopening: the service says
    so)."""

    comment = forms.CharField(
        label="意见", required=False, strip=True, max_length=settings.COMMENT_MAX_CHARS
    )
