"""The 公文 layout (GB/T 9704-2012 党政机关公文格式 as the model), for PDF and Word alike.

A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm; the issuing office's name in red
at the head, the document number (文号) centred under it, the red separator line; the title
(方正小标宋-style: Noto Serif CJK SC Bold, 22 pt), the recipients (主送), the body in
仿宋-style 16 pt (the machine has no FangSong: the family list names it first and falls back to
Noto Serif CJK SC), headings 一、 in 黑体-style and （一） in 楷体-style, page numbers "— 1 —"
(odd pages right, even pages left), the signature (落款: issuer and date).

``pdf_render`` renders a template extending ``documents/gongwen.html`` with WeasyPrint;
``pdf_render_parts`` lays out a long document in parts (the body, then a long table a few hundred
rows at a time), each its own WeasyPrint document written and freed before the next, and joins
them with pypdf into one PDF whose page numbers run on; ``WordDocument`` writes the same layout
with python-docx, editable in WPS or Word.
"""

import datetime
import gc
import hashlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from .fonts import require_cjk_fonts

RED = "D00000"

# Font names written into the .docx (what WPS and Word on the offices' machines have); the PDF's
# CSS names the same families first and falls back to the Noto CJK fonts installed here.
FONT_BODY = "仿宋"  # FangSong
FONT_HEI = "黑体"  # SimHei
FONT_KAI = "楷体"  # KaiTi
FONT_TITLE = "方正小标宋简体"  # falls back to 宋体 where it is missing
FONT_SONG = "宋体"  # SimSun: the header, the page numbers
FONT_ASCII = "Times New Roman"
FONT_FALLBACK_NOTE = (
    "字体：正文仿宋（FangSong）三号，一级标题黑体，二级标题楷体，标题方正小标宋简体；"
    "未安装时 WPS/Word 以宋体等替代，PDF 版以 Noto Serif CJK SC / Noto Sans CJK SC 排印。"
)


SIGNATURE_BREAKS = ("试验区", "委员会", "人民政府", "管委会", "办公室", "领导小组", "局", "厅")


