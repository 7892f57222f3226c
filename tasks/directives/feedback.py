"""Writes of 督办事项 feedback, extensions and the closing report, one transaction each (the
rest of the lifecycle is in ``services``, which re-exports these).

- ``feedback_submit`` (反馈): a co unit's feeds the lead unit's consolidated feedback (the lead is
  told); the lead's is reviewed by the office (``feedback_accept``, ``feedback_return`` with a
  reason). The lead's feedback sets the next feedback date of the rhythm and ``Directive.status``
  (the lead's latest counted feedback: submitted or accepted; a returned one stops counting).
- ``extension_apply`` (延期申请, before the deadline, one pending at a time) → ``extension_review``
  (the office) → approved, or to a leader (``extension_decide``) when
  ``settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL``; approved: ``due_date`` moves to the date asked,
  ``original_due_date`` never.
- ``close_apply`` (申请办结): the lead unit's closing report with its evidence files (checked like
  a report's evidence), the item to ``closing``; the office closes or returns it (``services``).
"""

from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.reporting.models import ProgressStatus
from units.models import User
from units.permissions import is_leader, is_office

from .models import (
    Directive,
    DirectiveAction,
    DirectiveExtension,
    DirectiveFeedback,
    DirectiveState,
    ExtensionState,
    FeedbackKind,
    FeedbackState,
)
from .permissions import (
    can_apply_close,
    can_decide_extension,
    can_extend,
    can_feedback,
    can_review_extension,
    can_review_feedback,
    duty_of,
    has_pending_extension,
    is_lead_staff,
)
from .steps import (
    TEXT_MAX,
    fail,
    feedback_reviewed,
    files_checked,
    files_store,
    lead_unit_id,
    leaders,
    next_feedback_after,
    office_staff,
    step_add,
    tell,
    text_checked,
    unit_staff,
)

COUNTED = (FeedbackState.SUBMITTED, FeedbackState.ACCEPTED)


def _lead_staff(directive: Directive) -> list[User]:
    lead_id = lead_unit_id(directive)
    return unit_staff([lead_id] if lead_id else [])


def _status_recount(directive: Directive) -> None:
    """``Directive.status``: the lead unit's latest counted feedback (a closing report too)."""
    lead_id = lead_unit_id(directive)
    latest = (
        directive.feedback.filter(unit_id=lead_id or 0, state__in=COUNTED)
        .order_by("-submitted_at", "-id")
        .values_list("status", flat=True)
        .first()
    )
    directive.status = latest or ""
    directive.save(update_fields=["status", "updated_at"])


def _not_yours(directive: Directive, user: User, *, what: str) -> Exception:
    if duty_of(user, directive) is None:
        return NotPermittedError(f"只有承办单位的人员可以{what}。")
    return ApplicationError(f"{directive.number}{directive.get_state_display()}，现在不能{what}。")


@transaction.atomic
def feedback_submit(
    *,
    actor: User,
    directive: Directive,
    content: str,
    status: str,
    files: Sequence[UploadedFile] = (),
) -> DirectiveFeedback:
    """A unit's progress feedback (反馈) with optional evidence files."""
    directive = locked(directive)
    if not can_feedback(actor, directive):
        duty = duty_of(actor, directive)
        if duty is not None and duty.signed_at is None and directive.is_open:
            raise ApplicationError(f"{duty.unit}尚未签收，请先签收再反馈。")
        raise _not_yours(directive, actor, what="反馈")
    text = text_checked(
        content, field="content", label="反馈内容", limit=TEXT_MAX, required="请填写反馈内容。"
    )
    if status not in ProgressStatus.values:
        raise fail("status", "请选择办理状态。")
    checked = files_checked(files)
    duty = duty_of(actor, directive)
    assert duty is not None
    lead = duty.role == "lead"
    now = clock.now()
    feedback = DirectiveFeedback.objects.create(
        directive=directive,
        unit_id=duty.unit_id,
        kind=FeedbackKind.PROGRESS,
        content=text,
        status=status,
        state=FeedbackState.SUBMITTED,
        due_date=directive.next_feedback_date,
        created_by=actor,
        submitted_at=now,
    )
    if lead:
        today = clock.today()
        after = max(today, directive.next_feedback_date or today)
        directive.next_feedback_date = next_feedback_after(directive, after)
        directive.status = status
        directive.save(update_fields=["next_feedback_date", "status", "updated_at"])
    step = step_add(
        directive,
        DirectiveAction.FEEDBACK,
        actor,
        from_state=directive.state,
        unit=actor.unit,
        comment=text,
    )
    files_store(directive, feedback, checked, actor)
    if lead:
        tell(directive, step, office_staff(), f"：{actor.unit}已反馈", text)
    else:
        tell(directive, step, _lead_staff(directive), f"：配合单位{actor.unit}已反馈", text)
    return feedback


