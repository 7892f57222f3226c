"""The 督查通报 as a document: PDF (WeasyPrint, charts as inline SVG) and Word (python-docx, charts
as PNG), in the 公文 layout of reports.documents, from one ``BulletinContent``: a draft's is read
from the data as it stands, a published bulletin's is the snapshot taken when it was published.

Registered as the builder ``bulletin`` (params: ``period``, the quarter's code; ``issued``: the
builds started by publishing, whose files are kept as the issued ones). The office requests
builds; the office and the leaders read them in /documents/; everyone else reads the published
bulletins' issued files through the bulletin pages.

The text of each section is written once (``sections``) and laid out twice.
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from hefei_ai_zone.numbers import parse_int
from reports.documents.layout import Letterhead, PdfPart, WordDocument, pdf_render_parts
from reports.documents.registry import CONTENT_TYPES, Builder, BuiltFile, Progress, register
from tasks.reporting.models import QUARTER_NAMES
from units.models import User

from . import charts
from .directives import DirectivePart
from .models import Bulletin
from .permissions import can_manage, can_read_builds
from .selectors import BulletinContent, bulletin_content, period_for_code

RECIPIENTS = "各成员单位，各县（市）区政府、开发区管委会："
LIGHT_TEXT = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "未报送"}
NUMERALS = "一二三四五六七八九十"


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def period_label(code: str) -> str:
    """2021Q3 → 2021年第三季度 (no query)."""
    code = code.strip().upper()
    if len(code) == 6 and code[:4].isascii() and code[:4].isdigit() and code[4] == "Q":
        quarter = QUARTER_NAMES.get(parse_int(code[5]) or 0)
        if quarter:
            return f"{code[:4]}年{quarter}"
    return code


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths_cm: list[float]
    lights: int | None = None  # the column holding a light (coloured in the PDF)

    @property
    def percents(self) -> list[float]:
        """The column widths as shares of the table's width (the PDF's colgroup)."""
        total = sum(self.widths_cm) or 1
        return [round(w / total * 100, 2) for w in self.widths_cm]


@dataclass
class Part:
    """One 一、 section: paragraphs, then an optional chart, then an optional table; lagging
    tasks carry sub-items (heading 2 and paragraphs)."""

    heading: str
    paragraphs: list[str] = field(default_factory=list)
    chart: str = ""  # "sections" | "indicators"
    table: Table | None = None
    items: list[tuple[str, list[str]]] = field(default_factory=list)


def sections(c: BulletinContent) -> list[Part]:
    o = c["overall"]
    lights = o["lights"]
    parts = [
        Part(
            "一、总体情况",
            [
                f"{c['period_label']}（{c['start_date']}至{c['end_date']}），{c['plan']}共有重点任务"
                f"{o['tasks']}项。截至{_day(c['as_of'])}，绿灯（按计划推进）{lights['green']}项，"
                f"黄灯（存在风险）{lights['yellow']}项，红灯（滞后）{lights['red']}项，"
                f"未报送{lights['grey']}项。",
                f"本期应报送进展报告{o['reports_due']}份，已报送{o['reports_submitted']}份，"
                f"其中按时报送{o['reports_on_time']}份、逾期报送{o['reports_late']}份，"
                f"未报送{o['reports_missing']}份，按时报送率{pct(o['on_time_rate'])}"
                f"（报送截止日期{_day(c['due_date'])}）。",
                f"本期到期年度工作节点{o['milestones_due']}个，已完成{o['milestones_done']}个；"
                f"截至期末仍逾期未完成的节点{o['milestones_overdue']}个。"
                f"本期办公室发出催办{o['urges']}次，签发督办单{o['orders']}份。",
            ],
        ),
        Part(
            "二、分领域进展",
            [
                "各领域重点任务灯色分布如下图、表所示（任务灯色取其各责任单位灯色之最重者）。",
            ],
            chart="sections",
            table=Table(
                ["领域", "绿灯", "黄灯", "红灯", "未报送", "合计"],
                [
                    [
                        s["label"],
                        str(s["green"]),
                        str(s["yellow"]),
                        str(s["red"]),
                        str(s["grey"]),
                        str(s["total"]),
                    ]
                    for s in c["sections"]
                ],
                [6.6, 1.7, 1.7, 1.7, 1.7, 1.7],
            ),
        ),
    ]
    ranking = c["ranking"]
    top = [r["unit"] for r in ranking if r["rank"] == 1]
    parts.append(
        Part(
            "三、单位排名",
            [
                "按按时报送率（40%）、任务按计划推进占比（30%）、年度节点完成率（30%）计分，"
                "每个逾期节点扣2分，得分相同者并列。"
                + (
                    f"本期{'、'.join(top[:8])}{'等' if len(top) > 8 else ''}并列第一。"
                    if len(top) > 1
                    else ""
                )
                + (f"本期{top[0]}排名第一。" if len(top) == 1 else ""),
            ],
            table=Table(
                [
                    "名次",
                    "单位",
                    "任务数",
                    "按时报送率",
                    "按计划推进",
                    "逾期节点",
                    "催办",
                    "督办单",
                    "得分",
                ],
                [
                    [
                        r["rank_label"],
                        r["unit"],
                        str(r["duties"]),
                        pct(r["on_time_rate"]),
                        pct(r["on_track_share"]),
                        str(r["milestones_overdue"]),
                        str(r["urges"]),
                        str(r["orders"]),
                        f"{r['score']:.1f}",
                    ]
                    for r in ranking
                ],
                [1.4, 4.0, 1.1, 1.9, 1.9, 1.4, 1.0, 1.2, 1.6],
            ),
        )
    )
    lagging = c["lagging"]
    n_red, n_yellow = c["lagging_red"], c["lagging_yellow"]
    more = n_red + n_yellow - len(lagging)
    items = []
    for i, t in enumerate(lagging, 1):
        lines = []
        for r in t["reasons"]:
            lines.append(
                f"{r['unit']}报告进展状态为“{r['status']}”：{r['excerpt'] or '未说明原因。'}"
            )
        for m in t["milestones"]:
            lines.append(
                f"{m['unit']}的年度节点“{m['title']}”应于{_day(m['due_date'])}完成，"
                f"截至期末已逾期{m['days']}天。"
            )
        if not lines:
            lines.append("责任单位未说明原因。")
        items.append(
            (
                f"（{_numeral(i)}）{t['code']} {t['title']}（牵头单位：{t['lead'] or '—'}，"
                f"{LIGHT_TEXT[t['light']]}）",
                lines,
            )
        )
    parts.append(
        Part(
            "四、滞后任务",
            [
                f"本期红灯任务{n_red}项、黄灯任务{n_yellow}项，"
                + (
                    f"以下列出最突出的{len(lagging)}项（其余{more}项的灯色见附件），"
                    if more
                    else ""
                )
                + "各责任单位报告的原因及逾期节点如下。"
                if lagging
                else "本期无红灯、黄灯任务。"
            ],
            items=items,
        )
    )
    missing = c["missing"]
    unreported = [m for m in missing if m["missing"]]
    parts.append(
        Part(
            "五、未按时报送单位",
            [
                (
                    f"截至报送截止日期，{len(unreported)}个单位有任务未报送进展，"
                    if unreported
                    else "截至目前，各单位均已报送本期进展，"
                )
                + (
                    f"{len([m for m in missing if m['late']])}个单位有逾期报送，名单如下。"
                    if missing
                    else "无逾期报送。"
                )
            ],
            table=Table(
                ["单位", "应报任务", "未报送", "逾期报送"],
                [[m["unit"], str(m["duties"]), str(m["missing"]), str(m["late"])] for m in missing],
                [7.6, 2.6, 2.6, 2.6],
            )
            if missing
            else None,
        )
    )
    parts.append(
        Part(
            "六、示范工程",
            [f"{len(c['demos'])}个示范工程本期进展情况如下（进度为牵头单位报告的完成进度）。"],
            table=Table(
                ["序号", "示范工程", "责任单位", "灯色", "进展状态", "进度"],
                [
                    [
                        str(d["seq"]),
                        d["name"],
                        d["units"],
                        LIGHT_TEXT[d["light"]],
                        d["status"],
                        "—" if d["percent"] is None else f"{d['percent']}%",
                    ]
                    for d in c["demos"]
                ],
                [1.2, 4.4, 5.0, 1.5, 2.0, 1.5],
                lights=3,
            ),
        )
    )
    met = sum(1 for i in c["indicators"] if i["met"])
    with_target = sum(1 for i in c["indicators"] if i["target"] is not None)
    parts.append(
        Part(
            "七、目标指标",
            [
                f"{c['year']}年设定目标的{with_target}项指标中，已达到年度目标{met}项"
                "（数值为经办公室核实的成果台账条目数）。"
            ],
            chart="indicators",
            table=Table(
                ["指标", "单位", f"{c['year']}年目标", "实际", "完成情况"],
                [
                    [
                        i["name"],
                        i["measure"],
                        _target(i["target"], i["target_max"]),
                        str(i["actual"]),
                        "—" if i["met"] is None else ("已达到" if i["met"] else "未达到"),
                    ]
                    for i in c["indicators"]
                ],
                [6.6, 1.4, 2.6, 1.8, 2.4],
            ),
        )
    )
    if "directives" in c:  # not in the snapshots of bulletins published before
        parts.append(directive_section(c["directives"], f"{NUMERALS[len(parts)]}、"))
    commentary = [p.strip() for p in c["commentary"].split("\n") if p.strip()]
    parts.append(
        Part(
            f"{NUMERALS[len(parts)]}、工作要求",
            commentary or ["（领导小组办公室尚未填写工作要求。）"],
        )
    )
    return parts


def directive_section(d: DirectivePart, numeral: str) -> Part:
    """督办事项办理情况: the quarter's counts by source, the overdue items named."""
    t = d["total"]
    on_time = f"，其中按期办结{t['closed_on_time']}项" if t["closed"] else ""
    summary = (
        f"本季度交办督办事项{t['issued']}项，办结{t['closed']}项{on_time}；"
        f"截至{_day(d['as_of'])}，在办{t['open']}项，其中逾期未办结{t['overdue']}项；"
        f"本季度批准延期{t['extended']}项。"
    )
    paragraphs = [summary]
    items: list[tuple[str, list[str]]] = []
    if d["overdue"]:
        more = f"（另有{d['overdue_more']}项从略）" if d["overdue_more"] else ""
        paragraphs.append(f"各来源办理情况见下表，逾期未办结事项及牵头单位列于表后{more}。")
        for i, o in enumerate(d["overdue"], start=1):
            extended = (
                f"（原定{_day(o['original_due_date'])}）"
                if o["original_due_date"] != o["due_date"]
                else ""
            )
            items.append(
                (
                    f"（{_numeral(i)}）{o['number']} {o['title']}（牵头单位：{o['lead'] or '—'}）",
                    [
                        f"来源：{o['source']}；办结时限{_day(o['due_date'])}{extended}，"
                        f"已逾期{o['overdue_days']}天。"
                    ],
                )
            )
    rows = [*d["rows"], t]
    return Part(
        f"{numeral}督办事项办理情况",
        paragraphs,
        table=Table(
            ["来源", "本季度交办", "本季度办结", "其中按期", "季末在办", "季末逾期", "批准延期"],
            [
                [
                    r["label"],
                    *(
                        str(dict(r)[k])
                        for k in (
                            "issued",
                            "closed",
                            "closed_on_time",
                            "open",
                            "overdue",
                            "extended",
                        )
                    ),
                ]
                for r in rows
            ],
            [3.2, 2.1, 2.1, 2.1, 2.1, 2.1, 2.1],
        ),
        items=items,
    )


