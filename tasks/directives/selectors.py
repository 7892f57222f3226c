"""Reads of 督办事项: the list as each reader may see it (lead unit annotated, lights computable
from the row), an item with everything its page shows, and the menu's count of items waiting
for the reader. Never imports the services.

- The office (and the system administrator) and the leaders see every item; a unit's staff the
  issued items given to their unit (lead or co); the auditor and anyone else nothing.
- ``light_of_directive`` (tasks.lights) reads ``state``, ``status``, ``due_date`` and
  ``closed_at``: all on the row, no query per item.
"""

from datetime import date

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from hefei_ai_zone import clock
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import (
    OPEN_DIRECTIVE_STATES,
    Directive,
    DirectiveExtension,
    DirectiveFeedback,
    DirectiveState,
    DirectiveStep,
    DirectiveUnit,
    ExtensionState,
    FeedbackKind,
    FeedbackState,
)
from .permissions import can_see

Q_MAX = 100


def visible(user: User) -> QuerySet[Directive]:
    """The items the user may see (no duplicates: the units are matched by EXISTS)."""
    if is_office(user) or is_leader(user):
        return Directive.objects.all()
    if is_unit_staff(user) and user.unit_id is not None:
        own = DirectiveUnit.objects.filter(directive=OuterRef("pk"), unit_id=user.unit_id)
        return Directive.objects.exclude(state=DirectiveState.DRAFT).filter(Exists(own))
    return Directive.objects.none()


def sign_overdue_q(today: date) -> Q:
    """逾期未签收: an open item whose sign-in deadline has passed with a unit not signed."""
    unsigned = DirectiveUnit.objects.filter(directive=OuterRef("pk"), signed_at__isnull=True)
    return Q(state__in=OPEN_DIRECTIVE_STATES, sign_due_date__lt=today) & Q(Exists(unsigned))


def overdue_q(today: date) -> Q:
    """逾期: an open item past its (current) deadline."""
    return Q(state__in=OPEN_DIRECTIVE_STATES, due_date__lt=today)


def directive_list(
    user: User,
    *,
    source: str | None = None,
    state: str | None = None,
    unit: int | None = None,
    overdue: bool | None = None,
    sign_overdue: bool | None = None,
    q: str | None = None,
) -> QuerySet[Directive]:
    """The items the user may see, filtered; each with ``lead_unit_id`` and ``lead_unit_name``
    annotated and its units (with the unit) prefetched: two queries whatever the number."""
    today = clock.today()
    qs = visible(user)
    if source:
        qs = qs.filter(source=source)
    if state:
        qs = qs.filter(state=state)
    if unit:
        qs = qs.filter(Exists(DirectiveUnit.objects.filter(directive=OuterRef("pk"), unit_id=unit)))
    if overdue is not None:
        qs = qs.filter(overdue_q(today)) if overdue else qs.exclude(overdue_q(today))
    if sign_overdue is not None:
        qs = qs.filter(sign_overdue_q(today)) if sign_overdue else qs.exclude(sign_overdue_q(today))
    if q:
        words = q.strip()[:Q_MAX]
        match = Q(title__icontains=words) | Q(requirement__icontains=words)
        if words.isdigit() and len(words) < 9:
            match |= Q(seq=int(words))
        qs = qs.filter(match)
    lead = DirectiveUnit.objects.filter(directive=OuterRef("pk"), role="lead")
    return (
        qs.select_related("task")
        .annotate(
            lead_unit_id=Subquery(lead.values("unit_id")[:1]),
            lead_unit_name=Subquery(lead.values("unit__name")[:1]),
        )
        .prefetch_related(Prefetch("units", queryset=DirectiveUnit.objects.select_related("unit")))
        .order_by("-created_at", "-id")
    )


def directive_detail(user: User, pk: int | str) -> Directive:
    """The item with its units, feedback (and their files), extensions, timeline and files;
    404 when it does not exist or the user may not see it (the same answer: nothing revealed)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    directive = (
        Directive.objects.select_related("task", "created_by", "issued_by")
        .prefetch_related(
            Prefetch("units", queryset=DirectiveUnit.objects.select_related("unit", "signed_by")),
            Prefetch(
                "feedback",
                queryset=DirectiveFeedback.objects.select_related(
                    "unit", "created_by", "reviewed_by"
                ).prefetch_related("attachments"),
            ),
            Prefetch(
                "extensions",
                queryset=DirectiveExtension.objects.select_related(
                    "unit", "requested_by", "reviewed_by", "decided_by"
                ),
            ),
            Prefetch("steps", queryset=DirectiveStep.objects.select_related("actor", "unit")),
            "attachments",
        )
        .filter(pk=pk)
        .first()
    )
    if directive is None or not can_see(user, directive):
        raise Http404("督办事项不存在或无权查看。")
    return directive


def to_act_count(user: User) -> int:
    """The menu's count (one query): for a unit's staff, the open items waiting for their unit
    to sign, or (the lead unit) whose feedback is due; for the office, the items with a closing
    report, an extension or a lead unit's feedback to review; for a leader, the extensions
    waiting for a leader's approval (when the setting asks for it)."""
    today = clock.today()
    if is_office(user):
        pending = DirectiveExtension.objects.filter(
            directive=OuterRef("pk"), state=ExtensionState.PENDING
        )
        is_lead = DirectiveUnit.objects.filter(
            directive=OuterRef("directive"), unit=OuterRef("unit"), role="lead"
        )
        to_review = DirectiveFeedback.objects.filter(
            Exists(is_lead),
            directive=OuterRef("pk"),
            kind=FeedbackKind.PROGRESS,
            state=FeedbackState.SUBMITTED,
        )
        return Directive.objects.filter(
            Q(state=DirectiveState.CLOSING)
            | Q(state__in=OPEN_DIRECTIVE_STATES) & (Exists(pending) | Exists(to_review))
        ).count()
    if is_leader(user):
        if not settings.DIRECTIVE_EXTENSION_LEADER_APPROVAL:
            return 0
        return DirectiveExtension.objects.filter(state=ExtensionState.LEADER).count()
    if is_unit_staff(user) and user.unit_id is not None:
        unsigned = DirectiveUnit.objects.filter(
            directive=OuterRef("pk"), unit_id=user.unit_id, signed_at__isnull=True
        )
        leads = DirectiveUnit.objects.filter(
            directive=OuterRef("pk"), unit_id=user.unit_id, role="lead"
        )
        return Directive.objects.filter(
            Q(Exists(unsigned), state__in=(DirectiveState.ISSUED, DirectiveState.IN_PROGRESS))
            | Q(
                Exists(leads),
                state=DirectiveState.IN_PROGRESS,
                next_feedback_date__lte=today,
            )
        ).count()
    return 0
