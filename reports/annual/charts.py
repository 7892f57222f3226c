"""The annual report's one chart, drawn twice from the same numbers: SVG for the PDF (vector,
WeasyPrint draws it as paths and text) and PNG for Word (Pillow, with the CJK font fontconfig
finds). A column per quarter, the plan's tasks stacked by light. Colours as the bulletin's."""

import io
from dataclasses import dataclass
from html import escape

from PIL import Image, ImageDraw, ImageFont

from reports.documents.fonts import cjk_font_file

FONT_FAMILY = "Noto Sans CJK SC"
LIGHTS = ("green", "yellow", "red", "grey")
COLOURS = {"green": "#2e9d57", "yellow": "#e6a700", "red": "#d23c3c", "grey": "#a7adb5"}
NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "grey": "未报送"}
WIDTH, HEIGHT = 600, 300
LEFT, TOP, BOTTOM = 50, 34, 60  # the plot area's margins
BAR = 70


@dataclass(frozen=True)
class Column:
    label: str  # 第一季度
    counts: dict[str, int]  # light → tasks


def _geometry(columns: list[Column]) -> tuple[float, float, int]:
    """(pitch between columns, pixels per task, the axis maximum)."""
    top = max((sum(c.counts.values()) for c in columns), default=0) or 1
    pitch = (WIDTH - LEFT - 20) / max(len(columns), 1)
    return pitch, (HEIGHT - TOP - BOTTOM) / top, top


def _segments(columns: list[Column]) -> list[tuple[float, float, float, float, str, int]]:
    """(x, y, w, h, light, n) of every coloured block, bottom up: green, yellow, red, grey."""
    pitch, unit, _top = _geometry(columns)
    out = []
    for i, column in enumerate(columns):
        x = LEFT + i * pitch + (pitch - BAR) / 2
        y = float(HEIGHT - BOTTOM)
        for light in LIGHTS:
            n = column.counts.get(light, 0)
            if n <= 0:
                continue
            h = n * unit
            y -= h
            out.append((x, y, float(BAR), h, light, n))
    return out


def svg(title: str, columns: list[Column]) -> str:
    pitch, _unit, top = _geometry(columns)
    base = HEIGHT - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}"'
        f' height="{HEIGHT}" font-family="{FONT_FAMILY}, sans-serif" font-size="12">',
        f'<text x="{WIDTH / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">'
        f"{escape(title)}</text>",
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#333"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end">{top}</text>',
        f'<text x="{LEFT - 6}" y="{base + 4}" text-anchor="end">0</text>',
    ]
    for x, y, w, h, light, n in _segments(columns):
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}"'
            f' fill="{COLOURS[light]}"/>'
        )
        if h >= 14:
            parts.append(
                f'<text x="{x + w / 2:.1f}" y="{y + h / 2 + 4:.1f}" text-anchor="middle"'
                f' fill="#fff">{n}</text>'
            )
    for i, column in enumerate(columns):
        cx = LEFT + i * pitch + pitch / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{base + 18}" text-anchor="middle">{escape(column.label)}</text>'
        )
    lx = float(LEFT)
    for light in LIGHTS:
        parts.append(
            f'<rect x="{lx:.1f}" y="{HEIGHT - 22}" width="12" height="12" fill="{COLOURS[light]}"/>'
        )
        parts.append(f'<text x="{lx + 16:.1f}" y="{HEIGHT - 12}">{NAMES[light]}</text>')
        lx += 90
    parts.append("</svg>")
    return "\n".join(parts)


def png(title: str, columns: list[Column], scale: int = 3) -> bytes:
    s = scale
    image = Image.new("RGB", (WIDTH * s, HEIGHT * s), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(cjk_font_file(FONT_FAMILY), 12 * s)
    bold = ImageFont.truetype(cjk_font_file(FONT_FAMILY), 14 * s)
    pitch, _unit, top = _geometry(columns)
    base = HEIGHT - BOTTOM
    draw.text((WIDTH * s / 2, 18 * s), title, fill="black", font=bold, anchor="ms")
    draw.line((LEFT * s, base * s, (WIDTH - 10) * s, base * s), fill="#333333", width=s)
    draw.text(((LEFT - 6) * s, (TOP + 4) * s), str(top), fill="black", font=font, anchor="rs")
    draw.text(((LEFT - 6) * s, (base + 4) * s), "0", fill="black", font=font, anchor="rs")
    for x, y, w, h, light, n in _segments(columns):
        draw.rectangle((x * s, y * s, (x + w) * s, (y + h) * s), fill=COLOURS[light])
        if h >= 14:
            draw.text(
                ((x + w / 2) * s, (y + h / 2) * s), str(n), fill="white", font=font, anchor="mm"
            )
    for i, column in enumerate(columns):
        cx = LEFT + i * pitch + pitch / 2
        draw.text((cx * s, (base + 18) * s), column.label, fill="black", font=font, anchor="ms")
    lx = float(LEFT)
    for light in LIGHTS:
        draw.rectangle(
            (lx * s, (HEIGHT - 22) * s, (lx + 12) * s, (HEIGHT - 10) * s), fill=COLOURS[light]
        )
        draw.text(
            ((lx + 16) * s, (HEIGHT - 12) * s), NAMES[light], fill="black", font=font, anchor="ls"
        )
        lx += 90
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
