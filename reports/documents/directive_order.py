"""The 交办单 of a 督办事项 as a document (kind ``directive_order``): PDF and Word in the 公文
layout, with its number 合智督〔year〕N号, the source, the requirement, the lead and co units,
the deadlines, the feedback rhythm and how to sign for it (签收). Reads tasks.directives (reports
may read tasks; tasks imports nothing of reports: the item's page links here by URL)."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from tasks.directives.models import Directive, DirectiveSource, DirectiveStep
from tasks.directives.permissions import can_see
from units.models import User

from .layout import Letterhead, WordDocument, chinese_date, pdf_render
from .registry import CONTENT_TYPES, Builder, BuiltFile, Progress, param_id, register

KIND = "directive_order"


def parse_params(raw: Mapping[str, str]) -> dict[str, Any]:
    value = str(raw.get("directive", "")).strip()
    message = "督办事项编号无效。"
    if not value.isascii() or not value.isdigit():
        raise ApplicationError(message, {"fields": {"directive": [message]}})
    directive = Directive.objects.filter(pk=int(value)).first()
    if directive is None:
        raise ApplicationError(
            "没有这个督办事项。", {"fields": {"directive": ["没有这个督办事项。"]}}
        )
    if directive.seq is None:
        message = "督办事项交办后才有交办单。"
        raise ApplicationError(message, {"fields": {"directive": [message]}})
    return {"directive": int(value)}


def may_read(user: User, params: dict[str, Any]) -> bool:
    """Whoever may see the item (the office, the leaders, its units' staff)."""
    directive = Directive.objects.filter(pk=param_id(params, "directive")).first()
    return directive is not None and can_see(user, directive)


def describe(params: dict[str, Any]) -> str:
    directive = Directive.objects.filter(pk=param_id(params, "directive")).first()
    if directive is None:
        return "交办单（督办事项已删除）"
    return f"{directive.number} 交办单（{directive.title[:30]}）"


def load(pk: int) -> tuple[Directive, list, list[DirectiveStep]]:
    directive = Directive.objects.select_related("task", "issued_by").filter(pk=pk).first()
    if directive is None or directive.seq is None:
        raise ApplicationError("这个督办事项已不存在或尚未交办。")
    units = list(directive.units.select_related("unit").order_by("order", "pk"))
    steps = list(directive.steps.select_related("actor", "unit").order_by("created_at", "pk"))
    return directive, units, steps


def unit_name(row: Any) -> str:
    return row.unit.full_name or row.unit.name


def letterhead(directive: Directive, units: list) -> Letterhead:
    names = "、".join(unit_name(u) for u in units)
    issued = clock.local_date(directive.issued_at) if directive.issued_at else None
    return Letterhead(
        title="督办事项交办单",
        number=directive.number,
        date=issued,
        recipients=f"{names}：",
        issuer=str(settings.DOCUMENT_ISSUER),
    )


def source_line(d: Directive) -> str:
    """Where the item comes from, in a sentence."""
    when = f"{chinese_date(d.source_date)}" if d.source_date else ""
    if d.source == DirectiveSource.INSTRUCTION:
        on = f"在{d.source_document}上" if d.source_document else ""
        return f"{d.source_leader}同志{when}{on}作出批示。"
    if d.source == DirectiveSource.MEETING:
        return f"{when}{d.source_meeting}议定。"
    number = f"（{d.source_doc_number}）" if d.source_doc_number else ""
    return f"{d.source_authority}{when}交办{number}。"


def sections(d: Directive, units: list) -> list[tuple[str, list[str]]]:
    """The body: (heading, paragraphs), the same for PDF and Word."""
    lead = [unit_name(u) for u in units if u.role == "lead"]
    co = [unit_name(u) for u in units if u.role != "lead"]
    source = [f"事项：{d.title}。", f"来源：{d.get_source_display()}。{source_line(d)}"]
    source += [line for line in d.source_text.splitlines() if line.strip()]
    if d.task:
        source.append(f"所属任务：第 {d.task.code} 项（{d.task.content}）。")
    due = f"办结时限：{chinese_date(d.due_date)}前" if d.due_date else "办结时限：—"
    if d.due_workdays:
        due += f"（{d.due_workdays} 个工作日）"
    if d.extended and d.original_due_date:
        due += f"，原定{chinese_date(d.original_due_date)}，经批准延期"
    deadlines = [
        due + "。",
        f"反馈要求：{d.get_rhythm_display()}，由牵头单位汇总配合单位意见后反馈。",
    ]
    if d.next_feedback_date:
        deadlines.append(f"下次反馈日期：{chinese_date(d.next_feedback_date)}。")
    sign = (
        f"请各承办单位于{chinese_date(d.sign_due_date)}前（{d.sign_workdays} 个工作日内）"
        if d.sign_due_date
        else f"请各承办单位于交办后 {d.sign_workdays} 个工作日内"
    )
    sign += "登录督查平台，在本事项页面点击“签收”；逾期未签收的，平台将提醒并报办公室。"
    return [
        ("一、督办事项", source),
        ("二、办理要求", [line for line in d.requirement.splitlines() if line.strip()]),
        (
            "三、承办单位",
            [f"牵头单位：{'、'.join(lead)}。", f"配合单位：{'、'.join(co) if co else '无'}。"],
        ),
        ("四、办理时限", deadlines),
        (
            "五、签收与反馈",
            [
                sign,
                "牵头单位按反馈要求报送办理情况，办结后提交办结报告及佐证材料申请办结；"
                "确需延期的，应在办结时限前提出延期申请并说明理由。",
            ],
        ),
    ]


TIMELINE_HEADERS = ["时间", "办理环节", "经办人", "意见"]


def timeline(steps: list[DirectiveStep]) -> list[list[str]]:
    rows = []
    for step in steps:
        actor = step.actor.display_name if step.actor else "—"
        if step.unit:
            actor = f"{actor}（{step.unit.name}）"
        moment = chinese_date(clock.local_date(step.created_at))
        rows.append([moment, step.get_action_display(), actor, step.comment])
    return rows


def build(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    progress(10, "读取督办事项")
    directive, units, steps = load(param_id(params, "directive"))
    head = letterhead(directive, units)
    body = sections(directive, units)
    rows = timeline(steps)
    filename = f"{directive.number}交办单.{fmt}"
    progress(40, "排版")
    if fmt == "pdf":
        context = {"d": directive, "sections": body, "timeline": rows, "headers": TIMELINE_HEADERS}
        content = pdf_render("documents/directive_order.html", context, head)
    else:
        doc = WordDocument(head)
        for heading, paragraphs in body:
            doc.heading(heading)
            for text in paragraphs:
                doc.paragraph(text)
        doc.signature()
        doc.heading("办理记录", level=2)
        doc.table(TIMELINE_HEADERS, rows, widths_cm=[3.9, 2.4, 3.4, 5.9])
        doc.paragraph(f"状态：{directive.get_state_display()}", indent=False)
        content = doc.to_bytes()
    progress(90, "写入文件")
    return BuiltFile(filename=filename, content=content, content_type=CONTENT_TYPES[fmt])


register(
    Builder(
        kind=KIND,
        label="督办事项交办单",
        formats=("pdf", "docx"),
        parse_params=parse_params,
        may_request=may_read,
        may_read=may_read,
        build=build,
        describe=describe,
    )
)