def _feedback_locked(actor: User, feedback: DirectiveFeedback, *, what: str) -> DirectiveFeedback:
    locked(feedback.directive)
    feedback = locked(feedback, "directive", "unit")
    if not can_review_feedback(actor, feedback):
        if not is_office(actor):
            raise NotPermittedError(f"只有领导小组办公室可以{what}反馈。")
        raise ApplicationError(f"这条反馈{feedback.get_state_display()}，不能{what}。")
    return feedback


@transaction.atomic
def feedback_accept(
    *, actor: User, feedback: DirectiveFeedback, comment: str = ""
) -> DirectiveFeedback:
    """The office accepts the lead unit's feedback (审核通过)."""
    feedback = _feedback_locked(actor, feedback, what="审核")
    text = text_checked(comment, field="comment", label="审核意见", limit=TEXT_MAX)
    feedback_reviewed(feedback, FeedbackState.ACCEPTED, actor, text)
    directive = feedback.directive
    step = step_add(
        directive,
        DirectiveAction.FEEDBACK_ACCEPT,
        actor,
        from_state=directive.state,
        unit=feedback.unit,
        comment=text,
    )
    tell(directive, step, unit_staff([feedback.unit_id]), " 的反馈已审核通过", text)
    return feedback


@transaction.atomic
def feedback_return(*, actor: User, feedback: DirectiveFeedback, comment: str) -> DirectiveFeedback:
    """The office returns the lead unit's feedback with its reason; it stops counting."""
    feedback = _feedback_locked(actor, feedback, what="退回")
    text = text_checked(
        comment, field="comment", label="退回理由", limit=TEXT_MAX, required="退回时请写明理由。"
    )
    feedback_reviewed(feedback, FeedbackState.RETURNED, actor, text)
    directive = feedback.directive
    _status_recount(directive)
    step = step_add(
        directive,
        DirectiveAction.FEEDBACK_RETURN,
        actor,
        from_state=directive.state,
        unit=feedback.unit,
        comment=text,
    )
    tell(directive, step, unit_staff([feedback.unit_id]), " 的反馈被退回，请重新反馈", text)
    return feedback


@transaction.atomic
def extension_apply(
    *, actor: User, directive: Directive, to_date: date, reason: str
) -> DirectiveExtension:
    """The lead unit applies for more time (延期申请) before the deadline, with a reason."""
    directive = locked(directive)
    if not can_extend(actor, directive):
        if not is_lead_staff(actor, directive):
            raise NotPermittedError("只有牵头单位的人员可以申请延期。")
        if has_pending_extension(directive):
            raise ApplicationError("已有一份延期申请在审核中，请等审核结果。")
        if directive.is_open and directive.due_date and clock.today() > directive.due_date:
            raise ApplicationError(f"办结时限 {directive.due_date:%Y-%m-%d} 已过，不能再申请延期。")
        raise ApplicationError(
            f"{directive.number}{directive.get_state_display()}，现在不能申请延期。"
        )
    text = text_checked(
        reason, field="reason", label="延期理由", limit=TEXT_MAX, required="请填写延期理由。"
    )
    assert directive.due_date is not None
    if to_date is None or to_date <= directive.due_date:
        raise fail("to_date", f"延期后的日期应晚于现在的办结时限 {directive.due_date:%Y-%m-%d}。")
    duty = duty_of(actor, directive)
    assert duty is not None
    extension = DirectiveExtension.objects.create(
        directive=directive,
        unit_id=duty.unit_id,
        from_date=directive.due_date,
        to_date=to_date,
        reason=text,
        requested_by=actor,
        requested_at=clock.now(),
    )
    step = step_add(
        directive,
        DirectiveAction.EXTEND,
        actor,
        from_state=directive.state,
        unit=actor.unit,
        comment=f"申请延至 {to_date:%Y-%m-%d}：{text}",
    )
    tell(directive, step, office_staff(), f"：{actor.unit}申请延期至 {to_date:%Y-%m-%d}", text)
    return extension


def _extension_locked(extension: DirectiveExtension) -> DirectiveExtension:
    locked(extension.directive)
    return locked(extension, "directive", "unit")


def _extension_approved(actor: User, extension: DirectiveExtension, text: str) -> None:
    """The new date applies from now on; the original date stays for the assessment."""
    directive = extension.directive
    if not directive.is_open:
        raise ApplicationError(f"{directive.number}{directive.get_state_display()}，不再需要延期。")
    extension.state = ExtensionState.APPROVED
    directive.due_date = extension.to_date
    directive.save(update_fields=["due_date", "updated_at"])


