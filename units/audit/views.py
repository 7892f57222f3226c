"""The auditor's page (/audit/): the audit log newest first, filtered by user, unit, kind and
days, paginated, exported as CSV or Excel (every filtered row). Only the security auditor: the
system administrator and the office get the 403 page (三员分立). Reading is itself audited: each
export is a row of the log."""

import csv
import io
from typing import Any
from urllib.parse import quote

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from hefei_ai_zone.web import AuthedRequest, ReportingView, require
from hefei_ai_zone.xlsx import (
    Column,
    export_filename,
    form_filters,
    subtitle_of,
    table_workbook,
    xlsx_response,
)

from . import services
from .forms import AuditFilterForm
from .models import AuditEntry, AuditKind
from .permissions import can_read_audit_log
from .selectors import entry_list

PAGE_SIZE = 50
COLUMNS = [
    Column("编号", 8),
    Column("时间", 18),
    Column("事件", 9),
    Column("用户名", 14),
    Column("角色", 10),
    Column("单位", 14, wrap=True),
    Column("IP 地址", 15),
    Column("对象类型", 18),
    Column("对象编号", 9),
    Column("对象", 24, wrap=True),
    Column("变更", 50, wrap=True),
    Column("说明", 40, wrap=True),
    Column("浏览器", 30, wrap=True),
]


def changes_text(changes: dict[str, Any]) -> str:
    """{"percent": [20, 40]} as "percent：20 → 40", one field a line."""
    lines = []
    for field, pair in changes.items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        lines.append(
            f"{field}：{'' if before is None else before} → {'' if after is None else after}"
        )
    return "\n".join(lines)


def field_label(object_type: str, field: str) -> str:
    """A recorded field's Chinese name (its verbose_name), with its code: 完成进度（%） percent."""
    try:
        model = apps.get_model(object_type)
        label = str(model._meta.get_field(field).verbose_name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return field
    return f"{label}（{field}）" if label != field else field


def change_rows(entry: AuditEntry) -> list[tuple[str, Any, Any]]:
    rows = []
    for field, pair in entry.changes.items():
        before, after = [*pair, None, None][:2] if isinstance(pair, list) else (None, pair)
        rows.append((field_label(entry.object_type, field), before, after))
    return rows


def export_row(entry: AuditEntry) -> list[Any]:
    return [
        entry.id,
        timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"),
        entry.get_kind_display(),
        entry.username or "系统",
        entry.role,
        entry.unit_name,
        entry.ip or "",
        entry.object_type,
        entry.object_id,
        entry.object_repr,
        changes_text(entry.changes),
        entry.detail,
        entry.user_agent,
    ]


class AuditLogView(ReportingView):
    def get(self, request: AuthedRequest) -> HttpResponse:
        require(can_read_audit_log(request.user), "审计日志只有安全审计员可以查看。")
        form = AuditFilterForm(request.GET or None)
        entries = self.filtered(form)
        fmt = request.GET.get("format")
        if fmt == "xlsx":
            content = table_workbook(
                title="审计日志",
                subtitle=subtitle_of(form_filters(form)),
                columns=COLUMNS,
                rows=(export_row(e) for e in entries.iterator(chunk_size=2000)),
            )
            return xlsx_response(export_filename("审计日志"), content)
        if fmt == "csv":
            return self.csv(entries)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
        for entry in page.object_list:
            entry.change_rows = change_rows(entry)  # type: ignore[attr-defined]
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "audit/entry_list.html",
            {
                "form": form,
                "page": page,
                "entries": page.object_list,
                "query": query.urlencode(),
                "filtered": form.is_bound and form.has_changed(),
            },
        )

    def filtered(self, form: AuditFilterForm) -> QuerySet[AuditEntry]:
        if not form.is_bound:
            return entry_list()
        if not form.is_valid():
            return AuditEntry.objects.none()
        data = form.cleaned_data
        return entry_list(
            username=data["user"].strip(),
            unit_id=data["unit"].pk if data["unit"] else None,
            kind=data["kind"],
            since=data["since"],
            until=data["until"],
        )

    def csv(self, entries: QuerySet[AuditEntry]) -> HttpResponse:
        """UTF-8 with a byte order mark, so that Excel opens the Chinese as it is."""
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow([c.header for c in COLUMNS])
        for entry in entries.iterator(chunk_size=2000):
            writer.writerow(export_row(entry))
        filename = export_filename("审计日志").removesuffix(".xlsx") + ".csv"
        services.record(AuditKind.EXPORT, detail=f"导出 {filename}", object_repr=filename)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            "attachment; filename=\"audit.csv\"; filename*=UTF-8''" + quote(filename)
        )
        response["Cache-Control"] = "private, no-store"
        return response
