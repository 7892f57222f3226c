"""The plan import's pages (/plans/import/): upload a workbook, preview what it says and map its
unknown units, publish.

Thin: who may in tasks.plan_import.permissions, the reading in tasks.plan_import.reading, the
writes in tasks.plan_import.services. The previewed file is kept (tasks.plan_import.previews)
and read again on publishing, so what is published is what was previewed. An upload over the
limit is refused from its Content-Length before anything (the CSRF check included) reads it.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from tasks.imports.reading import import_too_large, max_bytes, size_message
from tasks.plan_import import services
from tasks.plan_import.drafts import PlanDraft, PlanFileRefusedError
from tasks.plan_import.forms import PublishForm, UploadForm
from tasks.plan_import.permissions import NOT_ALLOWED, can_import_plan
from tasks.plan_import.previews import (
    PlanPreview,
    plan_preview_drop,
    plan_preview_keep,
    plan_preview_of,
    plan_preview_read,
)
from tasks.plan_import.reading import read_plan_workbook

EXPIRED = "预览已过期或方案已发布，请重新上传文件。"


def upload_page(
    request: AuthedRequest, form: UploadForm, problems: list[str], status: int = 200
) -> HttpResponse:
    ctx = {"form": form, "problems": problems, "max_mb": max_bytes() // 1024 // 1024}
    return render(request, "plan_import/upload.html", ctx, status=status)


def preview_page(
    request: AuthedRequest,
    draft: PlanDraft,
    preview: PlanPreview,
    form: PublishForm,
    *,
    problems: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    tasks = draft.tasks()
    ctx = {
        "draft": draft,
        "preview": preview,
        "form": form,
        "problems": problems or [],
        "counts": {
            "sections": len(draft.sections),
            "items": sum(len(s.items) for s in draft.sections),
            "tasks": len(tasks),
            "units": len(draft.unit_names()),
            "demos": len(draft.demos),
            "indicators": len(draft.indicators),
        },
        "known": form.known,
        "unknown": set(form.unknown),
    }
    return render(request, "plan_import/preview.html", ctx, status=status)


def initial_of(draft: PlanDraft) -> dict[str, Any]:
    """The plan's particulars as the workbook's title tells them."""
    years = f"{draft.start_year}-{draft.end_year}" if draft.start_year else ""
    return {
        "name": draft.title,
        "start_year": draft.start_year,
        "end_year": draft.end_year,
        "code": f"plan-{years}" if years else "",
        "make_current": False,
    }


class PlanImportBase(ReportingView):
    def check(self, request: AuthedRequest) -> None:
        require(can_import_plan(request.user), NOT_ALLOWED)


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class UploadView(PlanImportBase):
    """GET: the upload form. POST: the workbook read, its problems or its preview."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        self.check(request)
        return upload_page(request, UploadForm(), [])

    def post(self, request: AuthedRequest) -> HttpResponse:
        self.check(request)
        if import_too_large(request):  # before anything reads the body
            return upload_page(request, UploadForm(), [size_message()], status=413)
        return csrf_protect(self.upload)(request)

    def upload(self, request: AuthedRequest) -> HttpResponse:
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return upload_page(request, form, problems, status=400)
        upload = form.cleaned_data["file"]
        if upload.size > max_bytes():
            return upload_page(request, form, [size_message()], status=400)
        data = upload.read()
        try:
            draft = read_plan_workbook(data)
        except PlanFileRefusedError as refused:
            return upload_page(request, form, [str(p) for p in refused.problems], status=400)
        preview = plan_preview_keep(request.session, data=data, filename=upload.name)
        return preview_page(
            request, draft, preview, PublishForm(initial=initial_of(draft), draft=draft)
        )


@method_decorator(csrf_protect, name="dispatch")
class PublishView(PlanImportBase):
    """POST: the kept workbook read again and published with the form's particulars."""

    def post(self, request: AuthedRequest) -> HttpResponse:
        self.check(request)
        preview = plan_preview_of(request.session, request.POST.get("token", ""))
        if preview is None:
            return upload_page(request, UploadForm(), [EXPIRED], status=400)
        try:
            draft = read_plan_workbook(plan_preview_read(preview))
        except PlanFileRefusedError as refused:
            plan_preview_drop(request.session)
            return upload_page(request, UploadForm(), [str(p) for p in refused.problems], 400)
        form = PublishForm(request.POST, draft=draft)
        if not form.is_valid():
            problems = [str(e) for errors in form.errors.values() for e in errors]
            return preview_page(request, draft, preview, form, problems=problems, status=400)
        data = form.cleaned_data
        try:
            result = services.plan_import_publish(
                actor=request.user,
                draft=draft,
                code=data["code"],
                name=data["name"],
                short_name=data["short_name"],
                start_year=data["start_year"],
                end_year=data["end_year"],
                make_current=data["make_current"],
                mapping=form.mapping(),
                filename=preview.filename,
            )
        except ApplicationError as error:
            if error.status_code == 403:
                raise
            return preview_page(request, draft, preview, form, problems=[error.message], status=400)
        plan_preview_drop(request.session)
        return render(request, "plan_import/done.html", {"result": result})