def chinese_date(day: datetime.date) -> str:
    """2021年10月14日 (成文日期: Arabic numerals, no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class Letterhead:
    title: str  # 标题
    number: str = ""  # 文号, e.g. 合智试办〔2021〕3号 (may be empty for drafts)
    date: datetime.date | None = None  # 成文日期, printed as 2021年10月14日
    recipients: str = ""  # 主送机关, e.g. "各成员单位："
    issuer: str = ""  # "" → settings.DOCUMENT_ISSUER
    draft: bool = False  # 草稿: a grey 草稿 mark, no number required

    @property
    def issuer_name(self) -> str:
        return self.issuer or str(settings.DOCUMENT_ISSUER)

    @property
    def issuer_size_pt(self) -> float:
        """22 pt, smaller for a long name so that it stays on one line of the 156 mm type area."""
        return min(22.0, round(435 / max(len(self.issuer_name), 1) * 2) / 2)

    @property
    def signature_lines(self) -> list[str]:
        """The issuer in the signature (落款): a long name in two lines, broken after a natural
        part (试验区, 委员会, 人民政府...) nearest the middle, never inside a word."""
        name = self.issuer_name
        if len(name) <= 18:
            return [name]
        cuts = [
            m.end()
            for marker in SIGNATURE_BREAKS
            for m in re.finditer(re.escape(marker), name)
            if 4 <= m.end() <= len(name) - 4
        ]
        cut = min(cuts, key=lambda c: abs(c - len(name) / 2)) if cuts else len(name) // 2
        return [name[:cut], name[cut:]]

    @property
    def date_text(self) -> str:
        return chinese_date(self.date) if self.date else ""


def pdf_render(template_name: str, context: Mapping[str, Any], head: Letterhead) -> bytes:
    """The PDF of a template that extends "documents/gongwen.html" and fills {% block body %}."""
    require_cjk_fonts()
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy: where a PDF is made

    html = render_to_string(template_name, {**context, "head": head})
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())


@dataclass(frozen=True)
class PdfPart:
    """One part of a document laid out in parts.

    ``template_name`` extends "documents/gongwen.html"; every part but the first extends the
    first part's template, prints its table in {% block after %} and overrides
    {% block document %} with ``{% if whole %}{{ block.super }}{% endif %}``: nothing (no
    letterhead, no body, no signature) unless the document is laid out in one piece. A part with
    ``rows`` is laid out ``chunk_rows`` rows at a time: the template gets the chunk as ``rows``,
    the number of the rows before it as ``row_offset`` and ``continued`` (false for the first
    chunk, which carries the table's title), and marks each body row
    ``<tr data-row="{{ forloop.counter0 }}">`` so that a chunk's last, partly filled page is left
    to the next chunk and the joins fall on full pages."""

    template_name: str
    context: Mapping[str, Any]
    rows: Sequence[Any] = ()


def pdf_render_parts(
    parts: Iterable[PdfPart], head: Letterhead, *, chunk_rows: int | None = None
) -> bytes:
    """One PDF of documents laid out one after the other and joined (pypdf): each part starts
    its page counter where the previous one ended ("— n —" runs on, odd pages right, even pages
    left), each chunk of a long table repeats the table's header row, the fonts are embedded per
    part, and the title of the first part is the document's. ``chunk_rows``:
    settings.DOCUMENT_PDF_CHUNK_ROWS unless given.

    A document whose only table part is the last and fits in one chunk is laid out in one piece
    (the last part's template with ``whole`` and the context of every part): a second
    WeasyPrint document would cost a second set of font subsets, in time and in bytes."""
    require_cjk_fonts()
    parts = list(parts)
    chunk_rows = chunk_rows or int(settings.DOCUMENT_PDF_CHUNK_ROWS)
    if parts and all(not p.rows for p in parts[:-1]) and len(parts[-1].rows) <= chunk_rows:
        context: dict[str, Any] = {}
        for part in parts:
            context.update(part.context)
        rows = parts[-1].rows
        return pdf_render(
            parts[-1].template_name,
            {**context, "whole": True, "rows": rows, "row_offset": 0, "continued": False},
            head,
        )
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    first_page = 1
    metadata: dict[str, Any] = {}
    lang: Any = None
    pieces = 0
    for part in parts:
        for pdf, pages in _part_pdfs(part, head, first_page, chunk_rows):
            reader = PdfReader(io.BytesIO(pdf))
            if first_page == 1:
                metadata = dict((reader.metadata or {}).items())
                lang = reader.root_object.get("/Lang")
            else:
                _retag_fonts(reader, pieces)
            writer.append(reader)
            first_page += pages
            pieces += 1
    if metadata:
        writer.add_metadata(metadata)
    if lang is not None:
        writer._root_object[NameObject("/Lang")] = lang
    writer.compress_identical_objects(remove_duplicates=True, remove_unreferenced=True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _part_pdfs(
    part: PdfPart, head: Letterhead, first_page: int, chunk_rows: int
) -> Iterable[tuple[bytes, int]]:
    """The PDF bytes and page count of each WeasyPrint document of a part, its boxes freed
    before the next one is laid out."""
    from weasyprint import HTML

    base = {**part.context, "head": head}
    if not part.rows:
        doc = HTML(
            string=render_to_string(part.template_name, {**base, "first_page": first_page}),
            base_url=str(settings.BASE_DIR),
        ).render()
        pages = len(doc.pages)
        pdf = bytes(doc.write_pdf())
        del doc
        gc.collect()
        yield pdf, pages
        return
    start = 0
    total = len(part.rows)
    while start < total:
        chunk = part.rows[start : start + chunk_rows]
        html = render_to_string(
            part.template_name,
            {
                **base,
                "first_page": first_page,
                "rows": chunk,
                "row_offset": start,
                "continued": start > 0,
            },
        )
        doc = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
        used = len(chunk)
        keep = len(doc.pages)
        if start + used < total and keep > 1:
            carried = _rows_begun_on_last_page(doc.pages)
            if carried is not None and 0 < carried < used:
                used, keep = carried, keep - 1
        pdf = bytes((doc if keep == len(doc.pages) else doc.copy(doc.pages[:keep])).write_pdf())
        del doc
        gc.collect()
        yield pdf, keep
        first_page += keep
        start += used


def _rows_begun_on_last_page(pages: Sequence[Any]) -> int | None:
    """The first row (data-row) laid out on the last page, if no row runs over from the page
    before (a row taller than a page is never carried): the rows from it on go to the next
    chunk, which starts on a new page anyway."""
    last, before = _marked_rows(pages[-1]._page_box), _marked_rows(pages[-2]._page_box)
    if not last or last & before:
        return None
    return min(last)


def _retag_fonts(reader: Any, piece: int) -> None:
    """Give the font subsets of a later piece subset tags of their own (WeasyPrint derives the
    tag "ABCDEF+" from the face alone, so every piece would name its own subset of a face
    alike): one name, one font program, as the PDF specification asks and printers' drivers
    that cache fonts by name expect."""
    seen: set[int] = set()
    resources = [page.get("/Resources") for page in reader.pages]
    while resources:
        found = resources.pop()
        if found is None:
            continue
        resource = found.get_object()
        for ref in (resource.get("/Font") or {}).values():
            font = ref.get_object()
            if id(font) in seen:
                continue
            seen.add(id(font))
            for each in [font, *(f.get_object() for f in font.get("/DescendantFonts", []))]:
                _retag(each, "/BaseFont", piece)
                descriptor = each.get("/FontDescriptor")
                if descriptor is not None:
                    _retag(descriptor.get_object(), "/FontName", piece)
        for ref in (resource.get("/XObject") or {}).values():
            resources.append(ref.get_object().get("/Resources"))


def _retag(holder: Any, key: str, piece: int) -> None:
    from pypdf.generic import NameObject

    name = str(holder.get(key) or "")
    if re.fullmatch(r"/[A-Z]{6}\+.+", name):
        digest = hashlib.md5(f"{name[1:7]}{piece}".encode(), usedforsecurity=False).digest()
        tag = "".join(chr(ord("A") + b % 26) for b in digest[:6])
        holder[NameObject(key)] = NameObject(f"/{tag}{name[7:]}")


def _marked_rows(box: Any) -> set[int]:
    found: set[int] = set()
    stack = [box]
    while stack:
        current = stack.pop()
        element = getattr(current, "element", None)
        if element is not None and getattr(current, "element_tag", "") == "tr":
            marker = element.get("data-row")
            if marker is not None and marker.isascii() and marker.isdigit():
                found.add(int(marker))
                continue
        stack.extend(getattr(current, "children", ()))
    return found


# --- Word -------------------------------------------------------------------------------------


def _set_fonts(run_or_style: Any, east_asia: str, *, ascii_font: str = FONT_ASCII) -> None:
    """Name the ASCII and the East Asian font (w:rFonts w:eastAsia) of a run or a style."""
    font = run_or_style.font
    font.name = ascii_font
    rpr = run_or_style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:ascii"), ascii_font)
    rfonts.set(qn("w:hAnsi"), ascii_font)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:hint"), "eastAsia")


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    east_asia: str = FONT_BODY,
    size_pt: float = 16,
    bold: bool = False,
    color: str | None = None,
) -> Run:
    run = paragraph.add_run(text)
    _set_fonts(run, east_asia)
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _align(name: str) -> Any:
    return {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }.get(name, WD_ALIGN_PARAGRAPH.JUSTIFY)


def _bottom_border(paragraph: Paragraph, color: str = RED, size_eighths: int = 12) -> None:
    """The red separator line (版头分隔线) as the paragraph's bottom border."""
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), str(size_eighths))
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), color)
    borders.append(bottom)
    ppr.append(borders)


