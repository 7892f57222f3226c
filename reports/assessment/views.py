"""The pages of 督查考核: the ranking of a year (published or preview, 导出 Excel), the rules
editor (a new version; the versions listed), publishing. Views only translate."""

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from hefei_ai_zone.xlsx import Column, export_filename, table_workbook, xlsx_response

from . import services as svc
from .forms import PublishForm, RulesForm, initial_of
from .models import DEDUCTIONS, WEIGHTS
from .permissions import can_manage, can_see, can_see_all, visible_rows
from .selectors import (
    assessment_for,
    assessment_years,
    publication_for,
    publications_of,
    rules_in_force,
    rules_versions,
)
from .years import parse_year

NOT_ALLOWED = "督查考核结果仅供领导小组办公室、领导和各单位（本单位已发布结果）查看。"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    """The ranking as the page's table and the export show it."""
    out = []
    for r in rows:
        parts = r["parts"]
        out.append(
            [
                r["rank_label"],
                r["unit"],
                *[percent(parts[k]) for k, _label in WEIGHTS],
                *[parts[k] for k, _l, _u in DEDUCTIONS],
                r["deductions"],
                r["score"],
            ]
        )
    return out


HEADERS = [
    "排名",
    "单位",
    *[label for _k, label in WEIGHTS],
    *[label.split("（")[0] for _k, label, _u in DEDUCTIONS],
    "扣分合计",
    "得分",
]


def url_year(year: int) -> int:
    try:
        return parse_year(year)
    except ApplicationError as error:
        raise Http404(error.message) from None


class RankingView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_see(request.user), NOT_ALLOWED)
        try:
            year = parse_year(request.GET.get("year"), default=clock.today().year)
        except ApplicationError as error:
            messages.error(request, error.message)
            year = clock.today().year
        data = assessment_for(year) if can_see_all(request.user) else None
        if data is None:  # a unit's staff: their unit's published row, never the preview
            publication = publication_for(year)
            data = {
                "year": year,
                "published": publication is not None,
                "publication": publication,
                "rows": publication.rows if publication else [],
            }
        rows = visible_rows(request.user, data["rows"], published=data["published"])
        if request.GET.get("export") == "xlsx":
            state = "已发布" if data["published"] else "预览（未发布）"
            content = table_workbook(
                title=f"{year}年度督查考核结果",
                subtitle=f"{state} · 导出时间 {clock.now():%Y-%m-%d %H:%M}",
                columns=[
                    Column(h, 8 if i == 0 else 22 if i == 1 else 12) for i, h in enumerate(HEADERS)
                ],
                rows=table_rows(rows),
            )
            return xlsx_response(export_filename("督查考核", str(year)), content, request=request)
        return render(
            request,
            "assessment/ranking.html",
            {
                **data,
                "rows": rows,
                "table": list(zip(rows, table_rows(rows), strict=True)),
                "headers": HEADERS,
                "weights": WEIGHTS,
                "deductions": DEDUCTIONS,
                "years": assessment_years(),
                "can_manage": can_manage(request.user),
                "can_see_all": can_see_all(request.user),
                "publications": publications_of(year) if can_see_all(request.user) else [],
                "doc_params": {"year": str(year)},
            },
        )


def _rules_page(
    request: AuthedRequest, year: int, form: RulesForm | None = None, status: int = 200
) -> HttpResponse:
    rules = rules_in_force(year)
    if form is None:
        form = RulesForm(initial=initial_of(rules))
    return render(
        request,
        "assessment/rules.html",
        {
            "year": year,
            "rules": rules,
            "form": form,
            "versions": rules_versions(year),
            "weights": WEIGHTS,
            "deductions": DEDUCTIONS,
            "can_manage": can_manage(request.user),
        },
        status=status,
    )


class RulesView(ReportingView):
    """GET: the rules in force and the versions; POST (the office): a new version."""

    def get(self, request: AuthedRequest, year: int) -> HttpResponse:
        require(can_see_all(request.user), NOT_ALLOWED)
        return _rules_page(request, url_year(year))

    def post(self, request: AuthedRequest, year: int) -> HttpResponse:
        require(can_manage(request.user), "考核细则由领导小组办公室制定。")
        year = url_year(year)
        form = RulesForm(request.POST)
        if not form.is_valid():
            return _rules_page(request, year, form, 400)
        try:
            version = svc.rules_create(actor=request.user, year=year, values=form.cleaned_data)
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return _rules_page(request, year, form, 400)
        messages.success(request, f"已保存为{version}；此前的版本保留。")
        return redirect("assessment:rules", year)


class PublishView(ReportingView):
    """GET: the confirmation; POST with ``confirm=1``: publish (again: with a reason)."""

    def _page(
        self, request: AuthedRequest, year: int, form: PublishForm, status: int = 200
    ) -> HttpResponse:
        return render(
            request,
            "assessment/publish.html",
            {
                "year": year,
                "form": form,
                "current": publication_for(year),
                "rules": rules_in_force(year),
            },
            status=status,
        )

    def get(self, request: AuthedRequest, year: int) -> HttpResponse:
        require(can_manage(request.user), "考核结果由领导小组办公室发布。")
        return self._page(request, url_year(year), PublishForm())

    def post(self, request: AuthedRequest, year: int) -> HttpResponse:
        require(can_manage(request.user), "考核结果由领导小组办公室发布。")
        year = url_year(year)
        if request.POST.get("confirm") != "1":
            return redirect("assessment:publish", year)
        form = PublishForm(request.POST)
        if not form.is_valid():
            return self._page(request, year, form, 400)
        try:
            svc.assessment_publish(
                actor=request.user, year=year, reason=form.cleaned_data["reason"]
            )
        except NotPermittedError:
            raise
        except ApplicationError as error:
            form.add_service_error(error)
            return self._page(request, year, form, 400)
        messages.success(request, f"{year}年度督查考核结果已发布，排名已固定。")
        return redirect(f"/assessment/?year={year}")
