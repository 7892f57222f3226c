"""The annual report (年度推进情况报告): the four quarters summarised in the bulletin's style,
as PDF (WeasyPrint) and Word (python-docx), in the 公文 layout of reports.documents.

Every quarter's figures are the dashboard's (``reports.dashboards.dashboard_data`` per period,
read as a leader reads it: submitted reports only, as every document that leaves the office);
the yearly reporting record, the 催办/督办单 and the year-end lagging tasks come from this
slice's selectors, the same the workbook writes."""

from dataclasses import dataclass, field
from typing import Any

from hefei_ai_zone import clock
from reports.dashboards import dashboard_data, dashboard_periods
from reports.documents.layout import Letterhead, PdfPart, WordDocument, pdf_render_parts
from tasks.lights import SEVERITY
from tasks.models import ReportingPeriod
from units.models import Role, User

from . import charts, selectors
from .directives import SOURCE_HEADERS, DirectiveYear, directive_year
from .selectors import QUARTER_LABELS, QUARTERS, AnnualYear, QuarterCell, UnitYearRecord


@dataclass(frozen=True)
class QuarterSummary:
    quarter: int
    label: str
    period: ReportingPeriod | None
    tasks: dict[str, int] = field(default_factory=dict)  # light → tasks, and "total"
    reports: dict[str, Any] = field(default_factory=dict)  # the dashboard's reports tile
    milestones: dict[str, int] = field(default_factory=dict)
    sections: list[dict[str, Any]] = field(default_factory=list)
    demos: dict[str, int] = field(default_factory=dict)

    @property
    def rate_text(self) -> str:
        rate = self.reports.get("on_time_rate")
        return "—" if rate is None else f"{rate:.0%}"


@dataclass(frozen=True)
class LaggingTask:
    code: str
    section: str
    content: str
    units: str
    cell: QuarterCell


@dataclass(frozen=True)
class IndicatorLine:
    name: str
    measure: str
    target: str
    actual: int
    met: str


@dataclass
class AnnualContent:
    year: AnnualYear
    quarters: list[QuarterSummary]
    section_rows: list[tuple[str, list[str]]]  # section → per quarter "绿12 黄1 红0 灰2"
    indicators: list[IndicatorLine]
    record: list[UnitYearRecord]
    urges: int
    urged_units: int
    orders: list[selectors.SupervisionRow]
    year_end: str  # the label of the period the lagging tasks are read in
    lagging: list[LaggingTask]
    appendix: list[tuple[str, str, str, str, str, str]]  # 序号, 任务, 内容, 单位, 灯色, 状态
    directives: DirectiveYear | None = None  # 七、督办事项办理情况

    @property
    def n_tasks(self) -> int:
        return len(self.appendix)

    @property
    def record_totals(self) -> tuple[int, int, int]:
        on_time = sum(r.totals()[0] for r in self.record)
        late = sum(r.totals()[1] for r in self.record)
        missing = sum(r.totals()[2] for r in self.record)
        return on_time, late, missing

    @property
    def chart_columns(self) -> list[charts.Column]:
        return [
            charts.Column(q.label, {light: q.tasks.get(light, 0) for light in charts.LIGHTS})
            for q in self.quarters
        ]

    @property
    def chart_title(self) -> str:
        return f"{self.year.year}年各季度主要任务灯色（项）"

    def overview(self) -> str:
        """The opening paragraph: the year in figures."""
        plan = self.year.plan
        on_time, late, missing = self.record_totals
        due = on_time + late + missing
        done = [q for q in self.quarters if q.period is not None]
        last = done[-1] if done else None
        text = (
            f"{self.year.year}年，{plan.name}确定的{self.n_tasks}项主要任务由"
            f"{len(self.record)}个责任单位推进，全年共开展{len(done)}个季度的进展报送。"
        )
        if due:
            text += (
                f"全年应报{due}项次，按时报送{on_time}项次，逾期报送{late}项次，"
                f"未报送{missing}项次，按时报送率{on_time / due:.0%}。"
            )
        if last is not None and last.tasks:
            t = last.tasks
            text += (
                f"截至{last.label}，绿灯任务{t.get('green', 0)}项、黄灯{t.get('yellow', 0)}项、"
                f"红灯{t.get('red', 0)}项、未报送{t.get('grey', 0)}项。"
            )
        text += (
            f"全年发出催办{self.urges}次（涉及{self.urged_units}个单位），"
            f"督办单{len(self.orders)}份。"
        )
        return text


