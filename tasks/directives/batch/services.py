"""A meeting's decisions issued together (全部交办): every chosen row registered
(tasks.directives.services.directive_create, source 会议议定事项, the meeting's name, date and
minutes on each) and issued (directive_issue) in ONE transaction: a problem in one row and
nothing is issued, the row named in the message."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.directives.models import Directive, DirectiveSource
from tasks.directives.services import TEXT_MAX, directive_create, directive_issue
from units.models import Unit, User

from .permissions import can_batch
from .reading import MAX_ROWS, parse_due

MEETING_MAX = 200


@dataclass
class BatchRow:
    number: int  # as the office sees it on the review list
    title: str
    requirement: str
    lead: Unit | None
    co: Sequence[Unit] = field(default_factory=list)
    due: str = ""  # working days or a date; "" for the batch's default


def _fail(message: str, **extra: object) -> ApplicationError:
    return ApplicationError(message, dict(extra))


@transaction.atomic
def batch_issue(
    *,
    actor: User,
    meeting: str,
    meeting_date: date | None,
    minutes: str,
    rows: Sequence[BatchRow],
    default_due: str = "",
) -> list[Directive]:
    """Register and issue the chosen decisions of a meeting, all or none."""
    if not can_batch(actor):
        raise NotPermittedError("只有领导小组办公室可以批量登记会议议定事项。")
    meeting = (meeting or "").strip()
    if not meeting:
        raise ApplicationError("请填写会议名称。", {"fields": {"meeting": ["请填写会议名称。"]}})
    if len(meeting) > MEETING_MAX:
        message = f"会议名称不能超过 {MEETING_MAX} 个字。"
        raise ApplicationError(message, {"fields": {"meeting": [message]}})
    if len((minutes or "").strip()) > TEXT_MAX:
        message = f"会议纪要不能超过 {TEXT_MAX} 个字。"
        raise ApplicationError(message, {"fields": {"minutes": [message]}})
    if not rows:
        raise _fail("请至少选择一条要交办的事项。")
    if len(rows) > MAX_ROWS:
        raise _fail(f"一次最多交办 {MAX_ROWS} 条事项。")
    issued = []
    for row in rows:
        where = f"第 {row.number} 条“{(row.title or row.requirement)[:30]}”"
        due = parse_due(row.due or default_due)
        if due is None:
            raise _fail(
                f"{where}：办结时限应为工作日数（如 10）或日期（如 2023-10-31）。", row=row.number
            )
        try:
            directive = directive_create(
                actor=actor,
                title=row.title,
                source=DirectiveSource.MEETING,
                requirement=row.requirement,
                lead_unit=row.lead,
                co_units=row.co,
                due_workdays=due if isinstance(due, int) else None,
                due_date=due if not isinstance(due, int) else None,
                source_meeting=meeting,
                source_date=meeting_date,
                source_text=minutes,
            )
            issued.append(directive_issue(actor=actor, directive=directive))
        except NotPermittedError:
            raise
        except ApplicationError as error:
            raise ApplicationError(
                f"{where}：{error.message}", {**(error.extra or {}), "row": row.number}
            ) from error
    return issued
