"""The lifecycle after 交办: signing, feedback, extension, closing, returning, archiving and
reopening, each a step on the timeline with its notice, told once."""

from datetime import date

import pytest
import time_machine
from django.test import override_settings

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.directives.models import (
    DirectiveAction,
    DirectiveState,
    ExtensionState,
    FeedbackState,
)
from tasks.directives.services import (
    close_apply,
    directive_close,
    directive_reopen,
    directive_return,
    directive_sign,
    extension_apply,
    extension_decide,
    extension_review,
    feedback_accept,
    feedback_return,
    feedback_submit,
)
from units.audit.models import AuditEntry, AuditKind
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db

TRAVEL = "2023-09-25 10:00 +0800"


def actions(directive) -> list[str]:
    return list(directive.steps.values_list("action", flat=True))


@time_machine.travel(TRAVEL, tick=False)
def test_the_lead_signature_starts_the_work_and_the_office_hears_of_each(people, item_in) -> None:
    directive = item_in("issued", rhythm="weekly")
    directive = directive_sign(actor=people["fgw_reporter"], directive=directive)
    assert directive.state == DirectiveState.ISSUED  # a co unit's signature is not the lead's
    directive = directive_sign(actor=people["kjj_approver"], directive=directive)
    assert directive.state == DirectiveState.IN_PROGRESS
    # weekly from the issue date 09-25: 10-02 is in the National Day holiday → 10-07 (调休).
    assert directive.next_feedback_date == date(2023, 10, 7)
    with pytest.raises(ApplicationError, match="已于"):
        directive_sign(actor=people["kjj_reporter"], directive=directive)
    with pytest.raises(NotPermittedError):
        directive_sign(actor=people["other_reporter"], directive=directive)
    assert actions(directive) == ["create", "issue", "sign", "sign"]
    office_notices = Notice.objects.filter(recipient=people["office"], rule="directive")
    assert office_notices.count() == 2
    assert AuditEntry.objects.filter(kind=AuditKind.DIRECTIVE).count() == 4


@time_machine.travel(TRAVEL, tick=False)
def test_feedback_of_co_units_feeds_the_lead_and_the_leads_sets_the_status(people, item_in) -> None:
    directive = item_in("in_progress", rhythm="weekly")
    co = feedback_submit(
        actor=people["fgw_reporter"], directive=directive, content="已提供数据。", status="on_track"
    )
    directive.refresh_from_db()
    assert directive.status == ""  # a co unit's feedback is not the lead's
    assert Notice.objects.filter(recipient=people["kjj_reporter"], body="已提供数据。").exists()
    with pytest.raises(ApplicationError, match="不能审核"):
        feedback_accept(actor=people["office"], feedback=co)
    lead = feedback_submit(
        actor=people["kjj_reporter"], directive=directive, content="滞后。", status="delayed"
    )
    directive.refresh_from_db()
    assert directive.status == "delayed"
    assert directive.next_feedback_date == date(2023, 10, 9)  # after 10-07: 10-09
    with pytest.raises(ApplicationError, match="理由"):
        feedback_return(actor=people["office"], feedback=lead, comment="")
    feedback_return(actor=people["office"], feedback=lead, comment="数据不全。")
    directive.refresh_from_db()
    assert directive.status == ""  # a returned feedback stops counting
    again = feedback_submit(
        actor=people["kjj_reporter"], directive=directive, content="补全。", status="at_risk"
    )
    feedback_accept(actor=people["office"], feedback=again, comment="可以。")
    again.refresh_from_db()
    assert again.state == FeedbackState.ACCEPTED
    directive.refresh_from_db()
    assert directive.status == "at_risk"


@time_machine.travel(TRAVEL, tick=False)
def test_an_extension_moves_the_deadline_and_keeps_the_original(people, item_in) -> None:
    directive = item_in("in_progress")
    original = directive.due_date
    with pytest.raises(NotPermittedError):
        extension_apply(
            actor=people["fgw_reporter"], directive=directive, to_date=date(2023, 12, 1), reason="x"
        )
    with pytest.raises(ApplicationError, match="晚于"):
        extension_apply(
            actor=people["kjj_reporter"], directive=directive, to_date=original, reason="忙"
        )
    ext = extension_apply(
        actor=people["kjj_reporter"], directive=directive, to_date=date(2023, 12, 1), reason="忙"
    )
    with pytest.raises(ApplicationError, match="审核中"):
        extension_apply(
            actor=people["kjj_reporter"], directive=directive, to_date=date(2023, 12, 2), reason="x"
        )
    ext = extension_review(actor=people["office"], extension=ext, approve=True)
    directive.refresh_from_db()
    assert ext.state == ExtensionState.APPROVED
    assert directive.due_date == date(2023, 12, 1)
    assert directive.original_due_date == original
    assert directive.extended
    # the office's approval is the decision: the bulletin counts it in the quarter it was made
    assert (ext.decided_by, ext.decided_at) == (people["office"], ext.reviewed_at)