APPENDIX_TITLE = "重点任务进展情况表"
APPENDIX_HEADERS = [
    "序号",
    "任务编号",
    "任务（摘要）",
    "牵头单位",
    "灯色",
    "进展状态",
    "进度",
    "本期进展（摘要）",
]
APPENDIX_WIDTHS = [1.0, 1.7, 5.4, 2.4, 1.3, 1.8, 1.2, 8.7]


def appendix_rows(c: BulletinContent) -> list[list[str]]:
    return [
        [
            str(i),
            a["code"],
            a["title"],
            a["lead"],
            LIGHT_TEXT[a["light"]],
            a["status"],
            "—" if a["percent"] is None else f"{a['percent']}%",
            a["text"] or "—",
        ]
        for i, a in enumerate(c["appendix"], 1)
    ]


def _day(iso: str) -> str:
    d = datetime.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日"


def _numeral(n: int) -> str:
    if n <= 10:
        return NUMERALS[n - 1]
    if n < 20:
        return "十" + NUMERALS[n - 11]
    tens, ones = divmod(n, 10)
    return NUMERALS[tens - 1] + "十" + (NUMERALS[ones - 1] if ones else "")


def _target(low: int | None, high: int | None) -> str:
    if low is None:
        return "—"
    return f"{low}–{high}" if high is not None else str(low)


