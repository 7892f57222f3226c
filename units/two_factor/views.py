"""The pages of two-factor authentication: 两步验证 (its state, turning it off), enrolment with
its QR code and recovery codes, and the login's second step."""

from base64 import b64encode
from typing import Any

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django_otp.plugins.otp_static.models import StaticDevice

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import ReportingView, safe_next

from .forms import CodeForm
from .middleware import PENDING
from .permissions import may_turn_off, two_factor_required
from .selectors import has_second_factor, recovery_codes_left, secret_groups
from .services import enrolment_confirm, enrolment_start, second_factor_verify, two_factor_disable


def qr_data_uri(text: str) -> str:
    """The QR code of ``text`` as an SVG image in a data: URI (img-src 'self' data:)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10)
    return "data:image/svg+xml;base64," + b64encode(image.to_string()).decode()


class OverviewView(ReportingView):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.request.user
        return render(
            request,
            "two_factor/overview.html",
            {
                "enabled": has_second_factor(user),
                "codes_left": recovery_codes_left(user),
                "required": two_factor_required(user),
                "may_turn_off": may_turn_off(user),
                "form": CodeForm(),
            },
        )


class DisableView(ReportingView):
    def post(self, request: HttpRequest) -> HttpResponse:
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                two_factor_disable(user=self.request.user, code=form.cleaned_data["code"])
            except ApplicationError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "两步验证已关闭。")
        else:
            messages.error(request, "请输入验证码。")
        return redirect("two_factor")


class EnrolView(ReportingView):
    def _page(self, request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
        device = enrolment_start(user=self.request.user)
        context: dict[str, Any] = {
            "form": form,
            "qr": qr_data_uri(device.config_url),
            "secret": secret_groups(device),
            "required": two_factor_required(self.request.user),
            "next": safe_next(request, ""),
        }
        return render(request, "two_factor/enrol.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        if has_second_factor(self.request.user):
            if request.session.get(PENDING):
                return redirect("two_factor_verify")
            messages.info(request, "您已启用两步验证。")
            return redirect("two_factor")
        return self._page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if has_second_factor(self.request.user):
            return self.get(request)
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device, codes = enrolment_confirm(
                    user=self.request.user, code=form.cleaned_data["code"]
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                django_otp.login(request, device)  # this session has just given a code
                request.session.pop(PENDING, None)
                return render(
                    request,
                    "two_factor/recovery_codes.html",
                    {
                        "codes": codes,
                        "next": safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)),
                    },
                )
        return self._page(request, form, status=400)


class VerifyView(ReportingView):
    def _done(self, request: HttpRequest) -> HttpResponse:
        request.session.pop(PENDING, None)
        return redirect(safe_next(request, resolve_url(settings.LOGIN_REDIRECT_URL)))

    def _needless(self, request: HttpRequest) -> bool:
        verified = self.request.user.is_verified()  # type: ignore[attr-defined]
        return verified or not has_second_factor(self.request.user)

    def _page(self, request: HttpRequest, form: CodeForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "next": safe_next(request, "")}
        return render(request, "two_factor/verify.html", context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        if self._needless(request):  # already given, or reset by an administrator meanwhile
            return self._done(request)
        return self._page(request, CodeForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        if self._needless(request):
            return self._done(request)
        form = CodeForm(request.POST)
        if form.is_valid():
            try:
                device = second_factor_verify(
                    user=self.request.user, code=form.cleaned_data["code"]
                )
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                django_otp.login(request, device)
                if isinstance(device, StaticDevice):
                    left = recovery_codes_left(self.request.user)
                    messages.warning(
                        request, f"您使用了一个恢复码（每个只能用一次），还剩 {left} 个。"
                    )
                return self._done(request)
        return self._page(request, form, status=400)
