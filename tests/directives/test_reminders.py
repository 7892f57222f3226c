"""The daily sweep's 督办事项 reminders: not signed (the unit, then the office), the feedback
date of the rhythm (the day before, and missed), the deadline near and passed; nothing on rest
days, caught up after, each notice once."""

from datetime import date

import pytest
import time_machine

from tasks.directives.services import (
    directive_issue,
    directive_sign,
    extension_apply,
    extension_review,
)
from tasks.reminders.services import reminders_sweep
from units.notifications.models import Notice

from .conftest import register

pytestmark = pytest.mark.django_db

RULE = "directive-remind"


def keys(user) -> set[str]:
    return {
        k.split(":", 2)[2]
        for k in Notice.objects.filter(rule=RULE, recipient=user).values_list("key", flat=True)
    }


def sweep(day: str) -> int:
    with time_machine.travel(f"{day} 08:00 +0800", tick=False):
        return reminders_sweep(as_of=date.fromisoformat(day)).notices


def test_not_signed_the_unit_then_the_office_and_caught_up_after_the_holiday(people) -> None:
    with time_machine.travel("2023-09-27 10:00 +0800", tick=False):
        directive = directive_issue(
            actor=people["office"], directive=register(people, due_workdays=5)
        )
    assert directive.sign_due_date == date(2023, 9, 28)
    assert sweep("2023-09-28") == 0  # the sign-in day itself: nothing yet
    assert sweep("2023-09-30") == 0  # the National Day holiday: nothing sent
    sweep("2023-10-07")  # the first working day after (调休): the units, caught up
    lead_id = directive.units.get(role="lead").unit_id
    assert keys(people["kjj_reporter"]) == {f"sign:{lead_id}", "due-soon:20231010"}
    assert "sign-office" not in keys(people["office"])
    assert directive.units.filter(sign_reminded_at__isnull=False).count() == 2
    sweep("2023-10-08")
    assert keys(people["office"]) == {"sign-office"}
    assert sweep("2023-10-08") == 0  # once
    sweep("2023-10-11")  # the deadline 10-10 passed
    assert "overdue:20231010" in keys(people["office"])
    assert "overdue:20231010" in keys(people["fgw_reporter"])


def test_feedback_the_day_before_and_missed_and_the_extension_counts_again(people) -> None:
    with time_machine.travel("2023-09-25 10:00 +0800", tick=False):
        directive = directive_issue(
            actor=people["office"], directive=register(people, rhythm="weekly", due_workdays=5)
        )
        directive = directive_sign(actor=people["kjj_reporter"], directive=directive)
        directive = directive_sign(actor=people["fgw_reporter"], directive=directive)
    assert directive.next_feedback_date == date(2023, 10, 7)
    assert directive.due_date == date(2023, 10, 8)
    sweep("2023-09-28")  # the working day before 10-07 (the holiday between)
    # and the deadline 10-08 is 3 working days away (09-28, 10-07, 10-08): every unit told
    assert keys(people["kjj_reporter"]) == {"feedback-soon:20231007", "due-soon:20231008"}
    assert keys(people["fgw_reporter"]) == {"due-soon:20231008"}  # the feedback: the lead's
    assert sweep("2023-10-07") == 0  # the feedback date itself: told the day before already
    with time_machine.travel("2023-10-07 10:00 +0800", tick=False):
        ext = extension_apply(
            actor=people["kjj_reporter"],
            directive=directive,
            to_date=date(2023, 11, 30),
            reason="忙",
        )
        extension_review(actor=people["office"], extension=ext, approve=True)
    sweep("2023-10-09")
    assert "feedback-missed:20231007" in keys(people["kjj_reporter"])
    assert not any(k.startswith("overdue") for k in keys(people["kjj_reporter"]))
    assert sweep("2023-10-09") == 0
