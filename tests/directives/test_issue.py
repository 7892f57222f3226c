"""督办事项 registered (立项) and issued (交办): the units as given (a group among the co units
stands for its members), the number per year, the deadline in working days fixed at issuing
and kept as the original date, the units' staff told once."""

from datetime import date

import pytest
import time_machine

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.directives.services import directive_create, directive_issue
from tasks.models import DirectiveSource, DirectiveState
from tests.units.factories import make_user
from units.models import Role, Unit
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def register(people, **kwargs):
    args = {
        "title": "研究算力券兑付办法",
        "source": DirectiveSource.MEETING,
        "source_meeting": "领导小组第三次会议",
        "requirement": "一个月内拿出办法。",
        "lead_unit": unit("市科技局"),
        "co_units": [unit("各县（市）区政府")],
        "due_workdays": 5,
    }
    return directive_create(actor=people["office"], **{**args, **kwargs})


@time_machine.travel("2023-09-27 10:00 +0800", tick=False)
def test_issue_numbers_the_item_and_counts_working_days_over_the_holiday(people) -> None:
    directive = register(people)
    assert directive.state == DirectiveState.DRAFT
    roles = list(directive.units.values_list("unit__name", "role"))
    assert roles[0] == ("市科技局", "lead")
    assert len(roles) == 1 + unit("各县（市）区政府").members.count()
    issued = directive_issue(actor=people["office"], directive=directive)
    assert issued.number == "合智督〔2023〕1号"
    assert issued.state == DirectiveState.ISSUED
    # 09-28, then the holiday 09-29..10-06; 10-07 and 10-08 are 调休 working days; 10-09, 10-10.
    assert issued.due_date == issued.original_due_date == date(2023, 10, 10)
    assert issued.sign_due_date == date(2023, 9, 28)
    told = Notice.objects.filter(key=f"directive:{issued.pk}:issue")
    assert told.filter(recipient__username="kjj_reporter").exists()
    with pytest.raises(ApplicationError, match="已交办"):
        directive_issue(actor=people["office"], directive=issued)


@time_machine.travel("2023-03-01 10:00 +0800", tick=False)
def test_only_the_office_registers_and_bad_input_is_named(people) -> None:
    with pytest.raises(NotPermittedError):
        register(people | {"office": people["kjj_reporter"]})
    leaders_item = register(people | {"office": people["leader"]})
    with pytest.raises(NotPermittedError):
        directive_issue(actor=make_user("leader2", Role.LEADER, None), directive=leaders_item)
    assert directive_issue(actor=people["leader"], directive=leaders_item).seq == 1
    with pytest.raises(ApplicationError, match="二选一"):
        register(people, due_date=date(2099, 1, 1))
    with pytest.raises(ApplicationError, match="单位集合"):
        register(people, lead_unit=unit("各县（市）区政府"))
    with pytest.raises(ApplicationError, match="会议名称"):
        register(people, source_meeting="")
