"""The bulletin's two charts, drawn from the same data twice: vector SVG for the PDF (WeasyPrint
draws it as paths and text, never a picture) and PNG for Word (Pillow, with the CJK font file
fontconfig finds). Horizontal bars, so that long Chinese labels read on the left:

- ``sections_chart``: each section's tasks stacked by light (green, yellow, red, grey);
- ``indicators_chart``: each indicator's value against its target of the year (the share of the
  target reached, a line at 100%).

No matplotlib: a bar chart is a few rectangles and labels.
"""

import io
from dataclasses import dataclass
from html import escape

from PIL import Image, ImageDraw, ImageFont

from reports.documents.fonts import cjk_font_file

from .selectors import IndicatorRow, SectionRow

FONT_FAMILY = "Noto Sans CJK SC"
COLOURS = {"green": "#2e9d57", "yellow": "#e6a700", "red": "#d23c3c", "grey": "#a7adb5"}
LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "未报送"}
MET, UNMET, TARGET_LINE = "#2e9d57", "#e07b39", "#555555"

# the geometry, in SVG user units (1 unit = 1 px at 96 dpi; the PDF scales it to the text width)
WIDTH = 600
LABEL_W = 200
NOTE_W = 78
BAR_W = WIDTH - LABEL_W - NOTE_W - 12
ROW_H = 24
BAR_H = 14
TOP = 38
LEGEND_H = 26
FONT_SIZE = 11
LABEL_CHARS = 15


@dataclass(frozen=True)
class Segment:
    value: float
    colour: str


@dataclass(frozen=True)
class Row:
    label: str
    segments: tuple[Segment, ...]
    note: str = ""


@dataclass(frozen=True)
class BarChart:
    title: str
    rows: tuple[Row, ...]
    scale: float  # the value at the bar area's right end
    legend: tuple[tuple[str, str], ...] = ()
    reference: float | None = None  # a vertical line (the target) at this value
    reference_label: str = ""

    @property
    def height(self) -> int:
        return TOP + len(self.rows) * ROW_H + LEGEND_H


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"


def sections_chart(sections: list[SectionRow]) -> BarChart:
    lights = ("green", "yellow", "red", "grey")
    scale = max((s["total"] for s in sections), default=1) or 1
    return BarChart(
        title="各领域任务灯色分布（项）",
        rows=tuple(
            Row(
                label=s["label"],
                segments=(
                    Segment(s["green"], COLOURS["green"]),
                    Segment(s["yellow"], COLOURS["yellow"]),
                    Segment(s["red"], COLOURS["red"]),
                    Segment(s["grey"], COLOURS["grey"]),
                ),
                note=f"{s['total']}项",
            )
            for s in sections
        ),
        scale=float(scale),
        legend=tuple((LIGHT_NAMES[light], COLOURS[light]) for light in lights),
    )


def indicators_chart(indicators: list[IndicatorRow]) -> BarChart:
    rows = []
    for ind in indicators:
        target = ind["target"]
        share = (ind["actual"] / target * 100) if target else 0.0
        colour = MET if ind["met"] else UNMET
        note = (
            f"{ind['actual']}/{target}{ind['measure']}" if target else f"{ind['actual']}（无目标）"
        )
        rows.append(
            Row(label=ind["name"], segments=(Segment(min(share, 150.0), colour),), note=note)
        )
    return BarChart(
        title="目标指标完成情况（实际值占年度目标的百分比）",
        rows=tuple(rows),
        scale=150.0,
        legend=(("已达到目标", MET), ("未达到目标", UNMET)),
        reference=100.0,
        reference_label="目标",
    )


# --- SVG -----------------------------------------------------------------------------------------