def document_reader() -> User:
    """The reader the annual report's numbers are counted for: a leader (submitted reports
    only; drafts and returned reports are the office's business and never leave it)."""
    return User(username="annual-report", role=Role.LEADER)


def _short(text: str, limit: int = 60) -> str:
    first = text.split("。")[0]
    first = first if len(first) <= limit else first[: limit - 1] + "…"
    return first if first.endswith("…") else first + "。"


def annual_content(year: AnnualYear) -> AnnualContent:
    """Everything the report says, in a fixed number of queries whatever the size."""
    reader = document_reader()
    periods = dashboard_periods()
    quarters = []
    for q in QUARTERS:
        period = year.quarters[q]
        if period is None:
            quarters.append(QuarterSummary(q, QUARTER_LABELS[q], None))
            continue
        data = dashboard_data(user=reader, period=period, periods=periods)
        quarters.append(
            QuarterSummary(
                q,
                QUARTER_LABELS[q],
                period,
                data["tiles"]["tasks"],
                data["tiles"]["reports"],
                data["tiles"]["milestones"],
                data["sections"],
                data["tiles"]["demos"],
            )
        )
    labels: list[str] = []
    per_section: dict[str, list[str]] = {}
    for quarter in quarters:
        for s in quarter.sections:
            if s["label"] not in per_section:
                labels.append(s["label"])
                per_section[s["label"]] = ["—"] * len(QUARTERS)
            per_section[s["label"]][quarter.quarter - 1] = (
                f"绿{s['green']} 黄{s['yellow']} 红{s['red']} 灰{s['grey']}"
            )
    facts = selectors.quarter_facts(year)
    with_data = [p for p in year.periods if p.start_date <= clock.today()]
    year_end = with_data[-1] if with_data else None
    lagging: list[LaggingTask] = []
    appendix = []
    for row in selectors.task_rows(year.plan):
        cell = facts.cell(year_end, row.assignments)
        appendix.append(
            (
                str(row.seq),
                row.section_title,
                _short(row.content),
                row.units,
                cell.light_text,
                cell.status,
            )
        )
        if SEVERITY[cell.light] >= SEVERITY["yellow"]:
            lagging.append(LaggingTask(row.code, row.section, _short(row.content), row.units, cell))
    lagging.sort(key=lambda t: -SEVERITY[t.cell.light])
    urges = list(selectors.urges_of_year(year).values_list("unit_id", flat=True))
    supervision = list(selectors.supervision_rows(year))
    indicators = []
    for progress in selectors.indicators(year):
        this = next((y for y in progress.years if y.year == year.year), None)
        if this is None:
            continue
        indicators.append(
            IndicatorLine(
                progress.indicator.name,
                progress.indicator.measure,
                selectors.target_text(this.target),
                this.actual,
                "—" if this.met is None else ("达标" if this.met else "未达标"),
            )
        )
    return AnnualContent(
        year=year,
        quarters=quarters,
        section_rows=[(label, per_section[label]) for label in labels],
        indicators=indicators,
        record=selectors.reporting_record(year),
        urges=len(urges),
        urged_units=len(set(urges)),
        orders=[r for r in supervision if r.kind == "督办单"],
        year_end=year_end.label if year_end else "",
        lagging=lagging,
        appendix=appendix,
        directives=directive_year(year.year),
    )


def letterhead(year: AnnualYear) -> Letterhead:
    return Letterhead(
        title=f"关于{year.year}年度试验区建设任务推进情况的报告",
        date=clock.today(),
        recipients="试验区建设工作领导小组：",
    )


# --- the two formats ---------------------------------------------------------------------------

QUARTER_HEADERS = (
    "季度", "应报", "按时", "逾期", "未报", "按时率", "绿灯", "黄灯", "红灯", "未报送",
)  # fmt: skip


