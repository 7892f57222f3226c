"""The pages of notifications: 我的通知 (/notifications/: the list with links, mark one or all
read) and the office's delivery log (/notifications/deliveries/: filter by state and channel,
the reason of failures, resend). Thin: reads are selectors, writes services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require, safe_next

from . import services
from .models import Channel, DeliveryState
from .permissions import can_resend, can_see_delivery_log
from .selectors import delivery_log, notice_list

PAGE_SIZE = 30


class NoticeListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = self.request.user
        unread_only = self.request.GET.get("unread") == "1"
        notices = notice_list(user=user)
        if unread_only:
            notices = notices.filter(read_at__isnull=True)
        page = Paginator(notices, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return render(
            self.request,
            "notifications/list.html",
            {
                "page": page,
                "unread_only": unread_only,
                "query": "unread=1" if unread_only else "",
                "can_see_log": can_see_delivery_log(user),
            },
        )


class NoticeReadView(ReportingView):
    """Mark a notice read; with ``next`` (its link), go there: clicking a notice opens it."""

    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        try:
            services.notice_mark_read(user=self.request.user, notice_id=pk)
        except ApplicationError as error:
            messages.error(self.request, error.message)
        return redirect(safe_next(self.request, reverse("notifications:list")))


class NoticeReadAllView(ReportingView):
    def post(self, request: AuthedRequest) -> HttpResponse:
        count = services.notices_mark_all_read(user=self.request.user)
        message = f"已将 {count} 条通知标为已读。" if count else "没有未读通知。"
        messages.success(self.request, message)
        return redirect(safe_next(self.request, reverse("notifications:list")))


class DeliveryLogView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_see_delivery_log(self.request.user), "只有领导小组办公室可以查看投递记录。")
        state = self.request.GET.get("state", "")
        channel = self.request.GET.get("channel", "")
        state = state if state in DeliveryState.values else ""
        channel = channel if channel in Channel.values else ""
        page = Paginator(delivery_log(state=state, channel=channel), PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        query = "&".join(f"{k}={v}" for k, v in (("state", state), ("channel", channel)) if v)
        return render(
            self.request,
            "notifications/deliveries.html",
            {
                "page": page,
                "state": state,
                "channel": channel,
                "states": DeliveryState.choices,
                "channels": Channel.choices,
                "query": query,
                "can_resend": can_resend(self.request.user),
            },
        )


class DeliveryResendView(ReportingView):
    def post(self, request: AuthedRequest, pk: int) -> HttpResponse:
        require(can_resend(self.request.user), "只有领导小组办公室可以重发通知。")
        try:
            services.delivery_resend(user=self.request.user, delivery_id=pk)
        except ApplicationError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, "已重新加入发送队列。")
        return redirect(safe_next(self.request, reverse("notifications:deliveries")))
