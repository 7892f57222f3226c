"""Model fields shared by the apps."""

from typing import Any

from django.db import models


def by_user(verbose_name: str, *, blank: bool = True) -> Any:
    """Who did something (created, edited, confirmed…): a user, left empty when the account is
    deleted, with no way back from the user (related_name "+")."""
    return models.ForeignKey(
        "units.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        verbose_name=verbose_name,
    )