def quarter_rows(content: AnnualContent) -> list[list[str]]:
    rows = []
    for q in content.quarters:
        if q.period is None:
            rows.append([q.label, *["—"] * (len(QUARTER_HEADERS) - 1)])
            continue
        r, t = q.reports, q.tasks
        rows.append(
            [
                q.label,
                str(r.get("due", 0)),
                str(r.get("on_time", 0)),
                str(r.get("late", 0)),
                str(r.get("not_submitted", 0)),
                q.rate_text,
                *(str(t.get(light, 0)) for light in ("green", "yellow", "red", "grey")),
            ]
        )
    return rows


RECORD_HEADERS = ("责任单位", "填报职责", "应报", "按时", "逾期", "未报", "按时率")


def record_rows(content: AnnualContent) -> list[list[str]]:
    rows = []
    for r in content.record:
        on_time, late, missing = r.totals()
        due = on_time + late + missing
        rate = f"{on_time / due:.0%}" if due else "—"
        rows.append([r.name, str(r.duties), str(due), str(on_time), str(late), str(missing), rate])
    return rows


ORDER_HEADERS = ("文号", "责任单位", "任务", "签发日期", "反馈截止", "状态", "办结日期")


def order_rows(content: AnnualContent) -> list[list[str]]:
    return [
        [
            o.number,
            o.unit,
            o.subject,
            f"{o.day:%Y-%m-%d}",
            f"{o.due:%Y-%m-%d}" if o.due else "",
            o.state,
            f"{o.closed:%Y-%m-%d}" if o.closed else "",
        ]
        for o in content.orders
    ]


LAGGING_HEADERS = ("任务", "主要内容", "责任单位", "灯色", "状态", "存在问题")


def lagging_rows(content: AnnualContent) -> list[list[str]]:
    return [
        [t.code, t.content, t.units, t.cell.light_text, t.cell.status, t.cell.problems]
        for t in content.lagging
    ]


APPENDIX_HEADERS = ("序号", "任务板块", "主要内容", "责任单位", "灯色", "状态")


def pdf(content: AnnualContent) -> bytes:
    context = {
        "c": content,
        "chart": charts.svg(content.chart_title, content.chart_columns),
        "quarter_headers": QUARTER_HEADERS,
        "quarter_rows": quarter_rows(content),
        "record_headers": RECORD_HEADERS,
        "record_rows": record_rows(content),
        "order_headers": ORDER_HEADERS,
        "order_rows": order_rows(content),
        "lagging_headers": LAGGING_HEADERS,
        "lagging_rows": lagging_rows(content),
        "appendix_headers": APPENDIX_HEADERS,
        "quarter_labels": [QUARTER_LABELS[q] for q in QUARTERS],
        "supervision_text": supervision_text(content),
        "lagging_text": lagging_text(content),
        **directive_context(content),
    }
    # the body, then the appendix (a row per task) a few hundred rows at a time, joined
    return pdf_render_parts(
        [
            PdfPart("annual/report_pdf.html", context),
            PdfPart(
                "annual/report_appendix.html",
                {"c": content, "appendix_headers": APPENDIX_HEADERS},
                rows=content.appendix,
            ),
        ],
        letterhead(content.year),
    )


