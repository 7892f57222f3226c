"""The year's 督办事项 for the annual export: every item of the year (issued in it, or issued
before and not closed before it), with its source and particulars, units, dates, extensions,
state and light at the year's end; and the counts by source the annual report states. Three
queries whatever the number of items.

The year's end is 31 December, or today while the year runs. The light is tasks.lights' rule for
items (``directive_light``) on that day; on time: closed by the deadline in force
(``due_date``), the original deadline beside it.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from hefei_ai_zone import clock
from tasks.lights import directive_light, directive_overdue_days
from tasks.models import (
    Directive,
    DirectiveExtension,
    DirectiveSource,
    DirectiveUnit,
    ExtensionState,
)

LIGHT_TEXT = {"red": "红", "yellow": "黄", "green": "绿", "grey": "灰"}


@dataclass(frozen=True)
class DirectiveYearRow:
    number: str
    source: str
    source_label: str
    particulars: str  # 批示: leader, date, document; 会议: meeting, date; 上级交办: authority, 文号
    title: str
    lead: str
    co: str
    issued: date
    original_due: date | None
    due: date | None
    closed: date | None
    on_time: str  # 是 / 否 / 逾期未办结 / ""
    extensions: int
    state: str
    light: str
    overdue_days: int

    @property
    def light_text(self) -> str:
        return LIGHT_TEXT[self.light]


@dataclass(frozen=True)
class DirectiveSourceCount:
    label: str
    items: int
    issued: int  # in the year
    closed: int  # in the year
    closed_on_time: int
    open: int  # at the year's end
    overdue: int  # at the year's end
    extensions: int  # approved, of these items

    def cells(self) -> list[str]:
        return [
            self.label,
            *(
                str(v)
                for v in (
                    self.items, self.issued, self.closed, self.closed_on_time, self.open,
                    self.overdue, self.extensions,
                )
            ),
        ]  # fmt: skip


SOURCE_HEADERS = (
    "来源", "事项", "本年交办", "本年办结", "其中按期", "年末在办", "其中逾期", "批准延期",
)  # fmt: skip


@dataclass(frozen=True)
class DirectiveYear:
    year: int
    as_of: date
    rows: list[DirectiveYearRow]
    by_source: list[DirectiveSourceCount]  # each source, then 合计

    @property
    def total(self) -> DirectiveSourceCount:
        return self.by_source[-1]

    def text(self) -> str:
        t = self.total
        if not t.items:
            return f"{self.year}年度没有督办事项。"
        sources = "、".join(f"{s.label}{s.items}项" for s in self.by_source[:-1] if s.items)
        on_time = f"，其中按期办结{t.closed_on_time}项" if t.closed else ""
        return (
            f"{self.year}年度督办事项共{t.items}项（{sources}），其中本年交办{t.issued}项；"
            f"本年办结{t.closed}项{on_time}；批准延期{t.extensions}次；截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日，"
            f"在办{t.open}项，其中逾期未办结{t.overdue}项。"
        )


def _particulars(d: Directive) -> str:
    day = f"{d.source_date:%Y-%m-%d}" if d.source_date else ""
    if d.source == DirectiveSource.INSTRUCTION:
        parts = [d.source_leader, day, d.source_document and f"批于《{d.source_document}》"]
    elif d.source == DirectiveSource.MEETING:
        parts = [d.source_meeting, day]
    else:
        parts = [d.source_authority, d.source_doc_number, day]
    return "，".join(p for p in parts if p)


def directive_year(year: int) -> DirectiveYear:
    """Every item of ``year`` and the counts by source (three queries: the items, their units,
    their approved extensions)."""
    tz = timezone.get_current_timezone()
    first = datetime.combine(date(year, 1, 1), time.min, tzinfo=tz)
    as_of = min(date(year, 12, 31), clock.today())
    end = datetime.combine(as_of + timedelta(days=1), time.min, tzinfo=tz)
    items = list(
        Directive.objects.filter(issued_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=first))
        .order_by("year", "seq", "pk")
    )
    ids = [d.pk for d in items]
    lead: dict[int, str] = {}
    co: dict[int, list[str]] = defaultdict(list)
    for directive_id, role, name in (
        DirectiveUnit.objects.filter(directive_id__in=ids)
        .order_by("directive_id", "order", "pk")
        .values_list("directive_id", "role", "unit__name")
    ):
        if role == "lead":
            lead[directive_id] = name
        else:
            co[directive_id].append(name)
    extensions = dict(
        DirectiveExtension.objects.filter(directive_id__in=ids, state=ExtensionState.APPROVED)
        .values_list("directive_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: list[DirectiveYearRow] = []
    counts = {
        source: dict.fromkeys(
            ("items", "issued", "closed", "closed_on_time", "open", "overdue", "extensions"), 0
        )
        for source in DirectiveSource.values
    }
    for d in items:
        assert d.issued_at is not None
        closed = clock.local_date(d.closed_at) if d.closed_at and d.closed_at < end else None
        days = directive_overdue_days(
            state=d.state, due_date=d.due_date, closed_at=d.closed_at, as_of=as_of
        )
        if closed is not None:
            on_time = "是" if d.due_date and closed <= d.due_date else "否"
        else:
            on_time = "逾期未办结" if days else ""
        light = directive_light(
            state=d.state, status=d.status, due_date=d.due_date, closed_at=d.closed_at, as_of=as_of
        )
        rows.append(
            DirectiveYearRow(
                number=d.number,
                source=d.source,
                source_label=d.get_source_display(),
                particulars=_particulars(d),
                title=d.title,
                lead=lead.get(d.pk, ""),
                co="、".join(co.get(d.pk, [])),
                issued=clock.local_date(d.issued_at),
                original_due=d.original_due_date,
                due=d.due_date,
                closed=closed,
                on_time=on_time,
                extensions=extensions.get(d.pk, 0),
                state=d.get_state_display(),
                light=light or "grey",
                overdue_days=days,
            )
        )
        c = counts[d.source]
        c["items"] += 1
        c["issued"] += d.issued_at >= first
        c["extensions"] += extensions.get(d.pk, 0)
        if closed is not None:
            c["closed"] += 1
            c["closed_on_time"] += on_time == "是"
        else:
            c["open"] += 1
            c["overdue"] += days > 0
    by_source = [
        DirectiveSourceCount(label, **counts[source]) for source, label in DirectiveSource.choices
    ]
    by_source.append(
        DirectiveSourceCount(
            "合计",
            **{
                key: sum(c[key] for c in counts.values()) for key in counts[DirectiveSource.MEETING]
            },
        )
    )
    return DirectiveYear(year, as_of, rows, by_source)
