"""The 督办单 as a document (kind ``supervision_order``): PDF and Word in the 公文 layout, with its
文号, the unit, the task, what is required, the deadline and the timeline. Reads tasks.supervision
(reports may read tasks; tasks imports nothing of reports: the order's page links here by URL)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks.supervision.models import SupervisionOrder, SupervisionStep
from tasks.supervision.permissions import can_see_order
from tasks.supervision.selectors import order_detail, order_steps
from units.models import User
from units.permissions import is_leader, is_office, is_unit_staff

from .layout import Letterhead, WordDocument, chinese_date, pdf_render
from .registry import CONTENT_TYPES, Builder, BuiltFile, Progress, param_id, register

KIND = "supervision_order"


def parse_params(raw: Mapping[str, str]) -> dict[str, Any]:
    value = str(raw.get("order", "")).strip()
    if not value.isascii() or not value.isdigit():
        raise ApplicationError("督办单编号无效。", {"fields": {"order": ["督办单编号无效。"]}})
    if not SupervisionOrder.objects.filter(pk=int(value)).exists():
        raise ApplicationError("没有这份督办单。", {"fields": {"order": ["没有这份督办单。"]}})
    return {"order": int(value)}


def may_read(user: User, params: dict[str, Any]) -> bool:
    """Whoever may see the order (the office, the leader, the unit's own staff)."""
    if is_office(user) or is_leader(user):
        return True
    if not is_unit_staff(user):
        return False
    order = SupervisionOrder.objects.filter(pk=param_id(params, "order")).first()
    return order is not None and can_see_order(user, order)


def describe(params: dict[str, Any]) -> str:
    order = (
        SupervisionOrder.objects.select_related("unit").filter(pk=param_id(params, "order")).first()
    )
    if order is None:
        return "督办单（已删除）"
    return f"{order.number}（{order.unit.name}）"


def letterhead(order: SupervisionOrder) -> Letterhead:
    unit = order.unit.full_name or order.unit.name
    return Letterhead(
        title="督办单",
        number=order.number,
        date=clock.local_date(order.issued_at),
        recipients=f"{unit}：",
        issuer=str(settings.DOCUMENT_ISSUER),
    )


def timeline(steps: list[SupervisionStep]) -> list[list[str]]:
    rows = []
    for step in steps:
        moment = clock.local_date(step.created_at)
        actor = step.actor.display_name if step.actor else "—"
        rows.append([chinese_date(moment), step.get_action_display(), actor, step.comment])
    return rows


def opening(order: SupervisionOrder) -> str:
    task = order.task
    return (
        f"根据《{task.plan.name}》任务分工，现就第 {task.code} 项任务（{task.content}）督办如下："
    )


def requirement(order: SupervisionOrder) -> str:
    return (
        f"请于{chinese_date(order.due_date)}前（{order.reply_workdays} 个工作日内）"
        f"通过督查平台反馈办理情况。"
    )


TIMELINE_HEADERS = ["时间", "办理环节", "经办人", "内容"]


def build(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    progress(10, "读取督办单")
    try:
        order = order_detail(param_id(params, "order"))
    except SupervisionOrder.DoesNotExist:
        raise ApplicationError("这份督办单已不存在。") from None
    steps = order_steps(order)
    head = letterhead(order)
    filename = f"{order.number}督办单（{order.unit.name}）.{fmt}"
    progress(40, "排版")
    if fmt == "pdf":
        context = {
            "order": order,
            "opening": opening(order),
            "requirement": requirement(order),
            "timeline": timeline(steps),
            "headers": TIMELINE_HEADERS,
        }
        content = pdf_render("documents/supervision_order.html", context, head)
    else:
        doc = WordDocument(head)
        doc.paragraph(opening(order))
        doc.heading("一、督办事项")
        doc.paragraph(order.facts)
        doc.heading("二、办理要求")
        doc.paragraph(requirement(order))
        if order.answer:
            doc.heading("三、办理反馈")
            doc.paragraph(order.answer)
        doc.signature()
        doc.heading("办理记录", level=2)
        doc.table(TIMELINE_HEADERS, timeline(steps), widths_cm=[3.9, 2.2, 2.8, 6.7])
        doc.paragraph(f"状态：{order.get_state_display()}", indent=False)
        content = doc.to_bytes()
    progress(90, "写入文件")
    return BuiltFile(filename=filename, content=content, content_type=CONTENT_TYPES[fmt])


register(
    Builder(
        kind=KIND,
        label="督办单",
        formats=("pdf", "docx"),
        parse_params=parse_params,
        may_request=may_read,
        may_read=may_read,
        build=build,
        describe=describe,
    )
)
