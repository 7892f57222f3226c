"""The 催办 (3 working days overdue) reaches the unit's 联络员 by email: they have no account, so
each gets one mail, hung on a notice of the unit's, and a second sweep sends nothing."""

from datetime import date

import pytest

from tasks.reminders.services import reminders_sweep
from units.contacts.models import Contact
from units.models import Unit
from units.notifications.models import Delivery

pytestmark = pytest.mark.django_db


def test_the_escalation_emails_the_units_contacts_once(people, period) -> None:
    kjj = Unit.objects.get(name="市科技局")
    sfj = Unit.objects.get(name="市司法局")  # no approver: the mail hangs on the office's notice
    Contact.objects.create(unit=kjj, name="张三", mobile="13800000001", email="zs@hefei.gov.cn")
    Contact.objects.create(unit=kjj, name="李四", mobile="13800000002")  # no email: no mail
    Contact.objects.create(unit=sfj, name="王五", mobile="13800000003", email="ww@hefei.gov.cn")

    reminders_sweep(as_of=date(2021, 10, 14))  # overdue, not yet escalated: no mail to them
    assert not Delivery.objects.filter(target__endswith="@hefei.gov.cn").exists()

    reminders_sweep(as_of=date(2021, 10, 18))  # 3 working days overdue
    mails = Delivery.objects.filter(target__endswith="@hefei.gov.cn").select_related(
        "notice__recipient"
    )
    got = {(d.target, d.notice.rule, d.notice.recipient.username) for d in mails}
    assert ("zs@hefei.gov.cn", "escalation", "kjj_approver") in got
    assert ("ww@hefei.gov.cn", "escalation", "office") in got
    assert len(got) == 2
    assert all("催办" in d.notice.title for d in mails)

    reminders_sweep(as_of=date(2021, 10, 18))
    assert Delivery.objects.filter(target__endswith="@hefei.gov.cn").count() == 2
