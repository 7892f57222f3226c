"""Reads of 催办 and 督办单: the late units of a period page with their contacts and 催办, the
lists of 督办单 as each reader may see them, a unit's record, and the counts per unit and year
(one grouped query: the dashboards and, later, the assessment rules read it)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import ExtractYear

from hefei_ai_zone import clock
from tasks.directives.models import DirectiveAction, DirectiveStep
from tasks.reporting.models import ReportingPeriod
from tasks.reporting.selectors import UnitRecord
from units.contacts.models import Contact
from units.contacts.permissions import can_manage_contacts
from units.contacts.selectors import contact_list, contacts_of
from units.models import Unit, User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import OPEN_ORDER_STATES, OrderState, SupervisionOrder, Urge


@dataclass
class LateUnit:
    """A unit of a period page that has not submitted everything, with whom to call."""

    record: UnitRecord
    contacts: list[Contact] = field(default_factory=list)
    urged: int = 0  # 催办 sent for this period
    last_urged: Urge | None = None

    @property
    def unit(self) -> Unit:
        return self.record.unit


def late_units(period: ReportingPeriod, records: list[UnitRecord]) -> list[LateUnit]:
    """The units with duties not submitted, the overdue ones first: two queries (contacts, the
    period's 催办), whatever the number of units."""
    waiting = [r for r in records if r.missing]
    if not waiting:
        return []
    ids = [r.unit.pk for r in waiting]
    contacts = contacts_of(ids)
    urges: dict[int, list[Urge]] = {}
    for urge in Urge.objects.filter(period=period, unit_id__in=ids).order_by("-sent_at", "-id"):
        urges.setdefault(urge.unit_id, []).append(urge)
    rows = [
        LateUnit(
            r,
            contacts.get(r.unit.pk, []),
            len(urges.get(r.unit.pk, [])),
            next(iter(urges.get(r.unit.pk, [])), None),
        )
        for r in waiting
    ]
    return sorted(rows, key=lambda row: not row.record.overdue)


def order_list(user: User, *, open_only: bool = False) -> QuerySet[SupervisionOrder]:
    """The 督办单 this user may see (office and leader all, a unit's staff their unit's), the
    open ones by their deadline first: one query."""
    qs = SupervisionOrder.objects.select_related("unit", "task")
    if not (is_office(user) or is_leader(user)):
        unit_id = user.unit_id
        qs = qs.filter(unit_id=unit_id) if is_unit_staff(user) and unit_id else qs.none()
    if open_only:
        qs = qs.filter(state__in=OPEN_ORDER_STATES)
    closed_last = Case(When(state="closed", then=Value(1)), default=Value(0))
    return qs.order_by(closed_last, "due_date", "-year", "-seq")


def orders_to_answer_count(user: User) -> int:
    """How many 督办单 wait for the answer of the user's unit (issued, or sent back): one
    query; 0 without one for anyone but a unit's staff."""
    if not (is_unit_staff(user) and user.unit_id):
        return 0
    return SupervisionOrder.objects.filter(
        unit_id=user.unit_id, state__in=(OrderState.ISSUED, OrderState.RETURNED)
    ).count()


def order_detail(pk: int) -> SupervisionOrder:
    return SupervisionOrder.objects.select_related("unit", "task__plan", "issued_by").get(pk=pk)


def order_steps(order: SupervisionOrder) -> list:
    return list(order.steps.select_related("actor"))


def days_left(order: SupervisionOrder, today: date | None = None) -> int:
    return (order.due_date - (today or clock.today())).days


@dataclass(frozen=True)
class UnitSupervision:
    urges: list[Urge]
    orders: list[SupervisionOrder]


def unit_supervision(unit: Unit, *, limit: int = 50) -> UnitSupervision:
    """The 催办 a unit received (latest first) and its 督办单: two queries."""
    urges = list(
        Urge.objects.filter(unit=unit)
        .select_related("period", "sent_by")
        .order_by("-sent_at", "-id")[:limit]
    )
    orders = list(
        SupervisionOrder.objects.filter(unit=unit).select_related("task").order_by("-year", "-seq")
    )
    return UnitSupervision(urges, orders)


@dataclass(frozen=True)
class SupervisionCounts:
    urges: int = 0
    orders: int = 0

    @property
    def label(self) -> str:
        return f"{self.urges}/{self.orders}"


def supervision_counts(
    year: int, unit_ids: Iterable[int] | None = None
) -> dict[int, SupervisionCounts]:
    """The number of 催办 and 督办单 each unit received in a year (Asia/Shanghai): one grouped
    query (a UNION ALL of the counts). A 催办 is one of a period (``Urge``) or one of a 督办事项
    (its timeline's ``urge`` step), counted for the item's lead unit. Units with neither are
    absent. Never logins or clicks: national rules forbid assessing units on online activity."""
    urges = Urge.objects.annotate(y=ExtractYear("sent_at")).filter(y=year)
    orders = SupervisionOrder.objects.filter(year=year)
    item_urges = (
        DirectiveStep.objects.filter(action=DirectiveAction.URGE)
        .annotate(
            y=ExtractYear("created_at"),
            lead_unit=F("directive__units__unit_id"),
            role=F("directive__units__role"),
        )
        .filter(y=year, role="lead")
    )
    if unit_ids is not None:
        ids = list(unit_ids)
        urges, orders = urges.filter(unit_id__in=ids), orders.filter(unit_id__in=ids)
        item_urges = item_urges.filter(lead_unit__in=ids)
    rows = (
        urges.values("unit_id")
        .annotate(kind=Value(0, output_field=IntegerField()), n=Count("pk"))
        .values_list("unit_id", "kind", "n")
        .order_by()
        .union(
            orders.values("unit_id")
            .annotate(kind=Value(1, output_field=IntegerField()), n=Count("pk"))
            .values_list("unit_id", "kind", "n")
            .order_by(),
            item_urges.values("lead_unit")
            .annotate(kind=Value(0, output_field=IntegerField()), n=Count("pk"))
            .values_list("lead_unit", "kind", "n")
            .order_by(),
            all=True,
        )
    )
    found: dict[int, list[int]] = {}
    for unit_id, kind, n in rows:
        found.setdefault(unit_id, [0, 0])[kind] += n
    return {pk: SupervisionCounts(u, o) for pk, (u, o) in found.items()}


def unit_supervision_context(user: User, unit: Unit) -> dict[str, object]:
    """What a unit's page shows of 联络员, 催办 and 督办单 (for whoever sees its record): three
    queries."""
    from .permissions import can_issue

    return {
        "contacts": list(contact_list(unit.pk)),
        "supervision": unit_supervision(unit),
        "can_edit_contacts": can_manage_contacts(user),
        "can_issue": can_issue(user),
    }
