"""Changing one's password, and with it leaving the one-time password behind.

Django's own views with the project's templates (``templates/registration/``), except that a
successful change goes through ``units.services.user_password_change``, which also clears
``must_change_password`` (the flag ``hefei_ai_zone.middleware`` enforces). Included at
``accounts/password/`` by ``hefei_ai_zone/urls.py``.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views import View
from rest_framework.authtoken.models import Token

from .models import User
from .password_rules import password_expired
from .services import password_problems, token_revoke, user_password_change


def next_url(request: HttpRequest) -> str:
    """Where the person was going before being sent here, if it is a page of this site."""
    value = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return value if safe else ""


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form, with the validators' messages all in Chinese, and a new password that must
    differ from the current one (the one-time password is not to be kept)."""

    def validate_password_for_user(self, user: User, password_field_name: str = "") -> None:
        field = password_field_name or "new_password2"
        password = self.cleaned_data.get(field)
        if not password:
            return
        if password == self.cleaned_data.get("old_password"):
            self.add_error(field, "新密码不能与当前密码相同。")
        for problem in password_problems(password, user=user):
            self.add_error(field, problem)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "next": next_url(self.request),
            "expired": password_expired(user),  # type: ignore[arg-type]
            "max_age_days": settings.PASSWORD_MAX_AGE_DAYS,
            "has_token": Token.objects.filter(user=user).exists(),  # type: ignore[misc]
        }

    def form_valid(self, form: auth_forms.PasswordChangeForm) -> HttpResponse:
        user_password_change(user=form.user, password=form.cleaned_data["new_password1"])
        # Keep this session logged in; the person's other sessions end with the old password.
        update_session_auth_hash(self.request, form.user)
        url = str(self.get_success_url())
        if target := next_url(self.request):
            url += "?" + urlencode({"next": target})
        return HttpResponseRedirect(url)


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "next": next_url(self.request)}


class TokenRevokeView(LoginRequiredMixin, View):
    """The button 撤销我的 API 令牌 of the password page (the API's DELETE /api/auth/token/)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        if token_revoke(user=request.user):  # type: ignore[arg-type]
            messages.success(request, "API 令牌已撤销；使用它的程序须重新获取令牌。")
        else:
            messages.info(request, "您没有有效的 API 令牌。")
        return redirect("password_change")


urlpatterns = [
    path("change/", PasswordChangeView.as_view(), name="password_change"),
    path("change/done/", PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("token/revoke/", TokenRevokeView.as_view(), name="token_revoke"),
]
