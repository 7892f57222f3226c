"""Demo 督办事项 of `seed_demo`: eight items of the plan's last year, as of the demo day, in every
state of the lifecycle, with the timeline the services would have written (立项, 交办, 签收,
反馈 and its review, 延期, 申请办结, 退回重办, 办结, 销号).

The items are invented for the demo (the leaders, meetings and 文号 are placeholders, never real
documents). Rows are written directly, like the rest of the demo data, and dated before the demo
day; the deadlines count working days (tasks.workdays), so they fall as the services would set
them. Nothing is written if the plan's year already has items.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

from tasks.directives.models import (
    Directive,
    DirectiveAction,
    DirectiveExtension,
    DirectiveFeedback,
    DirectiveNumber,
    DirectiveSource,
    DirectiveState,
    DirectiveStep,
    DirectiveUnit,
    ExtensionState,
    FeedbackKind,
    FeedbackRhythm,
    FeedbackState,
)
from tasks.plan.models import Plan, Task
from tasks.reporting.models import ProgressStatus
from tasks.workdays.selectors import add_workdays
from units.models import Unit, User


@dataclass
class _Spec:
    title: str
    source: str
    requirement: str
    lead: str
    co: list[str]
    issued: date | None  # None: a draft (立项)
    workdays: int
    state: str
    particulars: dict[str, Any] = field(default_factory=dict)
    task_seq: int | None = None
    rhythm: str = FeedbackRhythm.ONCE
    signed: bool = True
    # (day, status, state, review comment) of the lead's feedback
    feedback: list[tuple[date, str, str, str]] = field(default_factory=list)
    extension: tuple[date, int, str] | None = None  # (asked on, working days more, state)
    closing: list[tuple[date, str]] = field(default_factory=list)  # (applied, "returned"|"closed")
    archived: date | None = None


# (time, action, from state, to state, actor, unit, comment) of a timeline step
_StepRow = tuple[datetime, str, str, str, User | None, Unit | None, str]


def _specs(year: int) -> list[_Spec]:
    d = lambda m, day: date(year, m, day)  # noqa: E731
    meeting = {"source_meeting": f"领导小组{year}年第二次全体会议", "source_date": d(9, 15)}
    return [
        _Spec(
            "加快算力券兑付，年底前完成第一批兑付",
            DirectiveSource.INSTRUCTION,
            "梳理已申报企业名单，明确兑付标准和流程，年底前完成第一批兑付并报送兑付情况。",
            "市科技局",
            ["市发改委", "市数据资源局"],
            d(10, 9),
            30,
            DirectiveState.IN_PROGRESS,
            {
                "source_leader": "领导小组组长（演示）",
                "source_date": d(10, 7),
                "source_document": "《关于人工智能算力服务情况的报告》",
                "source_text": "请科技局牵头抓紧研究，年内见到实效。",
            },
            task_seq=1,
            rhythm=FeedbackRhythm.BIWEEKLY,
            feedback=[
                (d(10, 23), ProgressStatus.ON_TRACK, FeedbackState.ACCEPTED, ""),
                (d(11, 6), ProgressStatus.AT_RISK, FeedbackState.ACCEPTED, ""),
                (d(11, 20), ProgressStatus.AT_RISK, FeedbackState.SUBMITTED, ""),
            ],
            extension=(d(11, 15), 25, ExtensionState.APPROVED),
        ),
        _Spec(
            "出台人工智能产业人才专项政策",
            DirectiveSource.MEETING,
            "会议议定：由市人社局牵头，会同市科技局起草人才专项政策，提交领导小组审议。",
            "市人社局",
            ["市科技局"],
            d(9, 18),
            40,
            DirectiveState.CLOSED,
            meeting,
            rhythm=FeedbackRhythm.MONTHLY,
            feedback=[(d(10, 16), ProgressStatus.ON_TRACK, FeedbackState.ACCEPTED, "")],
            closing=[(d(11, 8), "closed")],
        ),
        _Spec(
            "建设城市大脑人工智能开放平台",
            DirectiveSource.MEETING,
            "会议议定：市数据资源局牵头推进平台建设，11 月底前上线一期。",
            "市数据资源局",
            ["高新区管委会"],
            d(9, 18),
            30,
            DirectiveState.IN_PROGRESS,
            meeting,
            rhythm=FeedbackRhythm.MONTHLY,
            feedback=[(d(10, 16), ProgressStatus.DELAYED, FeedbackState.ACCEPTED, "")],
            closing=[(d(11, 1), "returned")],
        ),
        _Spec(
            "智能网联汽车测试道路扩容",
            DirectiveSource.MEETING,
            "会议议定：新增开放测试道路，办结后报送道路清单。",
            "市交通运输局",
            ["市公安局", "经开区管委会"],
            d(9, 18),
            45,
            DirectiveState.CLOSING,
            meeting,
            feedback=[(d(10, 30), ProgressStatus.ON_TRACK, FeedbackState.ACCEPTED, "")],
            closing=[(d(12, 15), "applied")],
        ),
        _Spec(
            "人工智能创新发展试验区建设情况年度评估",
            DirectiveSource.HIGHER,
            "按要求开展年度自评估，形成评估报告报送。",
            "市科技局",
            ["市发改委", "市经信局"],
            d(11, 27),
            20,
            DirectiveState.IN_PROGRESS,
            {
                "source_authority": "上级主管部门（演示）",
                "source_doc_number": f"演示函〔{year}〕18号",
                "source_date": d(11, 24),
            },
            rhythm=FeedbackRhythm.WEEKLY,
            feedback=[(d(12, 4), ProgressStatus.ON_TRACK, FeedbackState.ACCEPTED, "")],
        ),
        _Spec(
            "人工智能伦理审查试点",
            DirectiveSource.HIGHER,
            "组织开展伦理审查试点，报送试点方案。",
            "市卫健委",
            [],
            d(12, 18),
            10,
            DirectiveState.ISSUED,
            {
                "source_authority": "上级主管部门（演示）",
                "source_doc_number": f"演示函〔{year}〕25号",
            },
            signed=False,
        ),
        _Spec(
            "完善人工智能企业梯度培育库",
            DirectiveSource.INSTRUCTION,
            "完善企业梯度培育库并按季度更新。",
            "市经信局",
            [],
            d(6, 12),
            20,
            DirectiveState.ARCHIVED,
            {"source_leader": "领导小组副组长（演示）", "source_date": d(6, 9)},
            closing=[(d(7, 3), "closed")],
            archived=d(7, 10),
        ),
        _Spec(
            "编制人工智能应用场景清单（第三批）",
            DirectiveSource.MEETING,
            "会议议定：征集并发布第三批应用场景清单。",
            "市发改委",
            ["各县（市）区政府"],
            None,
            20,
            DirectiveState.DRAFT,
            {"source_meeting": f"领导小组{year}年第三次全体会议", "source_date": d(12, 18)},
        ),
    ]


def demo_directives_seed(*, plan: Plan, office: User, reporters: dict[int, User]) -> int:
    """The demo items of the plan's last year; returns how many were written (0: some existed)."""
    year = plan.end_year
    if Directive.objects.filter(created_at__year=year).exists():
        return 0
    tz = ZoneInfo(settings.TIME_ZONE)

    def at(day: date, hour: int = 10) -> datetime:
        return datetime.combine(day, time(hour), tzinfo=tz)

    units = {u.name: u for u in Unit.objects.all()}
    leader = User.objects.filter(username="leader").first()
    specs = _specs(year)
    issued = sorted((s.issued, i) for i, s in enumerate(specs) if s.issued)
    numbers = {i: n for n, (_, i) in enumerate(issued, start=1)}  # numbered in the order issued
    written = 0
    for i, spec in enumerate(specs):
        if spec.lead not in units:
            continue
        lead = units[spec.lead]
        co: list[Unit] = []
        for name in spec.co:
            unit = units.get(name)
            if unit is None:
                continue
            co += list(unit.members.order_by("sort_order", "pk")) if unit.is_group else [unit]
        created = at((spec.issued or date(year, 12, 18)) - timedelta(days=1), 16)
        directive = Directive(
            title=spec.title,
            source=spec.source,
            requirement=spec.requirement,
            task=Task.objects.filter(plan=plan, seq=spec.task_seq).first()
            if spec.task_seq
            else None,
            due_workdays=spec.workdays,
            rhythm=spec.rhythm,
            created_by=office,
            created_at=created,
            **spec.particulars,
        )
        steps: list[_StepRow] = [
            (created, DirectiveAction.CREATE, "", DirectiveState.DRAFT, office, None, "")
        ]
        if spec.issued:
            seq = numbers[i]
            due = add_workdays(spec.issued, spec.workdays)
            directive.year, directive.seq = year, seq
            directive.due_date = directive.original_due_date = due
            directive.sign_due_date = add_workdays(spec.issued, directive.sign_workdays)
            directive.issued_by, directive.issued_at = office, at(spec.issued, 9)
            directive.state = spec.state
            steps.append(
                (at(spec.issued, 9), DirectiveAction.ISSUE, "draft", "issued", office, None, "")
            )
        directive.save()
        DirectiveUnit.objects.bulk_create(
            [
                DirectiveUnit(
                    directive=directive,
                    unit=unit,
                    role="lead" if i == 0 else "co",
                    order=i,
                    signed_at=at(spec.issued, 15) if spec.issued and spec.signed else None,
                    signed_by=reporters.get(unit.pk) if spec.issued and spec.signed else None,
                )
                for i, unit in enumerate([lead, *co])
            ]
        )
        reporter = reporters.get(lead.pk)
        if spec.issued and spec.signed:
            steps.append(
                (
                    at(spec.issued, 15),
                    DirectiveAction.SIGN,
                    "issued",
                    "in_progress",
                    reporter,
                    lead,
                    "",
                )
            )
        for day, status, state, comment in spec.feedback:
            DirectiveFeedback.objects.create(
                directive=directive,
                unit=lead,
                content=f"{spec.title}：按要求推进，已完成阶段性工作，下一步继续落实。",
                status=status,
                state=state,
                due_date=day,
                created_by=reporter,
                submitted_at=at(day),
                reviewed_by=office if state == FeedbackState.ACCEPTED else None,
                reviewed_at=at(day + timedelta(days=1))
                if state == FeedbackState.ACCEPTED
                else None,
                review_comment=comment,
            )
            steps.append(
                (
                    at(day),
                    DirectiveAction.FEEDBACK,
                    "in_progress",
                    "in_progress",
                    reporter,
                    lead,
                    "",
                )
            )
            directive.status = status
        if spec.extension:
            asked, more, state = spec.extension
            assert directive.due_date is not None
            to_date = add_workdays(directive.due_date, more)
            DirectiveExtension.objects.create(
                directive=directive,
                unit=lead,
                from_date=directive.due_date,
                to_date=to_date,
                reason="涉及企业较多，材料审核需要更多时间。",
                state=state,
                requested_by=reporter,
                requested_at=at(asked),
                reviewed_by=office,
                reviewed_at=at(asked + timedelta(days=1)),
                decided_by=leader,
                decided_at=at(asked + timedelta(days=2)),
            )
            steps.append(
                (
                    at(asked),
                    DirectiveAction.EXTEND,
                    "in_progress",
                    "in_progress",
                    reporter,
                    lead,
                    "申请延期",
                )
            )
            steps.append(
                (
                    at(asked + timedelta(days=1)),
                    DirectiveAction.EXTEND_APPROVE,
                    "in_progress",
                    "in_progress",
                    office,
                    lead,
                    "同意延期",
                )
            )
            directive.due_date = to_date
        for day, outcome in spec.closing:
            DirectiveFeedback.objects.create(
                directive=directive,
                unit=lead,
                kind=FeedbackKind.CLOSING,
                content=f"{spec.title}：已按要求办结，附相关材料。",
                status=ProgressStatus.COMPLETED,
                state={"closed": FeedbackState.ACCEPTED, "returned": FeedbackState.RETURNED}.get(
                    outcome, FeedbackState.SUBMITTED
                ),
                due_date=day,
                created_by=reporter,
                submitted_at=at(day),
                reviewed_by=office if outcome != "applied" else None,
                reviewed_at=at(day + timedelta(days=2)) if outcome != "applied" else None,
                review_comment="成效材料不充分，请补充后重新申请。"
                if outcome == "returned"
                else "",
            )
            steps.append(
                (at(day), DirectiveAction.APPLY_CLOSE, "in_progress", "closing", reporter, lead, "")
            )
            if outcome == "returned":
                steps.append(
                    (
                        at(day + timedelta(days=2)),
                        DirectiveAction.RETURN,
                        "closing",
                        "in_progress",
                        office,
                        lead,
                        "成效材料不充分，请补充后重新申请。",
                    )
                )
            elif outcome == "closed":
                directive.closed_at = at(day + timedelta(days=2))
                directive.status = ProgressStatus.COMPLETED
                steps.append(
                    (
                        directive.closed_at,
                        DirectiveAction.CLOSE,
                        "closing",
                        "closed",
                        office,
                        lead,
                        "",
                    )
                )
        if spec.archived:
            directive.archived_at = at(spec.archived)
            steps.append(
                (
                    directive.archived_at,
                    DirectiveAction.ARCHIVE,
                    "closed",
                    "archived",
                    office,
                    None,
                    "",
                )
            )
        directive.save()
        DirectiveStep.objects.bulk_create(
            [
                DirectiveStep(
                    directive=directive,
                    action=action,
                    from_state=before,
                    to_state=after,
                    actor=actor,
                    unit=unit,
                    comment=comment,
                    created_at=moment,
                )
                for moment, action, before, after, actor, unit, comment in steps
            ]
        )
        written += 1
    if numbers:
        DirectiveNumber.objects.update_or_create(year=year, defaults={"last": len(numbers)})
    return written
