"""What every 督办事项 service shares: input checks, the people to tell, the timeline step (with
its audit entry) and the notice of a step."""

import calendar
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from django.core.files.uploadedfile import UploadedFile
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks.evidence import check_upload
from tasks.workdays.selectors import next_workday
from units.audit import services as audit
from units.audit.models import AuditKind
from units.models import Role, Unit, User
from units.notifications.services import notify

from .models import (
    Directive,
    DirectiveAction,
    DirectiveAttachment,
    DirectiveFeedback,
    DirectiveStep,
    FeedbackRhythm,
)

TEXT_MAX = 5000
FILES_MAX = 10


def fail(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}})


def text_checked(value: str, *, field: str, label: str, limit: int, required: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise fail(field, required)
    if len(text) > limit:
        raise fail(field, f"{label}不能超过 {limit} 个字（现有 {len(text)} 个字）。")
    return text


def unit_staff(unit_ids: Sequence[int]) -> list[User]:
    """The active reporters and approvers of the units (one query)."""
    return list(
        User.objects.filter(
            unit_id__in=list(unit_ids), role__in=(Role.REPORTER, Role.APPROVER), is_active=True
        ).order_by("pk")
    )


def office_staff() -> list[User]:
    return list(User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk"))


def leaders() -> list[User]:
    return list(User.objects.filter(role=Role.LEADER, is_active=True).order_by("pk"))


def directive_link(directive: Directive) -> str:
    try:
        return reverse("directives:detail", args=[directive.pk])
    except NoReverseMatch:  # the pages' slice not mounted (a job run without the URLconf)
        return ""


def step_add(
    directive: Directive,
    action: str,
    actor: User | None,
    *,
    from_state: str = "",
    unit: Unit | None = None,
    comment: str = "",
) -> DirectiveStep:
    """A step of the item's timeline, and its entry in the audit log (督办事项)."""
    step = DirectiveStep.objects.create(
        directive=directive,
        action=action,
        from_state=from_state,
        to_state=directive.state,
        actor=actor,
        unit=unit,
        comment=comment,
    )
    label = DirectiveAction(action).label
    audit.record(
        AuditKind.DIRECTIVE,
        actor=actor,
        obj=directive,
        detail=f"督办事项 {directive.number}{f'（{unit}）' if unit else ''}{label}"
        + (f"：{comment}" if comment else ""),
    )
    return step


def tell(
    directive: Directive,
    step: DirectiveStep,
    recipients: Iterable[User],
    title: str,
    body: str = "",
) -> None:
    """The notice of a step (rule ``directive``), once per step and recipient."""
    notify(
        rule="directive",
        key=f"directive:{directive.pk}:{step.action}:{step.pk}",
        recipients=recipients,
        title=f"督办事项 {directive.number}{title}"[:200],
        body=body,
        link=directive_link(directive),
    )


def lead_unit_id(directive: Directive) -> int | None:
    """The item's lead unit (one query)."""
    return directive.units.filter(role="lead").values_list("unit_id", flat=True).first()


def feedback_reviewed(feedback: DirectiveFeedback, state: str, actor: User, comment: str) -> None:
    """A feedback or closing report accepted or returned by the office, with its comment."""
    feedback.state = state
    feedback.reviewed_by, feedback.reviewed_at, feedback.review_comment = (
        actor,
        clock.now(),
        comment,
    )
    feedback.save(update_fields=["state", "reviewed_by", "reviewed_at", "review_comment"])


def files_checked(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, str, str]]:
    """Every file checked (tasks.evidence.check_upload) before anything is stored: one refused,
    nothing written."""
    files = list(files or ())
    if len(files) > FILES_MAX:
        raise fail("files", f"一次最多上传 {FILES_MAX} 个文件。")
    checked = []
    for upload in files:
        result = check_upload(upload, field="files")
        checked.append((upload, result.name, result.content_type))
    return checked


def files_store(
    directive: Directive,
    feedback: DirectiveFeedback | None,
    checked: list[tuple[UploadedFile, str, str]],
    actor: User,
) -> list[DirectiveAttachment]:
    """Store the checked files as the item's (or a feedback's) attachments; a failure deletes
    the files stored so far."""
    stored: list[DirectiveAttachment] = []
    try:
        for upload, name, content_type in checked:
            attachment = DirectiveAttachment(
                directive=directive,
                feedback=feedback,
                file_name=name,
                file_type=content_type,
                uploaded_by=actor,
            )
            attachment.file.save(name, upload, save=False)
            stored.append(attachment)
            attachment.save()
    except BaseException:
        for attachment in stored:
            if attachment.file.name:
                attachment.file.storage.delete(attachment.file.name)
        raise
    return stored


def _plus_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def rhythm_date(start: date, rhythm: str, n: int) -> date:
    """The n-th feedback date of the rhythm counted in calendar days (or months) from
    ``start``, before it is moved to a working day."""
    if rhythm == FeedbackRhythm.WEEKLY:
        return start + timedelta(days=7 * n)
    if rhythm == FeedbackRhythm.BIWEEKLY:
        return start + timedelta(days=14 * n)
    return _plus_months(start, n)


def next_feedback_after(directive: Directive, after: date) -> date | None:
    """The first feedback date of the item's rhythm (weekly, every two weeks, monthly from the
    issue date; on a rest day moved to the next working day) later than ``after``; None for a
    one-time feedback (the deadline is its date) or an item not issued."""
    if directive.rhythm == FeedbackRhythm.ONCE or directive.issued_at is None:
        return None
    start = timezone.localdate(directive.issued_at)
    n = 1
    while True:
        candidate = next_workday(rhythm_date(start, directive.rhythm, n))
        if candidate > after:
            return candidate
        n += 1
