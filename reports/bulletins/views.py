"""The bulletin pages (/bulletins/): the list (published ones for everyone logged in, drafts for
the office, the office's 起草), a bulletin's page (its content as it will read, the office's
commentary editor, the build buttons of reports.documents, 发布 behind a confirmation, the issued
files), the status partial polled while the issued files are built, the issued files' downloads.
Views only translate; the services check permissions."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from tasks.files import attachment_response

from . import services as svc
from .builder import APPENDIX_HEADERS, APPENDIX_TITLE, appendix_rows, sections
from .charts import indicators_chart, sections_chart, svg
from .forms import CommentaryForm
from .models import Bulletin
from .permissions import allowed_actions, can_manage
from .selectors import bulletin_for, bulletin_list, content_of, period_for_code, periods_to_draft

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bulletin(request: AuthedRequest, code: str) -> Bulletin:
    bulletin = bulletin_for(request.user, code)
    if bulletin is None:
        raise Http404("没有这期督查通报。")
    return bulletin


class BulletinListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        office = can_manage(request.user)
        return render(
            request,
            "bulletins/bulletin_list.html",
            {
                "bulletins": bulletin_list(request.user),
                "can_manage": office,
                "periods": periods_to_draft() if office else [],
            },
        )


class BulletinDraftView(ReportingView):
    """POST (the office's 起草): the quarter's bulletin, created if there is none."""

    def post(self, request: AuthedRequest) -> HttpResponse:
        require(can_manage(request.user), "督查通报由领导小组办公室起草和发布。")
        try:
            period = period_for_code(request.POST.get("period", ""))
            bulletin = svc.bulletin_draft(actor=request.user, period=period)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("bulletins:list")
        return redirect("bulletins:detail", bulletin.period.code)


def _page(
    request: AuthedRequest, bulletin: Bulletin, form: CommentaryForm | None = None
) -> HttpResponse:
    content = content_of(bulletin)
    actions = allowed_actions(request.user, bulletin)
    if form is None and "edit" in actions:
        form = CommentaryForm(initial={"commentary": bulletin.commentary})
    parts = sections(content)
    charts = {
        "sections": svg(sections_chart(content["sections"])),
        "indicators": svg(indicators_chart(content["indicators"])),
    }
    return render(
        request,
        "bulletins/bulletin_detail.html",
        {
            "bulletin": bulletin,
            "content": content,
            "parts": [(p, charts.get(p.chart, "")) for p in parts],
            "appendix_title": APPENDIX_TITLE,
            "appendix_headers": APPENDIX_HEADERS,
            "appendix_rows": appendix_rows(content),
            "actions": actions,
            "can_manage": can_manage(request.user),
            "form": form,
            "build_params": svc.bulletin_build_params(bulletin),
        },
        status=400 if form is not None and form.errors else 200,
    )


class BulletinDetailView(ReportingView):
    def get(self, request: AuthedRequest, code: str) -> HttpResponse:
        return _page(request, _bulletin(request, code))


class CommentaryView(ReportingView):
    def post(self, request: AuthedRequest, code: str) -> HttpResponse:
        bulletin = _bulletin(request, code)
        form = CommentaryForm(request.POST)
        if not form.is_valid():
            return _page(request, bulletin, form)
        try:
            svc.bulletin_commentary_save(
                actor=request.user, bulletin=bulletin, commentary=form.cleaned_data["commentary"]
            )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return _page(request, bulletin, form)
        messages.success(request, "工作要求已保存。")
        return redirect("bulletins:detail", bulletin.period.code)


class PublishView(ReportingView):
    """GET: the confirmation (what publishing does); POST with ``confirm=1``: publish."""

    def get(self, request: AuthedRequest, code: str) -> HttpResponse:
        bulletin = _bulletin(request, code)
        require("publish" in allowed_actions(request.user, bulletin), "只有办公室可以发布草稿。")
        return render(request, "bulletins/publish_confirm.html", {"bulletin": bulletin})

    def post(self, request: AuthedRequest, code: str) -> HttpResponse:
        bulletin = _bulletin(request, code)
        if request.POST.get("confirm") != "1":
            return redirect("bulletins:publish", bulletin.period.code)
        try:
            published = svc.bulletin_publish(actor=request.user, bulletin=bulletin)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("bulletins:detail", bulletin.period.code)
        messages.success(
            request,
            f"已发布 {published.number}，正在生成发布文件；已通知各单位和领导。",
        )
        return redirect("bulletins:detail", published.period.code)


class StatusView(ReportingView):
    """The state and the issued files (htmx polls it every 2 s while 发布中)."""

    def get(self, request: AuthedRequest, code: str) -> HttpResponse:
        return render(request, "bulletins/_status.html", {"bulletin": _bulletin(request, code)})


class IssuedFileView(ReportingView):
    def get(self, request: AuthedRequest, code: str, fmt: str) -> FileResponse:
        bulletin = _bulletin(request, code)
        if not bulletin.is_published:
            raise Http404("督查通报尚未发布。")
        file = bulletin.pdf_file if fmt == "pdf" else bulletin.docx_file if fmt == "docx" else None
        if not file:
            raise Http404("发布文件尚未生成。")
        name = f"{bulletin.number} {bulletin.title}.{fmt}"
        return attachment_response(file, name, "application/pdf" if fmt == "pdf" else DOCX)


def detail_url(bulletin: Bulletin) -> str:
    return reverse("bulletins:detail", args=[bulletin.period.code])