def _page_field(paragraph: Paragraph) -> None:
    """ "— PAGE —" with a PAGE field, 宋体 14 pt (四号)."""
    _run(paragraph, "— ", east_asia=FONT_SONG, size_pt=14)
    run = _run(paragraph, "", east_asia=FONT_SONG, size_pt=14)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1")):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run._r.append(end)
    _run(paragraph, " —", east_asia=FONT_SONG, size_pt=14)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _fixed_layout(table: Any) -> None:
    """Column widths as given (w:tblLayout fixed): Word, WPS and LibreOffice keep them."""
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def _cell_text(cell: _Cell, text: str, *, size_pt: float, bold: bool, center: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.first_line_indent = Cm(0)
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.space_after = Pt(0)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    lines = text.split("\n")
    for i, line in enumerate(lines):
        run = _run(paragraph, line, size_pt=size_pt, bold=bold)
        if i < len(lines) - 1:
            run.add_break()


class WordDocument:
    """A .docx in the 公文 layout: the same head, fonts and page numbers as the PDF."""

    def __init__(self, head: Letterhead) -> None:
        self.head = head
        self.doc = Document()
        self.doc.core_properties.title = head.title
        self.doc.core_properties.author = head.issuer_name
        self.doc.core_properties.comments = FONT_FALLBACK_NOTE
        self._styles()
        section = self.doc.sections[0]
        self._page(section, landscape=False)
        self.doc.settings.odd_and_even_pages_header_footer = True
        _page_field(self._footer_paragraph(section.footer, "right"))
        _page_field(self._footer_paragraph(section.even_page_footer, "left"))
        self._letterhead()

    # the page and the styles
    @staticmethod
    def _page(section: Any, *, landscape: bool) -> None:
        width, height = Cm(21), Cm(29.7)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = height, width
            section.top_margin, section.bottom_margin = Cm(2.8), Cm(2.6)
            section.left_margin, section.right_margin = Cm(3.7), Cm(3.5)
        else:
            section.orientation = WD_ORIENT.PORTRAIT
            section.page_width, section.page_height = width, height
            section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
            section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
        section.footer_distance = Cm(2.3)
        section.header_distance = Cm(1.5)

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        _set_fonts(normal, FONT_BODY)
        normal.font.size = Pt(16)
        fmt = normal.paragraph_format
        fmt.line_spacing = Pt(28.95)  # 22 lines to the type area
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
        for name, east_asia in (("Heading 1", FONT_HEI), ("Heading 2", FONT_KAI)):
            style = self.doc.styles[name]
            _set_fonts(style, east_asia)
            style.font.size = Pt(16)
            style.font.bold = False
            style.font.color.rgb = RGBColor(0, 0, 0)
            style.paragraph_format.space_before = Pt(0)
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.line_spacing = Pt(28.95)
            style.paragraph_format.first_line_indent = Pt(32)
            style.paragraph_format.keep_with_next = True
        self.doc.styles["Title"].font.color.rgb = RGBColor(0, 0, 0)

    def _footer_paragraph(self, footer: Any, align: str) -> Paragraph:
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = _align(align)
        indent = Pt(14)  # 空一字
        if align == "right":
            paragraph.paragraph_format.right_indent = indent
        else:
            paragraph.paragraph_format.left_indent = indent
        return paragraph

    def _center(self, text: str, **run: Any) -> Paragraph:
        paragraph = self.doc.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.first_line_indent = Cm(0)
        if text:
            _run(paragraph, text, **run)
        return paragraph

    def _letterhead(self) -> None:
        head = self.head
        if head.draft:
            mark = self._center("草　稿", east_asia=FONT_HEI, size_pt=14, color="999999")
            mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        issuer = self._center(
            head.issuer_name,
            east_asia=FONT_TITLE,
            size_pt=head.issuer_size_pt,
            bold=True,
            color=RED,
        )
        issuer.paragraph_format.line_spacing = 1.15
        self._center("")
        number = self._center(head.number, east_asia=FONT_BODY, size_pt=16)
        _bottom_border(number)
        number.paragraph_format.space_after = Pt(24)
        title = self._center(head.title, east_asia=FONT_TITLE, size_pt=22, bold=True)
        title.paragraph_format.line_spacing = Pt(36)
        title.paragraph_format.space_after = Pt(16)
        if head.recipients:
            self.paragraph(head.recipients, indent=False, align="left")

    # the content
    def heading(self, text: str, level: int = 1) -> None:
        """1: 一、 in 黑体 16 pt; 2: （一） in 楷体 16 pt."""
        paragraph = self.doc.add_paragraph(style="Heading 1" if level <= 1 else "Heading 2")
        _run(paragraph, text, east_asia=FONT_HEI if level <= 1 else FONT_KAI, size_pt=16)

    def paragraph(
        self, text: str, *, bold: bool = False, indent: bool = True, align: str = "justify"
    ) -> None:
        """仿宋 16 pt, the first line indented two characters; each line of the text its own
        paragraph (a line break inside a justified paragraph would stretch its line)."""
        for line in text.splitlines() or [""]:
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = _align(align)
            paragraph.paragraph_format.first_line_indent = Pt(32) if indent else Cm(0)
            _run(paragraph, line, bold=bold)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths_cm: Sequence[float] | None = None,
        font_size_pt: float = 10.5,
    ) -> None:
        """A bordered table whose header row repeats on each page."""
        table = self.doc.add_table(rows=1, cols=len(headers))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        header = table.rows[0]
        _repeat_header(header)
        for cell, text in zip(header.cells, headers, strict=True):
            _cell_text(cell, str(text), size_pt=font_size_pt, bold=True, center=True)
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=False):
                text = "" if value is None else str(value)
                _cell_text(cell, text, size_pt=font_size_pt, bold=False, center=False)
        if widths_cm:
            table.autofit = False
            _fixed_layout(table)
            for column, width in zip(table.columns, widths_cm, strict=False):
                column.width = Cm(width)
            for row in table.rows:
                for cell, width in zip(row.cells, widths_cm, strict=False):
                    cell.width = Cm(width)
        self.doc.add_paragraph().paragraph_format.line_spacing = Pt(8)

    def image(self, png: bytes, width_cm: float = 15.6, caption: str = "") -> None:
        paragraph = self._center("")
        paragraph.paragraph_format.line_spacing = 1.0
        paragraph.add_run().add_picture(io.BytesIO(png), width=Emu(Cm(width_cm)))
        if caption:
            self._center(caption, east_asia=FONT_KAI, size_pt=14)

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def signature(self) -> None:
        """落款: the issuer (a long name in two lines) and under it the date, right-aligned
        (右空二字)."""
        self.doc.add_paragraph()
        self.doc.add_paragraph()
        lines = [*self.head.signature_lines, self.head.date_text]
        for text in lines:
            if not text:
                continue
            paragraph = self.doc.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.first_line_indent = Cm(0)
            paragraph.paragraph_format.right_indent = Pt(32)
            _run(paragraph, text)

    def landscape_section(self) -> None:
        """What follows is on landscape A4 (wide appendix tables); page numbers continue."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._page(section, landscape=True)

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()
