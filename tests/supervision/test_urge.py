"""催办: the office urges one, several or all units that have not submitted; each 催办 is on the
reports' timelines (state unchanged) and the unit's record, and notifies its staff once."""

import pytest
import time_machine
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.models import ReportState, ReportTransition, Urge
from tasks.reporting import services as rsvc
from tasks.reporting.views.common import returned_by
from tasks.supervision.services import urge_send
from tests.permission_matrix import client_as
from tests.plan.factories import assignment_of
from units.models import Unit
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db
FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


def draft(people, period, who="kjj_reporter", unit_name="市科技局", seq=1):
    return rsvc.report_start(
        actor=people[who], assignment=assignment_of(seq, unit_name), period=period, **FULL
    )


def test_urging_two_units_records_one_urge_each_and_notifies_their_staff_once(
    people, period
) -> None:
    report = draft(people, period)
    urges = urge_send(
        actor=people["office"],
        period=period,
        unit_ids=[unit("市科技局").pk, unit("市发改委").pk],
        message="请尽快报送。",
    )
    assert [u.unit.name for u in urges] == sorted(
        ["市科技局", "市发改委"], key=lambda n: unit(n).sort_order
    )
    kjj = next(u for u in urges if u.unit.name == "市科技局")
    assert kjj.assignments.count() > 0 and kjj.message == "请尽快报送。"
    # the draft's timeline has the 催办, its state unchanged
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    step = ReportTransition.objects.get(report=report, action="urge")
    assert (step.from_state, step.to_state, step.comment) == ("draft", "draft", "请尽快报送。")
    # notices: the reporters and approvers of each unit, exactly once per 催办
    for urge in urges:
        got = set(
            Notice.objects.filter(rule="urge", key=f"urge:{urge.pk}").values_list(
                "recipient__username", flat=True
            )
        )
        expected = {
            "市科技局": {"kjj_reporter", "kjj_approver"},
            "市发改委": {"fgw_reporter", "fgw_approver"},
        }[urge.unit.name]
        assert got == expected
    assert not Notice.objects.filter(recipient=people["office"]).exists()


def test_an_urged_returned_report_keeps_its_return_as_the_reason(people, period) -> None:
    report = draft(people, period, who="sfj_reporter", unit_name="市司法局", seq=6)
    rsvc.report_submit(actor=people["sfj_reporter"], report=report)
    rsvc.report_return(actor=people["office"], report=report, comment="请补充数据。")
    urge_send(actor=people["office"], period=period, unit_ids=[unit("市司法局").pk], message="催")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    reason = returned_by(report)
    assert reason is not None and reason.comment == "请补充数据。"


def test_only_the_office_urges(people, period) -> None:
    for who in ("kjj_reporter", "kjj_approver", "leader"):
        with pytest.raises(NotPermittedError):
            urge_send(actor=people[who], period=period, unit_ids=[unit("市科技局").pk], message="x")
    assert urge_send(
        actor=people["admin"], period=period, unit_ids=[unit("市科技局").pk], message="x"
    )


@pytest.mark.parametrize(
    ("ids", "message", "error"),
    [
        (["市科技局"], "  ", "请填写催办内容。"),
        ([], "请报送", "请选择要催办的单位。"),
        (["市科技局"], "长" * 1001, "催办内容不能超过 1000 个字"),
    ],
)
def test_bad_input_is_refused_in_chinese(people, period, ids, message, error) -> None:
    with pytest.raises(ApplicationError, match=error):
        urge_send(
            actor=people["office"],
            period=period,
            unit_ids=[unit(n).pk for n in ids],
            message=message,
        )
    assert not Urge.objects.exists()


def test_a_unit_that_submitted_everything_is_not_urged(people, period) -> None:
    with pytest.raises(ApplicationError, match="已全部提交"):
        urge_send(actor=people["office"], period=period, unit_ids=[999_999], message="催")


@time_machine.travel("2021-10-20 10:00 +0800", tick=False)  # 2021Q3 due 2021-10-13
def test_period_page_lists_late_units_with_contacts_and_sends_to_all(people, period) -> None:
    from units.contacts.models import Contact

    Contact.objects.create(unit=unit("市科技局"), name="王联络", mobile="13912345678")
    office = client_as(people["office"], page=True)
    page = office.get(reverse("reporting:period-detail", args=[period.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "未报送单位及联络员" in html and "王联络" in html and "13912345678" in html
    assert "催办全部" in html
    n_late = html.count('name="all_units"')
    response = office.post(
        reverse("supervision:urge", args=[period.code]),
        {
            "all": "1",
            "all_units": [unit("市科技局").pk, unit("市发改委").pk],
            "units": [],
            "message": "请报送",
        },
    )
    assert response.status_code == 302 and n_late > 2
    assert Urge.objects.count() == 2
    # the page says so next to the unit, and the unit's page lists the 催办
    page = office.get(reverse("reporting:period-detail", args=[period.code]))
    assert "本期已催办 1 次" in page.content.decode()
    unit_page = client_as(people["kjj_reporter"], page=True).get(
        reverse("units:unit-detail", args=[unit("市科技局").pk])
    )
    assert "收到的催办" in unit_page.content.decode() and "请报送" in unit_page.content.decode()


def test_the_review_queue_lists_the_late_units_and_urges_from_there(people, period) -> None:
    office = client_as(people["office"], page=True)
    html = office.get(reverse("reporting:review")).content.decode()
    assert "未报送单位及联络员" in html and "催办所选单位" in html
    assert f'action="{reverse("supervision:urge", args=[period.code])}"' in html
    response = office.post(
        reverse("supervision:urge", args=[period.code]),
        {"all": "0", "units": [unit("市科技局").pk], "message": "请尽快报送", "next": "/review/"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/review/")
    assert list(Urge.objects.values_list("unit__name", flat=True)) == ["市科技局"]
    html = office.get(reverse("reporting:review")).content.decode()
    assert "本期已催办 1 次" in html


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 302),
        ("kjj_reporter", 403),
        ("kjj_approver", 403),
        ("leader", 403),
        ("office", 302),
        ("admin", 302),
    ],
)
def test_permissions_of_the_urge_page(people, period, who, status) -> None:
    client = client_as(people[who] if who else None, page=True)
    response = client.post(
        reverse("supervision:urge", args=[period.code]),
        {"units": [unit("市科技局").pk], "message": "请报送"},
    )
    assert response.status_code == status
    assert Urge.objects.count() == (1 if who in ("office", "admin") else 0)


def test_leader_sees_contacts_but_no_urge_form(people, period) -> None:
    page = client_as(people["leader"], page=True).get(
        reverse("reporting:period-detail", args=[period.code])
    )
    html = page.content.decode()
    assert "未报送单位及联络员" in html and "催办所选单位" not in html
