"""The Excel import of progress: a checked template's rows written through the reporting
services, all in one transaction.

Each row goes through tasks.reporting.services exactly as the report form's button would
(``report_open`` for a duty without a report, ``report_update`` naming the version the template
showed, ``report_submit`` when asked), so the same permission and content rules hold: a unit
writes only its own duties, 已完成 means 100%, a drop needs its reason to be submitted. Per row:

- its content equals the report's current content → 未变化, whatever its version (importing the
  same file twice changes nothing the second time);
- a duty without a report and nothing filled → 未填写, skipped;
- the report changed since the template was made (another version), or it is no longer editable
  (submitted, accepted) → a conflict listed for that row, nothing of it written;
- otherwise saved (已保存) and, with ``submit``, submitted (已提交).

A row the services refuse (a rule of the content) is a problem: the whole import is rolled back
and every problem listed (ImportRejectedError), so nothing is half-written.
"""

from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction

from hefei_ai_zone.errors import ApplicationError, ConflictError, NotPermittedError
from tasks.imports.permissions import can_import
from tasks.imports.reading import Problem, RowInput
from tasks.imports.template import SHEET
from tasks.models import Assignment, ProgressReport, ReportingPeriod
from tasks.reporting import services as reporting
from tasks.reporting.models import CONTENT_FIELDS
from tasks.reporting.permissions import can_edit_report
from tasks.reporting.selectors import duties_for_unit
from units.models import Unit, User

SAVED, SUBMITTED, UNCHANGED, SKIPPED, CONFLICT = (
    "saved",
    "submitted",
    "unchanged",
    "skipped",
    "conflict",
)
QUIET = (UNCHANGED, SKIPPED)  # folded on the result page
OUTCOME_LABELS = {
    SAVED: "已保存",
    SUBMITTED: "已提交",
    UNCHANGED: "未变化",
    SKIPPED: "未填写",
    CONFLICT: "冲突，未导入",
}
PREVIEW_LABELS = {
    SAVED: "将保存",
    SUBMITTED: "将提交",
    UNCHANGED: "未变化",
    SKIPPED: "未填写",
    CONFLICT: "冲突，不会导入",
}
COLUMN_OF_FIELD = {f: f for f in CONTENT_FIELDS}


@dataclass(frozen=True)
class RowResult:
    row: int
    code: str
    title: str
    outcome: str
    message: str = ""
    report_id: int | None = None
    version: int | None = None
    created: bool = False  # the report is new (in a preview: it does not exist)

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    @property
    def preview_label(self) -> str:
        return PREVIEW_LABELS[self.outcome]


class ImportRejectedError(ApplicationError):
    """Rows the services refused: nothing was written; ``problems`` say where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            f"导入失败，共 {len(problems)} 处问题，没有写入任何内容。",
            {"problems": [str(p) for p in problems]},
        )
        self.problems = problems


def same_content(report: ProgressReport, content: dict[str, Any]) -> bool:
    return all(getattr(report, f) == content.get(f, getattr(report, f)) for f in CONTENT_FIELDS)


def is_blank(content: dict[str, Any]) -> bool:
    return not any(v for v in content.values())


def row_problems(row: RowInput, error: ApplicationError) -> list[Problem]:
    """A service's refusal of a row, on the columns of the fields it names."""
    fields: dict[str, list[str]] = (error.extra or {}).get("fields") or {}
    found = [
        Problem(message, sheet=SHEET, row=row.row, column=field)
        for field, messages in fields.items()
        if field in COLUMN_OF_FIELD
        for message in messages
    ]
    return found or [Problem(error.message, sheet=SHEET, row=row.row)]


def row_result(
    row: RowInput, a: Assignment, outcome: str, message: str, report: ProgressReport | None
) -> RowResult:
    code = a.task.code if a.task else "示范工程"
    title = a.task.content if a.task else (a.demo.name if a.demo else "")
    return RowResult(
        row.row,
        code,
        title,
        outcome,
        message,
        report.pk if report else None,
        report.version if report else None,
    )


def stale_message(report: ProgressReport, version: int | None) -> str:
    editor = report.updated_by.display_name if report.updated_by else "他人"
    if version is None:
        return (
            f"下载模板后，{editor}已在平台上填写了这份报告（第 {report.version} 版），"
            "本行没有导入。请重新下载模板，在最新内容上修改。"
        )
    return (
        f"模板中是第 {version} 版，报告已被{editor}改为第 {report.version} 版，本行没有导入，"
        "以免覆盖对方的修改。请重新下载模板，在最新内容上修改。"
    )


@transaction.atomic
def progress_import(
    *,
    actor: User,
    period: ReportingPeriod,
    unit: Unit,
    rows: list[RowInput],
    submit: bool = False,
    dry_run: bool = False,
) -> list[RowResult]:
    """Write the rows (see the module's docstring); one transaction for the whole file. With
    ``dry_run`` everything is done and then rolled back: what the import would do (a preview)."""
    if not can_import(actor, unit):
        raise NotPermittedError("只有本单位的填报员或审核人可以导入本单位的进展。")
    duties = {d.assignment.pk: d for d in duties_for_unit(unit, period)}
    problems: list[Problem] = []
    results: list[RowResult] = []
    for row in rows:
        duty = duties.get(row.assignment_id)
        if duty is None:
            problems.append(
                Problem(
                    "不是本单位本期的任务，请不要改动参考列。",
                    sheet=SHEET,
                    row=row.row,
                    column="assignment",
                )
            )
            continue
        a = duty.assignment
        report = duty.report

        def result(
            outcome: str,
            message: str = "",
            r: ProgressReport | None = None,
            *,
            row: RowInput = row,
            a: Assignment = a,
        ) -> RowResult:
            return row_result(row, a, outcome, message, r)

        if report is not None and same_content(report, row.content):
            results.append(result(UNCHANGED, "与平台上的内容相同，未作修改。", report))
            continue
        if report is None and is_blank(row.content):
            results.append(result(SKIPPED, "本行没有填写内容，未创建报告。"))
            continue
        if report is not None and row.version != report.version:
            results.append(result(CONFLICT, stale_message(report, row.version), report))
            continue
        if report is not None and not can_edit_report(actor, report):
            results.append(
                result(
                    CONFLICT,
                    f"报告当前为“{report.get_state_display()}”，不能修改，本行没有导入；"
                    "如需修改，请由审核人或领导小组办公室退回。",
                    report,
                )
            )
            continue
        try:  # each service is its own savepoint; any problem rolls the whole file back
            if report is None:
                report, created = reporting.report_open(
                    actor=actor, assignment=a, period=period, **row.content
                )
                if not created:  # written by someone else since the duties were read
                    raise ConflictError(stale_message(report, None))
            else:
                report = reporting.report_update(
                    actor=actor, report=report, version=row.version, **row.content
                )
            if submit:
                report = reporting.report_submit(actor=actor, report=report)
        except NotPermittedError:
            raise
        except ConflictError as error:
            results.append(result(CONFLICT, error.message, report))
            continue
        except ApplicationError as error:
            problems.extend(row_problems(row, error))
            continue
        outcome = result(SUBMITTED if submit else SAVED, "", report)
        results.append(replace(outcome, created=duty.report is None))
    if problems:
        raise ImportRejectedError(problems)
    if dry_run:
        transaction.set_rollback(True)
    return results
