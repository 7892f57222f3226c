"""What every page's layout needs to know: the user's roles, asked of units.permissions, and the
demo date the application runs on (the banner), asked of hefei_ai_zone.clock."""

from datetime import date
from functools import cached_property

from django.http import HttpRequest

from hefei_ai_zone import clock
from tasks.directives.selectors import to_act_count
from tasks.instructions.selectors import new_count as instruction_new_count
from tasks.reporting.worklists import WorkCounts, to_fill_count
from tasks.supervision.selectors import orders_to_answer_count
from units.models import User
from units.permissions import is_auditor, is_leader, is_office, is_unit_staff


def roles(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "is_unit_staff": is_unit_staff(user),
        "is_office": is_office(user),
        "is_leader": is_leader(user),
        "is_auditor": is_auditor(user),
    }


def demo_date(request: HttpRequest) -> dict[str, date | None]:
    """The demo date while one is set (base.html shows 演示数据 · 按 … 计算), else None."""
    return {"demo_date": clock.demo_date()}


class MenuCounts(WorkCounts):
    """The navbar's counts, each one query made only when the page shows it: 待我审核 and 审核
    (WorkCounts), a reporter's duties to fill in, a unit's 督办单 to answer, the office's new
    领导批示."""

    @cached_property
    def to_fill(self) -> int:
        return to_fill_count(self.user)

    @cached_property
    def orders(self) -> int:
        return orders_to_answer_count(self.user)

    @cached_property
    def instructions(self) -> int:
        """The office's 领导批示 not yet handled."""
        return instruction_new_count(self.user)

    @cached_property
    def directives(self) -> int:
        """督办事项 waiting for the user (tasks.directives.selectors.to_act_count)."""
        return to_act_count(self.user)

    @cached_property
    def total(self) -> int:
        """What the collapsed menu's button counts (phones)."""
        if is_office(self.user):
            return self.review + self.instructions + self.directives
        # each 0, unasked, for other roles
        return self.approvals + self.to_fill + self.orders + self.directives


def work_counts(request: HttpRequest) -> dict[str, object]:
    """What waits for the user, for the navigation bar: 待我审核 (a unit's approver), 审核 (the
    office), 待填报 (a unit's reporter), 督办单 to answer (a unit's staff). One query each, made
    only when the page shows it."""
    user = request.user
    return {"work_counts": MenuCounts(user) if isinstance(user, User) else None}