@time_machine.travel(TRAVEL, tick=False)
@override_settings(DIRECTIVE_EXTENSION_LEADER_APPROVAL=True)
def test_with_the_setting_a_leader_approves_the_extension(people, item_in) -> None:
    directive = item_in("in_progress")
    original = directive.due_date
    ext = extension_apply(
        actor=people["kjj_reporter"], directive=directive, to_date=date(2023, 12, 1), reason="忙"
    )
    ext = extension_review(actor=people["office"], extension=ext, approve=True)
    assert ext.state == ExtensionState.LEADER
    directive.refresh_from_db()
    assert directive.due_date == original
    assert Notice.objects.filter(recipient=people["leader"], rule="directive").exists()
    with pytest.raises(NotPermittedError):
        extension_decide(actor=people["office"], extension=ext, approve=True)
    ext = extension_decide(actor=people["leader"], extension=ext, approve=True)
    directive.refresh_from_db()
    assert directive.due_date == date(2023, 12, 1)
    assert directive.original_due_date == original


@time_machine.travel(TRAVEL, tick=False)
def test_returned_then_closed_then_reopened_by_a_leader(people, item_in) -> None:
    directive = item_in("closing")
    with pytest.raises(ApplicationError, match="理由"):
        directive_return(actor=people["office"], directive=directive, comment=" ")
    directive = directive_return(actor=people["office"], directive=directive, comment="证据不足。")
    assert directive.state == DirectiveState.IN_PROGRESS
    close_apply(actor=people["kjj_reporter"], directive=directive, content="补充了证据。")
    directive.refresh_from_db()
    directive = directive_close(actor=people["office"], directive=directive)
    assert directive.state == DirectiveState.CLOSED
    assert directive.closed_at is not None
    with pytest.raises(NotPermittedError):
        directive_reopen(actor=people["office"], directive=directive, instruction="再办")
    with pytest.raises(ApplicationError, match="批示"):
        directive_reopen(actor=people["leader"], directive=directive, instruction="")
    original = directive.original_due_date
    directive = directive_reopen(
        actor=people["leader"], directive=directive, instruction="再抓落实。", due_workdays=5
    )
    assert directive.state == DirectiveState.IN_PROGRESS
    assert directive.closed_at is None
    assert directive.due_date == date(2023, 10, 8)  # 26, 27, 28, then 调休 10-07, 10-08
    assert directive.original_due_date == original
    assert actions(directive)[-5:] == [
        DirectiveAction.APPLY_CLOSE,
        DirectiveAction.RETURN,
        DirectiveAction.APPLY_CLOSE,
        DirectiveAction.CLOSE,
        DirectiveAction.REOPEN,
    ]


@time_machine.travel("2023-09-25 10:00 +0800", tick=False)
def test_the_office_urges_an_item_the_units_not_signed_then_the_lead_are_told(
    people, item_in
) -> None:
    """催办 on an item: a step on the timeline, the state unchanged, the notice to whom must act:
    the units that have not signed (issued), the lead unit (in progress). Nobody else urges."""
    from tasks.directives.services import directive_sign, directive_urge

    issued = item_in("issued")
    directive_sign(actor=people["fgw_reporter"], directive=issued)  # the co unit signed
    directive_urge(actor=people["office"], directive=issued, message="请尽快签收。")
    step = issued.steps.get(action="urge")
    assert (step.comment, step.to_state, step.actor) == ("请尽快签收。", "issued", people["office"])
    told = set(
        Notice.objects.filter(key=f"directive:{issued.pk}:urge:{step.pk}").values_list(
            "recipient__username", flat=True
        )
    )
    assert {"kjj_reporter", "kjj_approver"} <= told and "fgw_reporter" not in told
    with pytest.raises(ApplicationError, match="催办内容"):
        directive_urge(actor=people["office"], directive=issued, message="  ")
    with pytest.raises(NotPermittedError):
        directive_urge(actor=people["kjj_reporter"], directive=issued, message="催")
    closed = item_in("closed")
    with pytest.raises(ApplicationError, match="只有已交办、办理中的事项可以催办"):
        directive_urge(actor=people["office"], directive=closed, message="催")
