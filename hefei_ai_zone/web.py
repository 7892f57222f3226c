"""Web helpers every app's pages use: the 403 page, the logged-in view base, safe redirects,
htmx detection."""

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View

from hefei_ai_zone.errors import NotPermittedError
from units.models import User


class AuthedRequest(HttpRequest):
    """The request of a page behind the login (ReportingView, login_required): its user is a
    units.User, never AnonymousUser. An annotation only: Django still passes its own request."""

    user: User


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    """The 403 page, in Chinese, saying why; an htmx request gets it in place of the page."""
    response = render(request, "reporting/forbidden.html", {"message": message}, status=403)
    if is_htmx(request):
        response["HX-Retarget"] = "main"
        response["HX-Reselect"] = "main"
        response["HX-Reswap"] = "outerHTML"
    return response


class ReportingView(LoginRequiredMixin, View):
    """Logged-in users only; a NotPermittedError from a service or a role check is a 403 page."""

    request: AuthedRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return super().dispatch(request, *args, **kwargs)
        except NotPermittedError as error:
            return forbidden(request, error.message)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotPermittedError(message)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def htmx_redirect(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """A redirect that htmx follows as a page load (not swapped into the form)."""
    if is_htmx(request) and isinstance(response, HttpResponseRedirect):
        hx = HttpResponse(status=204)
        hx["HX-Redirect"] = response["Location"]
        return hx
    return response
