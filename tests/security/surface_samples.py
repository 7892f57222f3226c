"""Objects for the URL matrix: one of each kind the pages and endpoints take an id of, belonging
to 市科技局 (the demo reporter's and approver's unit), made by the services on the demo data."""

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from demos.models import DemoProject
from reports.bulletins.services import bulletin_draft
from reports.documents.services import build_request
from tasks.directives.services import directive_create, directive_issue, directive_sign
from tasks.directives.services import feedback_submit as directive_feedback
from tasks.feeds.services import feed_create
from tasks.instructions.services import instruction_write
from tasks.models import (
    AchievementEntry,
    Assignment,
    Indicator,
    Milestone,
    ProgressReport,
    ReportingPeriod,
    Section,
)
from tasks.reporting import services as reporting
from tasks.supervision.services import order_issue
from units.contacts.services import contact_create
from units.models import Unit, User
from units.notifications.models import Delivery
from units.notifications.services import notify

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ACCOUNTS = {
    "reporter": "kjj_reporter",
    "approver": "kjj_approver",
    "office": "office",
    "leader": "leader",
    "admin": "admin",
    "auditor": "auditor",
}


def samples_make() -> dict[str, Any]:
    """Names for the ``{placeholders}`` of url_matrix.SAMPLES."""
    users = {role: User.objects.get(username=name) for role, name in ACCOUNTS.items()}
    office, reporter = users["office"], users["reporter"]
    kjj = Unit.objects.get(name="市科技局")
    open_period = ReportingPeriod.objects.get(state="open")
    closed = ReportingPeriod.objects.filter(state="closed").order_by("-start_date").first()
    assert closed is not None
    assignment = (
        Assignment.objects.filter(unit=kjj, task__isnull=False)
        .select_related("task")
        .order_by("pk")
        .first()
    )
    assert assignment is not None and assignment.task is not None
    report = ProgressReport.objects.get(period=open_period, assignment=assignment)
    evidence = reporting.evidence_add(
        actor=reporter, report=report, upload=SimpleUploadedFile("纪要.pdf", PDF)
    )
    order = order_issue(
        actor=office, task=assignment.task, unit=kjj, facts="请说明进度。", reply_workdays=3
    )
    (notice,) = notify(
        rule="surface",
        key="surface-1",
        recipients=[reporter],
        title="测试通知",
        channels=("email",),
    )
    delivery = Delivery.objects.filter(notice__recipient=reporter).first()
    _, feed_token = feed_create(user=reporter)
    bulletin = bulletin_draft(actor=office, period=closed)
    build = build_request(user=office, kind="bulletin", params={"period": closed.code}, fmt="pdf")
    milestone = Milestone.objects.filter(assignment__unit=kjj).order_by("pk").first()
    entry = AchievementEntry.objects.filter(unit=kjj).order_by("pk").first()
    contact = contact_create(actor=office, unit=kjj, name="张三", mobile="13800000000")
    instruction = instruction_write(
        actor=users["leader"], task=assignment.task, text="请加快进度。"
    )
    directive = directive_issue(
        actor=office,
        directive=directive_create(
            actor=office,
            title="研究算力券兑付办法",
            source="meeting",
            source_meeting="领导小组第三次会议",
            requirement="拿出办法。",
            lead_unit=kjj,
            due_workdays=10,
        ),
    )
    signed, draft = directive_samples(office, reporter, kjj)
    return {
        "users": users,
        # what a refused POST must leave as it was (with the row counts of every table)
        "objects": [
            o
            for o in (report, evidence, order, notice, delivery, bulletin, build, milestone)
            if o is not None
        ]
        + [entry, open_period, closed, contact, instruction, directive, signed, draft],
        "task": assignment.task_id,
        "unit": kjj.pk,
        "contact": contact.pk,
        "instruction": instruction.pk,
        "directive": directive.pk,
        "demo": DemoProject.objects.order_by("pk").values_list("pk", flat=True).first(),
        "bulletin": bulletin.period.code,
        "published": bulletin.period.code,
        "entry": entry.pk if entry else 0,
        "assignment": assignment.pk,
        "milestone": milestone.pk if milestone else 0,
        "order": order.pk,
        "notice": notice.pk,
        "delivery": delivery.pk if delivery else 0,
        "feed": feed_token,
        "build": build.pk,
        "report": report.pk,
        "evidence": evidence.pk,
        "period": open_period.code,
        "closed_period": closed.code,
        "period_id": open_period.pk,
        "closed_period_id": closed.pk,
        "section": Section.objects.order_by("pk").values_list("pk", flat=True).first(),
        "indicator": Indicator.objects.order_by("pk").values_list("pk", flat=True).first(),
        "directive_signed": signed.pk,
        "directive_draft": draft.pk,
        "directive_file": signed.attachments.get().pk,
    }


def directive_samples(office: User, reporter: User, kjj: Unit) -> tuple[Any, Any]:
    """For the pages: a 督办事项 of 市科技局 as lead (市发改委 co), issued, signed by 市科技局
    with a feedback and its file; and a draft not issued yet."""
    args: dict[str, Any] = {
        "title": "研究算力券兑付办法",
        "source": "meeting",
        "source_meeting": "领导小组第三次会议",
        "requirement": "一个月内拿出办法。",
        "lead_unit": kjj,
        "co_units": [Unit.objects.get(name="市发改委")],
        "due_workdays": 10,
    }
    directive = directive_issue(actor=office, directive=directive_create(actor=office, **args))
    directive = directive_sign(actor=reporter, directive=directive)
    directive_feedback(
        actor=reporter,
        directive=directive,
        content="已完成调研。",
        status="on_track",
        files=[SimpleUploadedFile("调研纪要.pdf", PDF)],
    )
    directive.refresh_from_db()
    draft = directive_create(actor=office, **{**args, "title": "尚未交办的事项"})
    return directive, draft