# --- the two layouts ---------------------------------------------------------------------------


def render_pdf(content: BulletinContent, head: Letterhead, progress: Progress) -> bytes:
    progress(30, "绘制图表")
    svgs = {
        "sections": charts.svg(charts.sections_chart(content["sections"])),
        "indicators": charts.svg(charts.indicators_chart(content["indicators"])),
    }
    progress(50, "排版 PDF")
    # The body, then the appendix a few hundred rows at a time, joined (one WeasyPrint document
    # at a time in memory: a 2,000-task appendix is ~50 landscape pages).
    return pdf_render_parts(
        [
            PdfPart(
                "bulletins/document.html",
                {
                    "parts": [(part, svgs.get(part.chart, "")) for part in sections(content)],
                    "content": content,
                },
            ),
            PdfPart(
                "bulletins/appendix.html",
                {
                    "appendix_title": APPENDIX_TITLE,
                    "appendix_headers": APPENDIX_HEADERS,
                    "appendix_widths": Table(APPENDIX_HEADERS, [], APPENDIX_WIDTHS).percents,
                },
                rows=appendix_rows(content),
            ),
        ],
        head,
    )


def render_docx(content: BulletinContent, head: Letterhead, progress: Progress) -> bytes:
    progress(30, "绘制图表")
    pngs = {
        "sections": charts.png(charts.sections_chart(content["sections"])),
        "indicators": charts.png(charts.indicators_chart(content["indicators"])),
    }
    progress(50, "排版 Word")
    doc = WordDocument(head)
    for part in sections(content):
        doc.heading(part.heading, 1)
        for text in part.paragraphs:
            doc.paragraph(text)
        if part.chart:
            doc.image(pngs[part.chart], width_cm=15.6)
        if part.table:
            doc.table(part.table.headers, part.table.rows, part.table.widths_cm)
        for title, lines in part.items:
            doc.heading(title, 2)
            for line in lines:
                doc.paragraph(line)
    doc.signature()
    doc.landscape_section()
    doc.paragraph("附件", indent=False, align="left")
    doc.paragraph(APPENDIX_TITLE, bold=True, indent=False, align="center")
    doc.table(APPENDIX_HEADERS, appendix_rows(content), APPENDIX_WIDTHS, font_size_pt=9)
    return doc.to_bytes()