def svg(chart: BarChart) -> str:
    """The chart as an SVG document (text in Noto Sans CJK SC)."""
    h = chart.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {h}" '
        f'width="{WIDTH}" height="{h}" font-family="{FONT_FAMILY}, sans-serif" '
        f'font-size="{FONT_SIZE}">',
        f'<text x="{WIDTH / 2}" y="16" text-anchor="middle" font-size="13" '
        f'font-weight="bold">{escape(chart.title)}</text>',
    ]
    x0 = LABEL_W
    for i, row in enumerate(chart.rows):
        y = TOP + i * ROW_H
        mid = y + ROW_H / 2
        out.append(
            f'<text x="{x0 - 6}" y="{mid + 4}" text-anchor="end">{escape(_short(row.label))}</text>'
        )
        out.append(
            f'<rect x="{x0}" y="{mid - BAR_H / 2}" width="{BAR_W}" height="{BAR_H}" '
            'fill="#f1f3f5"/>'
        )
        x = float(x0)
        for seg in row.segments:
            w = BAR_W * seg.value / chart.scale if chart.scale else 0
            if w <= 0:
                continue
            out.append(
                f'<rect x="{x:.1f}" y="{mid - BAR_H / 2}" width="{w:.1f}" height="{BAR_H}" '
                f'fill="{seg.colour}"/>'
            )
            x += w
        out.append(f'<text x="{x0 + BAR_W + 6}" y="{mid + 4}">{escape(row.note)}</text>')
    if chart.reference is not None:
        rx = x0 + BAR_W * chart.reference / chart.scale
        bottom = TOP + len(chart.rows) * ROW_H
        out.append(
            f'<line x1="{rx:.1f}" y1="{TOP - 2}" x2="{rx:.1f}" y2="{bottom}" '
            f'stroke="{TARGET_LINE}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        out.append(
            f'<text x="{rx:.1f}" y="{TOP - 4}" text-anchor="middle" font-size="10">'
            f"{escape(chart.reference_label)}</text>"
        )
    ly = h - 9
    lx = float(x0)
    for name, colour in chart.legend:
        out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" fill="{colour}"/>')
        out.append(f'<text x="{lx + 14:.1f}" y="{ly}">{escape(name)}</text>')
        lx += 28 + FONT_SIZE * len(name)
    out.append("</svg>")
    return "\n".join(out)


# --- PNG -----------------------------------------------------------------------------------------


def png(chart: BarChart, scale: int = 3) -> bytes:
    """The chart as a PNG at ``scale`` times the SVG's size (sharp when Word prints it)."""
    s = scale
    image = Image.new("RGB", (WIDTH * s, chart.height * s), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font_file(FONT_FAMILY), FONT_SIZE * s)
    bold = ImageFont.truetype(cjk_font_file(FONT_FAMILY), 13 * s)
    small = ImageFont.truetype(cjk_font_file(FONT_FAMILY), 10 * s)
    draw.text((WIDTH * s / 2, 16 * s), chart.title, fill="black", font=bold, anchor="ms")
    x0 = LABEL_W
    for i, row in enumerate(chart.rows):
        mid = TOP + i * ROW_H + ROW_H / 2
        draw.text(((x0 - 6) * s, mid * s), _short(row.label), fill="black", font=font, anchor="rm")
        top, bottom = (mid - BAR_H / 2) * s, (mid + BAR_H / 2) * s
        draw.rectangle((x0 * s, top, (x0 + BAR_W) * s, bottom), fill="#f1f3f5")
        x = float(x0)
        for seg in row.segments:
            w = BAR_W * seg.value / chart.scale if chart.scale else 0
            if w <= 0:
                continue
            draw.rectangle((x * s, top, (x + w) * s, bottom), fill=seg.colour)
            x += w
        draw.text(((x0 + BAR_W + 6) * s, mid * s), row.note, fill="black", font=font, anchor="lm")
    if chart.reference is not None:
        rx = (x0 + BAR_W * chart.reference / chart.scale) * s
        bottom_y = (TOP + len(chart.rows) * ROW_H) * s
        y = (TOP - 2) * s
        while y < bottom_y:
            draw.line((rx, y, rx, min(y + 4 * s, bottom_y)), fill=TARGET_LINE, width=s)
            y += 7 * s
        draw.text((rx, (TOP - 4) * s), chart.reference_label, fill="black", font=small, anchor="ms")
    ly = (chart.height - 9) * s
    lx = float(x0)
    for name, colour in chart.legend:
        draw.rectangle((lx * s, ly - 9 * s, (lx + 10) * s, ly + s), fill=colour)
        draw.text(((lx + 14) * s, ly), name, fill="black", font=font, anchor="ls")
        lx += 28 + FONT_SIZE * len(name)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
