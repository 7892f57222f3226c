"""The 公文 layout as a reader finds it: the PDF's text (pdftotext) has the issuing office, the
文号, the title, the recipients and the Chinese body; its CJK fonts are embedded (pdffonts); a
long table repeats its header row on every page; the .docx opens with python-docx and holds the
same head, headings and tables, names the East Asian fonts and numbers its pages."""

import io
import subprocess
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn

from reports.documents.layout import Letterhead, WordDocument
from reports.documents.registry import builder_for
from tasks.models import StepAction, SupervisionStep

from .conftest import tool

pytestmark = pytest.mark.django_db

ISSUER = "合肥国家新一代人工智能创新发展试验区建设工作领导小组办公室"


def pdf_text(pdf: bytes, tmp_path: Path, *pages: int) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    args = [tool("pdftotext"), "-layout"]
    if pages:
        args += ["-f", str(pages[0]), "-l", str(pages[-1])]
    return subprocess.run(
        [*args, str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def squeeze(text: str) -> str:
    return "".join(text.split())


def steps(progress_log: list) -> Callable[[int, str], None]:
    return lambda percent, stage: progress_log.append((percent, stage))


def east_asian_font(element: Any) -> str | None:
    """The w:eastAsia font a run or a style names (w:rPr/w:rFonts)."""
    fonts = element.find(qn("w:rPr")).find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia"))


def test_the_supervision_order_pdf_reads_as_an_office_document(order, tmp_path) -> None:
    log: list = []
    built = builder_for("supervision_order").build({"order": order.pk}, "pdf", steps(log))
    assert built.content.startswith(b"%PDF")
    assert built.content_type == "application/pdf"
    assert built.filename == "督办〔2023〕1号督办单（市科技局）.pdf"
    text = squeeze(pdf_text(built.content, tmp_path))
    assert ISSUER in text  # the red header
    assert "督办〔2023〕1号" in text  # 文号
    assert "督办单" in text  # title
    assert "合肥市科学技术局：" in text or "市科技局：" in text  # 主送
    assert "人工智能产业基金组建工作尚未完成" in text  # the body
    assert "请于2023年10月10日前" in text  # the deadline (5 working days over 国庆)
    assert "一、督办事项" in text and "二、办理要求" in text and "三、办理反馈" in text
    assert "办理记录" in text and "请补充时间节点。" in text  # the timeline
    assert "2023年9月27日" in text  # 成文日期
    assert "—1—" in text  # the page number
    assert [p for p, _ in log] == sorted(p for p, _ in log) and log[-1][0] == 90


def test_the_pdf_embeds_a_cjk_font(order, tmp_path) -> None:
    built = builder_for("supervision_order").build({"order": order.pk}, "pdf", lambda p, s: None)
    path = tmp_path / "doc.pdf"
    path.write_bytes(built.content)
    fonts = subprocess.run(
        [tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
    )
    rows = [line.split() for line in fonts.stdout.splitlines()[2:]]
    cjk = [row for row in rows if "CJK" in row[0]]
    assert cjk, fonts.stdout
    # columns: name type... emb sub uni object ID; "emb" is the 4th from the end
    assert all(row[-5] == "yes" for row in cjk), fonts.stdout
    assert any("Noto-Serif-CJK-SC" in row[0] for row in cjk)  # 仿宋-style body falls back here
    assert any("Noto-Sans-CJK-SC" in row[0] for row in cjk)  # 黑体-style headings


def test_a_long_table_repeats_its_header_on_every_page(order, tmp_path) -> None:
    day = order.issued_at
    SupervisionStep.objects.bulk_create(
        SupervisionStep(
            order=order,
            action=StepAction.ANSWER,
            comment=f"第{i}次反馈：已按要求推进落实，相关工作正在有序开展。",
            created_at=day + timedelta(hours=i),
        )
        for i in range(80)
    )
    built = builder_for("supervision_order").build({"order": order.pk}, "pdf", lambda p, s: None)
    last = pdf_text(built.content, tmp_path).count("\f")
    assert last >= 4
    for page in range(3, last + 1):
        assert "办理环节" in squeeze(pdf_text(built.content, tmp_path, page))
    assert "第79次反馈" in squeeze(pdf_text(built.content, tmp_path))


def test_the_word_file_holds_the_same_head_headings_and_table(order) -> None:
    built = builder_for("supervision_order").build({"order": order.pk}, "docx", lambda p, s: None)
    assert built.filename.endswith(".docx")
    doc = Document(io.BytesIO(built.content))
    texts = [p.text for p in doc.paragraphs]
    assert ISSUER in texts
    assert "督办〔2023〕1号" in texts and "督办单" in texts
    assert "一、督办事项" in texts and "二、办理要求" in texts
    assert any("人工智能产业基金组建工作尚未完成" in t for t in texts)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["时间", "办理环节", "经办人", "内容"]
    assert [row.cells[1].text for row in table.rows[1:]] == ["签发", "反馈", "退回"]
    header = table.rows[0]._tr.find(qn("w:trPr")).find(qn("w:tblHeader"))
    assert header is not None  # repeats on each page


def test_the_word_styles_name_the_east_asian_fonts_and_the_footer_numbers_pages() -> None:
    head = Letterhead(
        title="关于2021年第三季度督查情况的通报",
        number="合智试办〔2021〕3号",
        date=date(2021, 10, 14),
        recipients="各成员单位：",
    )
    doc = WordDocument(head)
    doc.heading("一、总体情况")
    doc.heading("（一）报送情况", level=2)
    doc.paragraph("各成员单位按时报送。")
    doc.table(["单位", "按时"], [["市科技局", "是"]])
    doc.landscape_section()
    doc.table(["序号", "任务"], [[1, "任务一"]])
    doc.signature()
    word = Document(io.BytesIO(doc.to_bytes()))
    normal = word.styles["Normal"].element
    assert east_asian_font(normal) == "仿宋"
    assert normal.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:ascii")) == "Times New Roman"
    assert word.styles["Normal"].font.size.pt == 16
    runs = {p.text: p.runs[0] for p in word.paragraphs if p.runs}
    assert east_asian_font(runs["一、总体情况"].element) == "黑体"
    assert east_asian_font(runs["（一）报送情况"].element) == "楷体"
    assert runs["关于2021年第三季度督查情况的通报"].font.bold
    assert "2021年10月14日" in runs  # the signature's date
    footer = word.sections[0].footer._element.xml
    assert "PAGE" in footer and "—" in footer
    appendix = word.sections[1]
    assert (appendix.page_width or 0) > (appendix.page_height or 0)  # landscape appendix
    assert len(word.tables) == 2
    assert "FangSong" in word.core_properties.comments  # the fallback note


def test_a_long_issuer_signs_in_two_lines_broken_after_a_natural_part() -> None:
    assert Letterhead(title="x").signature_lines == [
        "合肥国家新一代人工智能创新发展试验区",
        "建设工作领导小组办公室",
    ]
    assert Letterhead(title="x", issuer="合肥市科学技术局").signature_lines == ["合肥市科学技术局"]