def docx(content: AnnualContent) -> bytes:
    year = content.year.year
    doc = WordDocument(letterhead(content.year))
    doc.paragraph(content.overview())
    doc.heading("一、各季度总体情况")
    doc.table(QUARTER_HEADERS, quarter_rows(content), font_size_pt=10.5)
    doc.image(charts.png(content.chart_title, content.chart_columns), width_cm=14)
    doc.heading("二、各任务板块灯色")
    doc.table(
        ("任务板块", *(QUARTER_LABELS[q] for q in QUARTERS)),
        [[label, *cells] for label, cells in content.section_rows],
        widths_cm=(5.2, 2.6, 2.6, 2.6, 2.6),
        font_size_pt=9,
    )
    doc.heading(f"三、{year}年目标指标完成情况")
    doc.table(
        ("指标", "计量单位", f"{year}年目标", "实际", "是否达标"),
        [[i.name, i.measure, i.target, str(i.actual), i.met] for i in content.indicators],
        widths_cm=(6.0, 2.0, 2.6, 2.0, 3.0),
    )
    doc.heading("四、各责任单位全年报送情况")
    doc.table(RECORD_HEADERS, record_rows(content), widths_cm=(4.6, 1.8, 1.8, 1.8, 1.8, 1.8, 2.0))
    doc.heading("五、催办和督办情况")
    doc.paragraph(supervision_text(content))
    if content.orders:
        doc.table(
            ORDER_HEADERS,
            order_rows(content),
            widths_cm=(2.8, 2.6, 3.6, 1.8, 1.8, 1.4, 1.6),
            font_size_pt=9,
        )
    doc.heading("六、年末滞后任务")
    doc.paragraph(lagging_text(content))
    if content.lagging:
        doc.table(
            LAGGING_HEADERS,
            lagging_rows(content),
            widths_cm=(1.6, 4.6, 3.2, 1.0, 2.2, 3.0),
            font_size_pt=9,
        )
    if content.directives is not None:
        d = directive_context(content)
        doc.heading("七、督办事项办理情况")
        doc.paragraph(d["directive_text"])
        doc.table(
            d["directive_headers"],
            d["directive_rows"],
            widths_cm=(3.0, 1.6, 1.7, 1.7, 1.7, 1.7, 1.7, 1.7),
            font_size_pt=9,
        )
        if d["directive_overdue_rows"]:
            doc.paragraph("年末逾期未办结的督办事项如下。")
            doc.table(
                OVERDUE_HEADERS,
                d["directive_overdue_rows"],
                widths_cm=(3.2, 5.0, 2.8, 2.4, 1.4),
                font_size_pt=9,
            )
    doc.signature()
    doc.landscape_section()
    doc.paragraph(f"附件：{year}年主要任务推进情况一览表（{content.year_end}）", indent=False)
    doc.table(
        APPENDIX_HEADERS,
        [list(row) for row in content.appendix],
        widths_cm=(1.2, 4, 10, 5, 1.3, 3.5),
        font_size_pt=9,
    )
    return doc.to_bytes()


def supervision_text(content: AnnualContent) -> str:
    closed = sum(1 for o in content.orders if o.closed)
    return (
        f"全年共发出催办{content.urges}次，涉及{content.urged_units}个责任单位；"
        f"签发督办单{len(content.orders)}份，已办结{closed}份，"
        f"未办结{len(content.orders) - closed}份。"
    )


def lagging_text(content: AnnualContent) -> str:
    if not content.year_end:
        return "本年度尚无报送周期。"
    red = sum(1 for t in content.lagging if t.cell.light == "red")
    yellow = len(content.lagging) - red
    if not content.lagging:
        return f"截至{content.year_end}，没有红灯和黄灯任务。"
    return (
        f"截至{content.year_end}，红灯任务{red}项、黄灯任务{yellow}项（灯色由已提交的进展报告"
        "状态和年度节点逾期情况共同确定），请各责任单位对照存在问题加快推进。"
    )


OVERDUE_HEADERS = ("编号", "事项", "牵头单位", "办结时限", "逾期天数")


def directive_context(content: AnnualContent) -> dict[str, Any]:
    """七、督办事项办理情况: the paragraph, the counts by source, the items overdue at the year's
    end (reports.annual.directives)."""
    d = content.directives
    if d is None:
        return {}
    overdue = [r for r in d.rows if r.closed is None and r.overdue_days > 0]
    return {
        "directive_text": d.text(),
        "directive_headers": SOURCE_HEADERS,
        "directive_rows": [s.cells() for s in d.by_source],
        "directive_overdue_rows": [
            [
                r.number,
                r.title,
                r.lead,
                f"{r.due:%Y-%m-%d}"
                + (
                    f"（原定{r.original_due:%Y-%m-%d}）"
                    if r.original_due and r.original_due != r.due
                    else ""
                ),
                str(r.overdue_days),
            ]
            for r in sorted(overdue, key=lambda r: -r.overdue_days)
        ],
    }
