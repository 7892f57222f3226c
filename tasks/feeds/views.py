"""The calendar feed (/calendar/<token>.ics, no login: the token is the key) and the page 日历订阅
(/calendar/: make a new URL, revoke it). Thin: reads are selectors, writes services."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from hefei_ai_zone.web import AuthedRequest, ReportingView

from . import services
from .ical import feed_calendar
from .selectors import active_feed, feed_events, feed_owner


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    user = feed_owner(token=token)
    if user is None:
        raise Http404("日历订阅地址无效或已撤销。")
    body = feed_calendar(feed_events(user), name=f"督查平台 · {user.display_name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ducha.ics"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class FeedSettingsView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        return self._page(request, token="")

    def post(self, request: AuthedRequest) -> HttpResponse:
        if request.POST.get("action") == "revoke":
            if services.feed_revoke(user=request.user):
                messages.success(request, "已撤销日历订阅地址；已订阅的日历将不再更新。")
            return redirect("feeds:settings")
        _, token = services.feed_create(user=request.user)
        # The token is not stored: it is shown on this response only.
        return self._page(request, token=token)

    def _page(self, request: AuthedRequest, *, token: str) -> HttpResponse:
        url = ""
        if token:
            url = request.build_absolute_uri(reverse("feeds:feed", args=[token]))
        return render(
            request,
            "feeds/settings.html",
            {"feed": active_feed(user=request.user), "feed_url": url},
        )
