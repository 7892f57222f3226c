"""Pages of 催办 and 督办单: sending a 催办 from the period page or the review queue, the list of
督办单, issuing one, its page with the unit's answer and the office's close or send-back, its
printable page and its evidence file. Views only translate; services check permissions."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_protect

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.forms import CommentForm
from hefei_ai_zone.numbers import parse_id
from hefei_ai_zone.web import AuthedRequest, ReportingView, require, safe_next
from tasks.files import file_response, too_large_message, upload_too_large
from tasks.reporting.selectors import period_list

from . import services as svc
from .forms import AnswerForm, OrderIssueForm
from .models import SupervisionOrder
from .permissions import (
    allowed_actions,
    can_issue,
    can_see_order,
    can_see_order_list,
    can_urge,
)
from .selectors import days_left, order_detail, order_list, order_steps


def office_name() -> str:
    """The issuing office, printed in red at the head of a 督办单: the one setting
    DOCUMENT_ISSUER, which every document of the platform (reports.documents) prints too."""
    return str(settings.DOCUMENT_ISSUER)


class UrgeView(ReportingView):
    """POST from the late-units block: the chosen units (``units``) or all of them (``all``)."""

    def post(self, request: AuthedRequest, code: str) -> HttpResponse:
        require(can_urge(request.user), "只有领导小组办公室可以催办。")
        period = period_list().filter(code=code).first()
        if period is None:
            raise Http404("没有这个报送周期。")
        back = safe_next(request, reverse("reporting:period-detail", args=[code]))
        field = "all_units" if request.POST.get("all") == "1" else "units"
        raw = request.POST.getlist(field)
        ids = [n for n in (parse_id(v) for v in raw) if n is not None]
        if len(ids) != len(raw):
            messages.error(request, "所选单位无效，请刷新页面后重试。")
            return redirect(back)
        try:
            urges = svc.urge_send(
                actor=request.user,
                period=period,
                unit_ids=ids,
                message=request.POST.get("message", ""),
            )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(back)
        names = "、".join(u.unit.name for u in urges)
        messages.success(request, f"已向 {len(urges)} 个单位发出催办：{names}。")
        return redirect(back)


class OrderListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = request.user
        require(can_see_order_list(user), "督办单供领导小组办公室、领导和被督办单位查看。")
        show_all = request.GET.get("all") == "1"
        orders = list(order_list(user, open_only=not show_all))
        rows = [(o, days_left(o)) for o in orders]
        return render(
            request,
            "supervision/order_list.html",
            {"rows": rows, "show_all": show_all, "can_issue": can_issue(user)},
        )


class OrderIssueView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_issue(request.user), "只有领导小组办公室可以签发督办单。")
        initial = {k: request.GET[k] for k in ("task", "unit") if parse_id(request.GET.get(k))}
        return self.page(request, OrderIssueForm(initial=initial))

    def post(self, request: AuthedRequest) -> HttpResponse:
        require(can_issue(request.user), "只有领导小组办公室可以签发督办单。")
        form = OrderIssueForm(request.POST)
        if form.is_valid():
            try:
                order = svc.order_issue(actor=request.user, **form.cleaned_data)
            except NotPermittedError:
                raise
            except ApplicationError as error:
                form.add_service_error(error)
            else:
                due = f"{order.due_date:%Y-%m-%d}"
                messages.success(request, f"已签发 {order.number}，反馈截止 {due}。")
                return redirect("supervision:order-detail", pk=order.pk)
        return self.page(request, form, status=400)

    def page(self, request: AuthedRequest, form: OrderIssueForm, status: int = 200) -> HttpResponse:
        return render(request, "supervision/order_new.html", {"form": form}, status=status)


def visible_order(request: AuthedRequest, pk: int) -> SupervisionOrder:
    try:
        order = order_detail(pk)
    except SupervisionOrder.DoesNotExist:
        raise Http404("没有这份督办单。") from None
    require(can_see_order(request.user, order), "只能查看本单位的督办单。")
    return order


class OrderDetailView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        return self.page(request, visible_order(request, pk))

    def page(
        self,
        request: AuthedRequest,
        order: SupervisionOrder,
        *,
        answer_form: AnswerForm | None = None,
        comment_form: CommentForm | None = None,
        status: int = 200,
    ) -> HttpResponse:
        ctx = {
            "order": order,
            "steps": order_steps(order),
            "days_left": days_left(order),
            "can": allowed_actions(request.user, order),
            "answer_form": answer_form or AnswerForm(),
            "comment_form": comment_form or CommentForm(),
        }
        return render(request, "supervision/order_detail.html", ctx, status=status)


class OrderActionView(OrderDetailView):
    """POST answer | return | close. A GET is a 405 (it was a 500: the detail page's get() takes
    no action; found by the URL matrix, tests/security/test_url_matrix.py)."""

    http_method_names = ["post"]

    def post(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        if action == "answer" and upload_too_large(request):  # before anything reads the body
            form = AnswerForm(data={})  # bound, so that it takes an error (an unbound one raises)
            form.is_valid()
            form.errors.clear()  # nothing was read: only the size is wrong
            form.add_error("file", too_large_message() + "本次提交没有被读取。")
            return self.page(request, visible_order(request, pk), answer_form=form, status=413)
        return csrf_protect(lambda r: self.act(r, pk, action))(request)

    def act(self, request: AuthedRequest, pk: int, action: str) -> HttpResponse:
        order = visible_order(request, pk)
        user = request.user
        if action == "answer":
            form = AnswerForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    svc.order_answer(
                        actor=user,
                        order=order,
                        answer=form.cleaned_data["answer"],
                        upload=form.cleaned_data["file"],
                    )
                except NotPermittedError:
                    raise
                except ApplicationError as error:
                    form.add_service_error(error)
                else:
                    messages.success(request, f"已反馈 {order.number}。")
                    return redirect("supervision:order-detail", pk=pk)
            return self.page(request, order, answer_form=form, status=400)
        comment = CommentForm(request.POST)
        comment.is_valid()
        text = comment.cleaned_data.get("comment", "")
        try:
            if action == "return":
                svc.order_return(actor=user, order=order, comment=text)
                messages.success(request, f"已退回 {order.number} 的反馈。")
            elif action == "close":
                svc.order_close(actor=user, order=order, comment=text)
                messages.success(request, f"{order.number} 已办结。")
            else:
                raise Http404("没有这个操作。")
        except NotPermittedError:
            raise
        except ApplicationError as error:
            comment.add_service_error(error)
            return self.page(request, order, comment_form=comment, status=400)
        return redirect("supervision:order-detail", pk=pk)


class OrderPrintView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        order = visible_order(request, pk)
        ctx = {"order": order, "office_name": office_name()}
        return render(request, "supervision/order_print.html", ctx)


class OrderFileView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        order = visible_order(request, pk)
        if not order.file:
            raise Http404("这份督办单没有佐证材料。")
        return file_response(order)
