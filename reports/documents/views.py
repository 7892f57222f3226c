"""Pages of documents: the kept builds, requesting one, a build's page with its progress (polled
by htmx), its status partial and the download. Views only translate; the services and the
documents' own rules decide."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.web import AuthedRequest, ReportingView, htmx_redirect, safe_next
from tasks.files import attachment_response

from . import services
from .models import DocumentBuild
from .selectors import build_detail, build_list, build_row

RESERVED = {"csrfmiddlewaretoken", "kind", "format", "next"}


def _found(request: AuthedRequest, pk: int) -> DocumentBuild:
    build = build_detail(request.user, pk)
    if build is None:
        raise Http404("没有这个文件，或您无权查看。")
    return build


class BuildListView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        rows = build_list(request.user, kind=request.GET.get("kind", ""))
        return render(request, "documents/build_list.html", {"rows": rows})


class BuildRequestView(ReportingView):
    """POST kind, format and the document's params: the build's page (a running build of the
    same document is joined)."""

    def post(self, request: AuthedRequest) -> HttpResponseBase:
        params = {k: request.POST.get(k, "") for k in request.POST if k not in RESERVED}
        try:
            build = services.build_request(
                user=request.user,
                kind=request.POST.get("kind", ""),
                params=params,
                fmt=request.POST.get("format", ""),
            )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            messages.error(request, error.message)
            return htmx_redirect(
                request, redirect(safe_next(request, reverse("documents:build-list")))
            )
        return htmx_redirect(request, redirect("documents:build-detail", build.pk))


class BuildDetailView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        build = _found(request, pk)
        row = build_row(request.user, build)
        return render(request, "documents/build_detail.html", {"row": row, "build": build})


class BuildStatusView(ReportingView):
    """The progress partial the build's page polls every second while the build runs."""

    def get(self, request: AuthedRequest, pk: int) -> HttpResponse:
        build = _found(request, pk)
        row = build_row(request.user, build)
        return render(request, "documents/_build_status.html", {"row": row, "build": build})


class BuildDownloadView(ReportingView):
    def get(self, request: AuthedRequest, pk: int) -> HttpResponseBase:
        build = _found(request, pk)
        row = build_row(request.user, build)
        if not row.may_download:
            messages.info(request, "文件尚未生成完成。")
            return redirect("documents:build-detail", build.pk)
        return attachment_response(build.file, build.filename, build.content_type)