@transaction.atomic
def extension_review(
    *, actor: User, extension: DirectiveExtension, approve: bool, comment: str = ""
) -> DirectiveExtension:
    """The office reviews an application: refused (with a reason), approved, or passed on to a
    leader when ``settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL``."""
    extension = _extension_locked(extension)
    if not can_review_extension(actor, extension):
        if not is_office(actor):
            raise NotPermittedError("只有领导小组办公室可以审核延期申请。")
        raise ApplicationError(f"这份延期申请{extension.get_state_display()}，不能再审核。")
    text = text_checked(
        comment,
        field="comment",
        label="审核意见",
        limit=TEXT_MAX,
        required="" if approve else "不同意延期时请写明理由。",
    )
    directive = extension.directive
    extension.reviewed_by, extension.reviewed_at, extension.comment = actor, clock.now(), text
    if not approve:
        extension.state = ExtensionState.REJECTED
        action, title = DirectiveAction.EXTEND_REJECT, " 的延期申请未获同意"
        recipients = _lead_staff(directive)
    elif settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL:
        extension.state = ExtensionState.LEADER
        action, title = DirectiveAction.EXTEND_REVIEW, " 的延期申请待领导审批"
        recipients = leaders()
    else:  # the office's approval is the decision: stamped, for the bulletin's 批准延期
        extension.decided_by, extension.decided_at = actor, extension.reviewed_at
        _extension_approved(actor, extension, text)
        action, title = (
            DirectiveAction.EXTEND_APPROVE,
            (f" 同意延期，办结时限延至 {extension.to_date:%Y-%m-%d}"),
        )
        recipients = _lead_staff(directive)
    extension.save()
    step = step_add(
        directive,
        action,
        actor,
        from_state=directive.state,
        unit=extension.unit,
        comment=text,
    )
    tell(directive, step, recipients, title, text)
    return extension


@transaction.atomic
def extension_decide(
    *, actor: User, extension: DirectiveExtension, approve: bool, comment: str = ""
) -> DirectiveExtension:
    """A leader approves or refuses an application the office passed on."""
    extension = _extension_locked(extension)
    if not can_decide_extension(actor, extension):
        if not is_leader(actor):
            raise NotPermittedError("只有领导可以审批延期申请。")
        raise ApplicationError(f"这份延期申请{extension.get_state_display()}，不需要领导审批。")
    text = text_checked(
        comment,
        field="comment",
        label="审批意见",
        limit=TEXT_MAX,
        required="" if approve else "不同意延期时请写明理由。",
    )
    directive = extension.directive
    extension.decided_by, extension.decided_at = actor, clock.now()
    extension.comment = text or extension.comment
    if approve:
        _extension_approved(actor, extension, text)
        action = DirectiveAction.EXTEND_APPROVE
        title = f" 领导同意延期，办结时限延至 {extension.to_date:%Y-%m-%d}"
    else:
        extension.state = ExtensionState.REJECTED
        action, title = DirectiveAction.EXTEND_REJECT, " 的延期申请领导未同意"
    extension.save()
    step = step_add(
        directive, action, actor, from_state=directive.state, unit=extension.unit, comment=text
    )
    tell(directive, step, [*_lead_staff(directive), *office_staff()], title, text)
    return extension


@transaction.atomic
def close_apply(
    *,
    actor: User,
    directive: Directive,
    content: str,
    files: Sequence[UploadedFile] = (),
) -> DirectiveFeedback:
    """The lead unit applies to close (申请办结) with its closing report and evidence files."""
    directive = locked(directive)
    if not can_apply_close(actor, directive):
        if duty_of(actor, directive) is not None and not is_lead_staff(actor, directive):
            raise NotPermittedError("只有牵头单位的人员可以申请办结。")
        duty = duty_of(actor, directive)
        if duty is not None and duty.signed_at is None and directive.is_open:
            raise ApplicationError(f"{duty.unit}尚未签收，请先签收。")
        raise _not_yours(directive, actor, what="申请办结")
    text = text_checked(
        content, field="content", label="办结报告", limit=TEXT_MAX, required="请填写办结报告。"
    )
    checked = files_checked(files)
    duty = duty_of(actor, directive)
    assert duty is not None
    report = DirectiveFeedback.objects.create(
        directive=directive,
        unit_id=duty.unit_id,
        kind=FeedbackKind.CLOSING,
        content=text,
        status=ProgressStatus.COMPLETED,
        state=FeedbackState.SUBMITTED,
        created_by=actor,
        submitted_at=clock.now(),
    )
    directive.state = DirectiveState.CLOSING
    directive.status = ProgressStatus.COMPLETED
    directive.save(update_fields=["state", "status", "updated_at"])
    step = step_add(
        directive,
        DirectiveAction.APPLY_CLOSE,
        actor,
        from_state=DirectiveState.IN_PROGRESS,
        unit=actor.unit,
        comment=text,
    )
    files_store(directive, report, checked, actor)
    tell(directive, step, office_staff(), f"：{actor.unit}申请办结", text)
    return report
