"""督办单: numbered per year (sequential, unique under concurrent issues), a reply deadline in
working days, answered by the unit, closed or sent back by the office, a notice on each step
exactly once, and the pages as each reader may see them."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.models import OrderState, SupervisionOrder, Task
from tasks.supervision.services import order_answer, order_close, order_issue, order_return
from tests.permission_matrix import client_as
from tests.units.factories import make_user
from units.models import Role, Unit
from units.notifications.models import Notice

pytestmark = pytest.mark.django_db


def task(seq: int = 1) -> Task:
    return Task.objects.get(plan__is_current=True, seq=seq)


def kjj() -> Unit:
    return Unit.objects.get(name="市科技局")


def issue(people, **kwargs) -> SupervisionOrder:
    args = {"task": task(), "unit": kjj(), "facts": "连续两个季度未报送进展。", "reply_workdays": 5}
    return order_issue(actor=people["office"], **{**args, **kwargs})


@time_machine.travel("2023-03-01 10:00 +0800", tick=False)
def test_numbers_are_sequential_per_year(people) -> None:
    orders = [issue(people) for _ in range(3)]
    assert [o.number for o in orders] == ["督办〔2023〕1号", "督办〔2023〕2号", "督办〔2023〕3号"]
    with time_machine.travel("2024-01-03 10:00 +0800", tick=False):
        assert issue(people).number == "督办〔2024〕1号"


@time_machine.travel("2023-09-27 10:00 +0800", tick=False)
def test_the_reply_deadline_counts_working_days_across_the_national_day_holiday(people) -> None:
    """From Wednesday 2023-09-27: 09-28, then 中秋节/国庆节 09-29..10-06, the 调休 weekend
    10-07 and 10-08 are working days, then 10-09, 10-10."""
    order = issue(people, reply_workdays=5)
    assert order.due_date == date(2023, 10, 10)
    assert issue(people, reply_workdays=1).due_date == date(2023, 9, 28)


def test_the_whole_loop_issue_answer_return_answer_close_with_notices_once(people) -> None:
    order = issue(people)
    assert order.state == OrderState.ISSUED

    def told(key: str) -> set[str]:
        return set(Notice.objects.filter(key=key).values_list("recipient__username", flat=True))

    assert told(f"supervision:{order.pk}:issue") == {"kjj_reporter", "kjj_approver"}
    order_answer(actor=people["kjj_reporter"], order=order, answer="已督促，下周报送。")
    order.refresh_from_db()
    assert order.state == OrderState.ANSWERED and order.answer == "已督促，下周报送。"
    assert told(f"supervision:{order.pk}:answer:1") == {"office"}
    order_return(actor=people["office"], order=order, comment="请写明整改措施。")
    assert told(f"supervision:{order.pk}:return:1") == {"kjj_reporter", "kjj_approver"}
    order_answer(
        actor=people["kjj_approver"],
        order=order,
        answer="整改措施：……",
        upload=SimpleUploadedFile("说明.pdf", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n"),
    )
    assert told(f"supervision:{order.pk}:answer:2") == {"office"}
    order_close(actor=people["office"], order=order)
    order.refresh_from_db()
    assert order.state == OrderState.CLOSED and order.closed_at and order.file_name == "说明.pdf"
    assert list(order.steps.values_list("action", flat=True)) == [
        "issue",
        "answer",
        "return",
        "answer",
        "close",
    ]
    assert told(f"supervision:{order.pk}:close") == {"kjj_reporter", "kjj_approver"}
    assert Notice.objects.filter(rule="supervision").count() == 2 + 1 + 2 + 1 + 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"facts": "   "}, "请填写督办事项。"),
        ({"reply_workdays": 0}, "反馈时限应为 1 到 60 个工作日。"),
        ({"reply_workdays": 61}, "反馈时限应为 1 到 60 个工作日。"),
        ({"unit_name": "市统计局"}, "市统计局不是任务 .* 的责任单位。"),
        ({"unit_name": "各县（市）区政府"}, "不能发给单位集合"),
    ],
)
def test_bad_input_is_refused_in_chinese(people, kwargs, message) -> None:
    if "unit_name" in kwargs:
        kwargs = {"unit": Unit.objects.get(name=kwargs.pop("unit_name"))}
    with pytest.raises(ApplicationError, match=message):
        issue(people, **kwargs)
    assert not SupervisionOrder.objects.exists()


def test_who_may_do_what(people) -> None:
    order = issue(people)
    for who in ("kjj_reporter", "kjj_approver", "leader", "fgw_reporter"):
        with pytest.raises(NotPermittedError):
            issue(people | {"office": people[who]})
    for who in ("fgw_reporter", "office", "leader"):
        with pytest.raises(ApplicationError):
            order_answer(actor=people[who], order=order, answer="x")
    with pytest.raises(ApplicationError, match="只有已反馈的可以退回"):
        order_return(actor=people["office"], order=order, comment="x")
    order_answer(actor=people["kjj_reporter"], order=order, answer="x")
    with pytest.raises(ApplicationError, match="现在不能反馈"):
        order_answer(actor=people["kjj_reporter"], order=order, answer="again")
    for who in ("kjj_reporter", "kjj_approver", "leader"):
        with pytest.raises(NotPermittedError):
            order_return(actor=people[who], order=order, comment="x")
        with pytest.raises(NotPermittedError):
            order_close(actor=people[who], order=order)
    with pytest.raises(ApplicationError, match="退回时请写明理由"):
        order_return(actor=people["office"], order=order, comment=" ")
    order_close(actor=people["admin"], order=order)
    with pytest.raises(ApplicationError, match="已办结"):
        order_close(actor=people["office"], order=order)


USERS = ("anon", "other_reporter", "kjj_reporter", "kjj_approver", "office", "leader", "admin")


@pytest.mark.parametrize(
    ("page", "codes"),
    [
        ("list", (302, 200, 200, 200, 200, 200, 200)),
        ("new", (302, 403, 403, 403, 200, 403, 200)),
        ("detail", (302, 403, 200, 200, 200, 200, 200)),
        ("print", (302, 403, 200, 200, 200, 200, 200)),
        ("answer", (302, 403, 302, 302, 403, 403, 403)),
        ("return", (302, 403, 403, 403, 400, 403, 400)),  # not answered yet: refused, in Chinese
        ("close", (302, 403, 403, 403, 302, 403, 302)),
    ],
)
def test_permission_matrix_of_the_pages(people, page, codes) -> None:
    order = issue(people)
    urls = {
        "list": reverse("supervision:order-list"),
        "new": reverse("supervision:order-new"),
        "detail": reverse("supervision:order-detail", args=[order.pk]),
        "print": reverse("supervision:order-print", args=[order.pk]),
    }
    for who, code in zip(USERS, codes, strict=True):
        client = client_as(None if who == "anon" else people[who], page=True)
        if page in urls:
            response = client.get(urls[page])
        else:
            url = reverse("supervision:order-action", args=[order.pk, page])
            response = client.post(url, {"answer": "已整改。", "comment": ""})
            SupervisionOrder.objects.filter(pk=order.pk).update(state=OrderState.ISSUED)
        assert response.status_code == code, (who, page)


def test_lists_show_open_orders_by_deadline_for_office_and_own_unit_only(people) -> None:
    later = issue(people, reply_workdays=10)
    sooner = issue(people, reply_workdays=2)
    other = issue(people, unit=Unit.objects.get(name="市发改委"))
    order_answer(actor=people["kjj_reporter"], order=later, answer="x")
    order_close(actor=people["office"], order=later)
    office = client_as(people["office"], page=True).get(reverse("supervision:order-list"))
    html = office.content.decode()
    assert sooner.number in html and other.number in html and later.number not in html
    assert html.index(sooner.number) < html.index(other.number)
    all_orders = client_as(people["office"], page=True).get(
        reverse("supervision:order-list") + "?all=1"
    )
    assert later.number in all_orders.content.decode()
    unit = client_as(people["kjj_reporter"], page=True).get(reverse("supervision:order-list"))
    assert sooner.number in unit.content.decode() and other.number not in unit.content.decode()


def test_office_issues_from_the_page_and_the_print_page_reads_like_a_document(people) -> None:
    office = client_as(people["office"], page=True)
    bad = office.post(
        reverse("supervision:order-new"),
        {"task": task().pk, "unit": kjj().pk, "facts": "", "reply_workdays": "x"},
    )
    assert bad.status_code == 400
    assert "请填写督办事项。" in bad.content.decode()
    assert "反馈时限应为整数个工作日。" in bad.content.decode()
    response = office.post(
        reverse("supervision:order-new"),
        {"task": task().pk, "unit": kjj().pk, "facts": "请说明滞后原因。", "reply_workdays": 5},
    )
    order = SupervisionOrder.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/supervision/{order.pk}/"
    )
    html = office.get(reverse("supervision:order-print", args=[order.pk])).content.decode()
    assert "领导小组办公室" in html and order.number in html and "督　办　单" in html
    assert "请说明滞后原因。" in html and order.unit.full_name in html


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_issues_get_two_numbers(committed_data) -> None:
    office = make_user("t_office", Role.OFFICE, "市科技局")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            order_issue(actor=office, task=task(), unit=kjj(), facts="x", reply_workdays=3)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(SupervisionOrder.objects.values_list("seq", flat=True)) == [1, 2]


def test_an_answer_file_over_the_limit_is_a_413_with_its_message_not_a_500(
    people, settings, tmp_path
) -> None:
    """Refused from the Content-Length header, before the body is read; nothing answered."""
    settings.MEDIA_ROOT = tmp_path
    settings.EVIDENCE_MAX_BYTES = 1024
    order = issue(people)
    client = client_as(people["kjj_reporter"], page=True)
    big = SimpleUploadedFile("大文件.pdf", b"%PDF-1.4\n" + b"0" * 2_000_000)
    response = client.post(
        reverse("supervision:order-action", args=[order.pk, "answer"]),
        {"answer": "见附件。", "file": big},
    )
    assert response.status_code == 413
    assert "本次提交没有被读取" in response.content.decode()
    order.refresh_from_db()
    assert order.state == OrderState.ISSUED and not order.answer