# --- the builder -------------------------------------------------------------------------------


def bulletin_document(period_code: str) -> tuple[BulletinContent, Letterhead, Bulletin | None]:
    """What a build of the quarter's bulletin prints: the snapshot and number of a published
    bulletin, else the data as it stands under a 草稿 mark."""
    period = period_for_code(period_code)
    bulletin = Bulletin.objects.filter(period=period).first()
    title = f"{period.label}督查通报"
    if bulletin is not None and bulletin.is_published and bulletin.snapshot:
        content = cast(BulletinContent, bulletin.snapshot)
        head = Letterhead(
            title=bulletin.title,
            number=bulletin.number,
            date=bulletin.published_date,
            recipients=RECIPIENTS,
        )
        return content, head, bulletin
    content = bulletin_content(period, bulletin.commentary if bulletin else "")
    head = Letterhead(title=title, date=clock.today(), recipients=RECIPIENTS, draft=True)
    return content, head, bulletin


def build_bulletin(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    from .services import bulletin_file_keep

    progress(5, "汇总本期数据")
    content, head, bulletin = bulletin_document(params["period"])
    if fmt == "pdf":
        data = render_pdf(content, head, progress)
    elif fmt == "docx":
        data = render_docx(content, head, progress)
    else:
        raise ApplicationError("督查通报只能生成 PDF 或 Word 文件。")
    name = head.title + ("" if not head.draft else "（草稿）")
    if head.number:
        name = f"{head.number} {name}"
    built = BuiltFile(filename=f"{name}.{fmt}", content=data, content_type=CONTENT_TYPES[fmt])
    if params.get("issued") and bulletin is not None and bulletin.is_published:
        progress(95, "存档发布文件")
        bulletin_file_keep(
            bulletin_id=bulletin.pk, fmt=fmt, filename=built.filename, content=built.content
        )
    return built


def parse_params(raw: Mapping[str, str]) -> dict[str, Any]:
    code = str(raw.get("period") or "").strip().upper()
    if not code:
        raise ApplicationError("请选择报送周期。", {"fields": {"period": ["请选择报送周期。"]}})
    period = period_for_code(code)
    params: dict[str, Any] = {"period": period.code}
    if str(raw.get("issued") or "") in ("1", "true", "True"):
        params["issued"] = "1"
    return params


def may_request(user: User, params: dict[str, Any]) -> bool:
    return can_manage(user)


def may_read(user: User, params: dict[str, Any]) -> bool:
    return can_read_builds(user)


def describe(params: dict[str, Any]) -> str:
    label = f"{period_label(str(params.get('period', '')))}督查通报"
    return label + ("（发布文件）" if params.get("issued") else "")


BULLETIN = Builder(
    kind="bulletin",
    label="督查通报",
    formats=("pdf", "docx"),
    parse_params=parse_params,
    may_request=may_request,
    may_read=may_read,
    build=build_bulletin,
    describe=describe,
)
register(BULLETIN)
