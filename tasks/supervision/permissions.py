"""Who may urge, issue, answer, close, send back and read 督办单 (the one place that says so)."""

from units.models import Unit, User
from units.permissions import is_leader, is_office, is_unit_staff

from .models import OrderState, SupervisionOrder


def can_urge(user: User) -> bool:
    return is_office(user)


def can_issue(user: User) -> bool:
    return is_office(user)


def can_see_unit_supervision(user: User, unit: Unit) -> bool:
    """The 催办 and 督办单 of a unit: the office, the leader, the unit's own staff."""
    return is_office(user) or is_leader(user) or (is_unit_staff(user) and user.unit_id == unit.pk)


def can_see_order(user: User, order: SupervisionOrder) -> bool:
    return (
        is_office(user)
        or is_leader(user)
        or (is_unit_staff(user) and user.unit_id == order.unit_id)
    )


def can_answer(user: User, order: SupervisionOrder) -> bool:
    """The unit's staff answer an issued order, and again one sent back."""
    return (
        is_unit_staff(user)
        and user.unit_id == order.unit_id
        and order.state in (OrderState.ISSUED, OrderState.RETURNED)
    )


def can_review(user: User, order: SupervisionOrder) -> bool:
    """The office closes (办结) or sends back an answered order; it may also close an order
    still waiting for its answer (the matter settled otherwise)."""
    if not is_office(user):
        return False
    return order.state in (OrderState.ISSUED, OrderState.ANSWERED, OrderState.RETURNED)


def can_return(user: User, order: SupervisionOrder) -> bool:
    return is_office(user) and order.state == OrderState.ANSWERED


def allowed_actions(user: User, order: SupervisionOrder) -> set[str]:
    actions = set()
    if can_answer(user, order):
        actions.add("answer")
    if can_return(user, order):
        actions.add("return")
    if can_review(user, order):
        actions.add("close")
    return actions


def can_see_order_list(user: User) -> bool:
    """The office and the leader see every 督办单, a unit's staff their unit's."""
    return is_office(user) or is_leader(user) or is_unit_staff(user)
