"""The Excel import pages (/imports/): download a prefilled template, upload it filled.

Thin: who may do what in tasks.imports.permissions, the rows of a template from
tasks.imports.selectors, the checks of a file in tasks.imports.reading, the writes in
tasks.imports.services (through the reporting services). An upload over the limit is refused
from its Content-Length before anything (the CSRF check included) reads the body.
"""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.numbers import parse_id
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from hefei_ai_zone.xlsx import xlsx_response
from tasks.imports import services
from tasks.imports.forms import TemplateForm, UploadForm
from tasks.imports.permissions import can_download_template, can_import, can_use_imports
from tasks.imports.previews import Preview, preview_keep, preview_of, preview_take
from tasks.imports.reading import (
    FileRefusedError,
    Problem,
    import_too_large,
    max_bytes,
    read_template,
    size_message,
)
from tasks.imports.selectors import import_periods, template_rows
from tasks.imports.template import template_filename, template_workbook
from tasks.models import ReportingPeriod
from units.models import Unit, User
from units.permissions import is_office

NOT_ALLOWED = "Excel 导入供各责任单位的填报员、审核人使用；领导小组办公室可下载各单位的模板。"


def unit_name(pk: str) -> str:
    unit_id = parse_id(pk)
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id else None
    return unit.name if unit else "其他单位"


def initial() -> dict[str, Any]:
    """The upload form's default period: the open one."""
    first = import_periods().order_by("-start_date").first()
    return {"period": first.code if first else None}


def render_page(
    request: AuthedRequest,
    user: User,
    form: UploadForm,
    *,
    problems: list[Problem] | None = None,
    results: list[services.RowResult] | None = None,
    preview: Preview | None = None,
    status: int = 200,
) -> HttpResponse:
    """The import page: the two forms, and the problems or the rows' outcomes of an upload."""
    office = is_office(user)
    counts: dict[str, int] = {}
    for r in results or []:
        label = r.preview_label if preview else r.label
        counts[label] = counts.get(label, 0) + 1
    ctx = {
        "form": form,
        "template_form": TemplateForm(initial=initial(), choose_unit=office),
        "may_upload": user.unit is not None and can_import(user, user.unit),
        "is_office": office,
        "problems": [str(p) for p in problems or []],
        "results": results,
        "acted": [r for r in results or [] if r.outcome not in services.QUIET],
        "quiet": [r for r in results or [] if r.outcome in services.QUIET],
        "counts": counts,
        "periods": list(import_periods()),
        "preview": preview,
    }
    return render(request, "imports/import.html", ctx, status=status)


class ImportsView(ReportingView):
    """Logged-in unit staff and the office; everyone else a 403 page saying why."""

    def check(self, request: AuthedRequest) -> User:
        require(can_use_imports(request.user), NOT_ALLOWED)
        return request.user


@method_decorator(csrf_exempt, name="dispatch")  # checked in post(), after the size check
class ImportView(ImportsView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        user = self.check(request)
        return render_page(request, user, UploadForm(initial=initial()))

    def post(self, request: AuthedRequest) -> HttpResponse:
        user = self.check(request)
        if import_too_large(request):  # before anything reads the body
            return render_page(
                request,
                user,
                UploadForm(initial=initial()),
                problems=[Problem(size_message())],
                status=413,
            )
        return csrf_protect(self.upload)(request)

    def upload(self, request: AuthedRequest) -> HttpResponse:
        """预览 (check, show what would change, keep the file) or 导入 (at once); 确认导入 of
        a preview reads the kept file back."""
        user = request.user
        unit = user.unit
        require(unit is not None and can_import(user, unit), NOT_ALLOWED)
        assert unit is not None  # for the type checker: require() refused otherwise
        action = request.POST.get("action", "import")
        if action == "confirm":
            return self.confirm(request, user, unit)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            problems = [Problem(str(e)) for errors in form.errors.values() for e in errors]
            return render_page(request, user, form, problems=problems, status=400)
        period = form.cleaned_data["period"]
        upload = form.cleaned_data["file"]
        submit = bool(form.cleaned_data.get("submit"))
        if upload.size > max_bytes():
            return render_page(request, user, form, problems=[Problem(size_message())], status=400)
        data = upload.read()
        results, problems = attempt(user, unit, period, data, submit, dry=action == "preview")
        if results is None:
            return render_page(request, user, form, problems=problems, status=400)
        if action == "preview":
            preview = preview_keep(
                request.session, data=data, period=period.code, submit=submit, filename=upload.name
            )
            return render_page(request, user, form, results=results, preview=preview)
        return render_page(request, user, UploadForm(initial=initial()), results=results)

    def confirm(self, request: AuthedRequest, user: User, unit: Unit) -> HttpResponse:
        """确认导入: the previewed file, read back from where preview_keep put it."""
        form = UploadForm(initial=initial())
        preview = preview_of(request.session, request.POST.get("token", ""))
        period = import_periods().filter(code=preview.period).first() if preview else None
        if preview is None or period is None:
            message = "预览已过期或已导入，请重新上传文件。"
            return render_page(request, user, form, problems=[Problem(message)], status=400)
        data = preview_take(request.session, preview)
        results, problems = attempt(user, unit, period, data, preview.submit, dry=False)
        status = 200 if results is not None else 400
        return render_page(request, user, form, results=results, problems=problems, status=status)


def attempt(
    user: User, unit: Unit, period: ReportingPeriod, data: bytes, submit: bool, *, dry: bool
) -> tuple[list[services.RowResult] | None, list[Problem]]:
    """Read the file and import it (or try it and roll back: ``dry``): the rows' outcomes, or
    None and the problems."""
    try:
        rows = read_template(data, period_code=period.code, unit_id=unit.pk, unit_name=unit_name)
        results = services.progress_import(
            actor=user, period=period, unit=unit, rows=rows, submit=submit, dry_run=dry
        )
    except (FileRefusedError, services.ImportRejectedError) as refused:
        return None, refused.problems
    except NotPermittedError:
        raise
    except ApplicationError as error:
        return None, [Problem(error.message)]
    return results, []


class TemplateView(ImportsView):
    """GET ?period=2023Q4[&unit=<id> for the office]: the prefilled template."""

    def get(self, request: AuthedRequest) -> HttpResponse:
        user = self.check(request)
        office = is_office(user)
        form = TemplateForm(request.GET, choose_unit=office)
        if not form.is_valid():
            return render_page(
                request,
                user,
                UploadForm(initial=initial()),
                problems=[Problem(str(e)) for errors in form.errors.values() for e in errors],
                status=400,
            )
        period = form.cleaned_data["period"]
        unit: Unit | None = form.cleaned_data["unit"] if office else user.unit
        if unit is None or not can_download_template(user, unit):
            raise NotPermittedError(NOT_ALLOWED)
        content = template_workbook(period, unit, template_rows(unit, period))
        return xlsx_response(template_filename(period, unit), content)
