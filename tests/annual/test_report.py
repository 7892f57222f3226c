"""The annual report as PDF and Word, and the export_annual command: the PDF's text has the
headings, the units and the lagging tasks, its fonts are embedded CJK fonts; the .docx opens
with python-docx and holds the same headings and tables; the command writes every format and
refuses bad input in Chinese."""

import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from reports.annual import report
from reports.annual.selectors import annual_year
from tasks.models import ReportingPeriod
from tests.plan.factories import assignment_of

from .conftest import report as make_report

HEADINGS = [
    "一、各季度总体情况",
    "二、各任务板块灯色",
    "三、2021年目标指标完成情况",
    "四、各责任单位全年报送情况",
    "五、催办和督办情况",
    "六、年末滞后任务",
    "七、督办事项办理情况",
]


@pytest.fixture
def reported(year2021):
    """2021Q3: two reports; 2021Q4 (the year's end): task 1 滞后 with its reason."""
    make_report(year2021, assignment_of(1, "市科技局"), status="at_risk")
    make_report(year2021, assignment_of(6, "市科技局"), status="on_track")
    q4 = ReportingPeriod.objects.get(code="2021Q4")
    make_report(q4, assignment_of(1, "市科技局"), status="delayed", problems="招标延期")
    return year2021


def pdf_text(data: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "annual.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fonts = subprocess.run(
        ["pdffonts", str(path)],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return text, fonts.stdout


def test_the_pdf_reads_as_the_annual_report(reported, tmp_path):
    content = report.annual_content(annual_year(2021))
    text, fonts = pdf_text(report.pdf(content), tmp_path)
    flat = "".join(text.split())
    assert "合肥国家新一代人工智能创新发展试验区建设工作领导小组办公室" in flat
    assert "关于2021年度试验区建设任务推进情况的报告" in flat
    for heading in HEADINGS:
        assert heading in flat
    for unit in ("市科技局", "市发改委", "市司法局"):
        assert unit in flat
    assert "招标延期" in flat  # the lagging task's reason
    assert "附件" in flat and "主要任务推进情况一览表" in flat
    assert "—1—" in flat  # page numbers
    cjk = [line for line in fonts.splitlines() if "CJK" in line]
    assert cjk and all(" yes " in line for line in cjk)
    assert "2021年各季度主要任务灯色" in flat  # the chart, drawn as vector text and paths:
    images = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "annual.pdf")],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert len(images) == 2  # the list's two header lines, no picture


def test_the_appendix_joined_to_the_body_continues_its_page_numbers(reported, tmp_path, settings):
    """The body and the appendix laid out as parts of 20 rows and joined: one PDF whose page k
    shows "— k —", the appendix on landscape pages with its header row on each, every task's
    row."""
    from pypdf import PdfReader

    settings.DOCUMENT_PDF_CHUNK_ROWS = 20  # 57 tasks: the body and three pieces of the appendix

    data = report.pdf(report.annual_content(annual_year(2021)))
    pages = ["".join(page.split()) for page in pdf_text(data, tmp_path)[0].split("\f")[:-1]]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == len(pages)
    assert reader.metadata is not None
    assert reader.metadata.title == "关于2021年度试验区建设任务推进情况的报告"
    for k, page in enumerate(pages, 1):
        assert f"—{k}—" in page, k
    annex = [i for i, page in enumerate(pages) if "任务板块主要内容责任单位灯色状态" in page]
    assert annex and annex == list(range(annex[0], len(pages))) and annex[0] > 0
    assert "附件" in pages[annex[0]]
    for i, sheet in enumerate(reader.pages):
        assert (sheet.mediabox.width > sheet.mediabox.height) == (i in annex)
    text = pdf_text(data, tmp_path)[0].split("\f")
    appendix_text = re.sub(r"—\s*\d+\s*—", "", "\n".join(text[annex[0] : annex[-1] + 1]))
    numbers = {int(n) for n in re.findall(r"(?<![\d.])(\d{1,2})(?![\d.年月日%])", appendix_text)}
    assert numbers >= set(range(1, 58))  # the 序号 of the 57 tasks


def test_the_word_file_holds_the_same_headings_and_tables(reported):
    content = report.annual_content(annual_year(2021))
    doc = Document(io.BytesIO(report.docx(content)))
    paragraphs = [p.text for p in doc.paragraphs]
    for heading in HEADINGS:
        assert heading in paragraphs
    assert "关于2021年度试验区建设任务推进情况的报告" in paragraphs
    headers = [tuple(c.text for c in t.rows[0].cells) for t in doc.tables]
    assert headers[0] == report.QUARTER_HEADERS
    assert report.RECORD_HEADERS in headers and report.APPENDIX_HEADERS in headers
    record = doc.tables[headers.index(report.RECORD_HEADERS)]
    assert "市科技局" in {row.cells[0].text for row in record.rows}
    appendix = doc.tables[headers.index(report.APPENDIX_HEADERS)]
    assert len(appendix.rows) == 1 + 57
    lagging = doc.tables[headers.index(report.LAGGING_HEADERS)]
    assert "招标延期" in {row.cells[5].text for row in lagging.rows}
    assert len(doc.inline_shapes) == 1  # the chart, as a picture


def test_the_year_end_figures_are_the_dashboards(reported):
    from reports.dashboards import dashboard_data

    content = report.annual_content(annual_year(2021))
    q3 = content.quarters[2]
    data = dashboard_data(user=report.document_reader(), period=reported)
    assert q3.tasks == data["tiles"]["tasks"]
    assert q3.reports["submitted"] == 2
    assert content.year_end == "2021年第四季度"  # the plan's years lie in the past


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "docx"])
def test_the_command_writes_each_format(reported, tmp_path, fmt):
    out = tmp_path / f"annual.{fmt}"
    call_command("export_annual", "2021", "--format", fmt, "--output", str(out))
    data = out.read_bytes()
    if fmt == "pdf":
        assert data.startswith(b"%PDF")
    else:
        assert data.startswith(b"PK")  # a zip: xlsx and docx


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["2019"], "不在当前实施方案"),
        (["21"], "四位数字"),
        (["2021", "--format", "csv"], "只能是 xlsx、pdf 或 docx"),
        (["2021", "--output", "/nonexistent-folder/a.xlsx"], "不存在"),
        (["2021", "--output", "/"], "文件夹"),
    ],
)
def test_the_command_refuses_bad_input_in_chinese(year2021, args, words):
    with pytest.raises(CommandError, match=words):
        call_command("export_annual", *args)
