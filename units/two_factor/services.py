"""Writes of the second factor: enrol, confirm, check a code, turn off, an administrator's reset.

A failed check is kept (django-otp's throttling counts it) although the action is refused: the
check runs in its own transaction and the refusal is raised after it commits."""

import re
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from units.models import User

from .permissions import may_turn_off

WRONG_CODE = "验证码不正确或已过期，请输入验证器中当前显示的 6 位数字，或一个未用过的恢复码。"
TOTP_CODE = re.compile(r"[0-9]{6}")
RECOVERY_CODE = re.compile(r"[a-z0-9]{6,16}")


def _normalised(code: str) -> str:
    return re.sub(r"[\s-]", "", str(code or "")).lower()[:32]


def _throttled(device: Device) -> ApplicationError | None:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return None
    if info and info.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS:
        until: datetime | None = info.get("locked_until")
        seconds = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        return ApplicationError(
            f"验证码错误次数过多，请 {seconds} 秒后再试。", {"retry_after": seconds}
        )
    return ApplicationError("暂时不能验证，请稍后再试。")


@transaction.atomic
def _check(user: User, code: str) -> tuple[Device | None, ApplicationError | None]:
    """The device that accepts the code (a recovery code is used up), or the refusal."""
    if TOTP_CODE.fullmatch(code):
        for totp in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if refusal := _throttled(totp):
                return None, refusal
            if totp.verify_token(code):
                return totp, None
        return None, None
    if RECOVERY_CODE.fullmatch(code):
        for static in StaticDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if refusal := _throttled(static):
                return None, refusal
            if static.verify_token(code):  # deletes the code: it works once
                return static, None
    return None, None


def second_factor_verify(*, user: User, code: str) -> Device:
    """The login's second step (and the token endpoint's ``otp``): the device that accepted a
    current TOTP code or an unused recovery code; else ApplicationError with a Chinese message."""
    code = _normalised(code)
    if not code:
        raise ApplicationError("请输入验证码。", {"fields": {"otp": ["请输入验证码。"]}})
    device, refusal = _check(user, code)
    if refusal is not None:
        raise refusal
    if device is None:
        raise ApplicationError(WRONG_CODE)
    return device


@transaction.atomic
def enrolment_start(*, user: User) -> TOTPDevice:
    """The authenticator being enrolled: the pending one if the person reloads, else new."""
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError("您已启用两步验证。")
    pending = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    return pending or TOTPDevice.objects.create(user=user, name="验证器", confirmed=False)


@transaction.atomic
def _pending_check(user: User, code: str) -> tuple[TOTPDevice | None, ApplicationError | None]:
    pending = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if pending is None:
        return None, ApplicationError("请先打开“启用两步验证”页面扫描二维码。")
    if refusal := _throttled(pending):
        return None, refusal
    if not TOTP_CODE.fullmatch(code):
        return None, None
    return (pending if pending.verify_token(code) else None), None


def enrolment_confirm(*, user: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the pending authenticator with a code it shows; the person's recovery codes
    (OTP_RECOVERY_CODES of them, shown once: only they are kept, as django-otp's tokens)."""
    code = _normalised(code)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ApplicationError("您已启用两步验证。")
    device, refusal = _pending_check(user, code)
    if refusal is not None:
        raise ApplicationError(
            refusal.message, {**refusal.extra, "fields": {"code": [refusal.message]}}
        )
    if device is None:
        message = "验证码不正确，请核对手机时间后输入验证器中当前显示的 6 位数字。"
        raise ApplicationError(message, {"fields": {"code": [message]}})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.OTP_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=static, token=c) for c in codes)
    return device, codes


def _devices_delete(user: User) -> int:
    totp, _ = TOTPDevice.objects.filter(user=user).delete()
    static, _ = StaticDevice.objects.filter(user=user).delete()
    return totp + static


def two_factor_disable(*, user: User, code: str) -> None:
    """The person turns the second factor off, proving it with a current code; not allowed for
    a role that requires it."""
    if not may_turn_off(user):
        raise NotPermittedError(
            "您的角色必须使用两步验证，不能关闭；更换手机请联系系统管理员重置。"
        )
    second_factor_verify(user=user, code=code)
    with transaction.atomic():
        _devices_delete(user)


@transaction.atomic
def two_factor_reset(*, actor: User, user: User) -> bool:
    """An administrator removes a person's authenticator and recovery codes (a lost phone);
    whether there were any. The person enrols again (at once if the role requires it)."""
    if not actor.is_superuser:
        raise NotPermittedError("只有系统管理员可以重置两步验证。")
    return _devices_delete(user) > 0
