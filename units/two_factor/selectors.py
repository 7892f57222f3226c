"""Reads of a person's second factor."""

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from units.models import User


def totp_device(user: User) -> TOTPDevice | None:
    """The person's confirmed authenticator, if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user: User) -> bool:
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(
        device__in=StaticDevice.objects.filter(user=user, confirmed=True)
    ).count()


def secret_groups(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an authenticator by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
