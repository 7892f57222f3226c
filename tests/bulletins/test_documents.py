"""The bulletin as a document: the PDF's text (pdftotext) holds the headings, the units and the
tasks, its fonts are embedded CJK fonts, its charts are vector (no image in it); the .docx opens
with python-docx with the same headings and tables and the charts as inline pictures."""

import io
from pathlib import Path

import pytest
from docx import Document

from reports.bulletins.builder import BULLETIN
from reports.bulletins.selectors import bulletin_content
from tasks.models import ReportingPeriod, Task
from tests.bulletins.tools import run

pytestmark = pytest.mark.django_db

HEADINGS = (
    "一、总体情况",
    "二、分领域进展",
    "三、单位排名",
    "四、滞后任务",
    "五、未按时报送单位",
    "六、示范工程",
    "七、目标指标",
    "八、督办事项办理情况",
    "九、工作要求",
)


def build(period: ReportingPeriod, fmt: str) -> bytes:
    stages: list[tuple[int, str]] = []
    built = BULLETIN.build(
        BULLETIN.parse_params({"period": period.code}), fmt, lambda p, s: stages.append((p, s))
    )
    assert stages and all(0 <= p <= 100 for p, _ in stages)
    assert built.filename == f"{period.label}督查通报（草稿）.{fmt}"
    return built.content


@pytest.fixture
def pdf(period: ReportingPeriod, tmp_path: Path) -> Path:
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(build(period, "pdf"))
    return path


def test_the_pdf_holds_the_headings_units_and_tasks(period: ReportingPeriod, pdf: Path) -> None:
    text = "".join(run("pdftotext", "-layout", str(pdf), "-").split())
    for heading in (*HEADINGS, "附件", "重点任务进展情况表", "2021年第三季度督查通报"):
        assert heading in text
    assert "合肥国家新一代人工智能创新发展试验区建设工作领导小组办公室" in text
    for unit in ("市科技局", "市经信局", "包河区政府"):
        assert unit in text
    content = bulletin_content(period)
    lagging = content["lagging"][0]
    assert lagging["code"] in text
    first_task = Task.objects.get(plan=period.plan, seq=1)
    assert "".join(first_task.content.split())[:12] in text
    assert "并列" in text  # the ranking's shared ranks


def test_the_pdf_embeds_cjk_fonts_and_draws_the_charts_as_vectors(pdf: Path) -> None:
    fonts = run("pdffonts", str(pdf)).splitlines()[2:]
    cjk = [line for line in fonts if "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # emb
    images = run("pdfimages", "-list", str(pdf)).splitlines()[2:]
    assert images == []  # the two charts are paths and text, not pictures
    text = run("pdftotext", str(pdf), "-")
    assert "各领域任务灯色分布" in text and "目标指标完成情况" in text  # the charts' own text


def test_the_pages_are_a4_with_a_landscape_appendix(pdf: Path) -> None:
    sizes = [
        line.split(":", 1)[1].split("pts")[0].strip()
        for line in run("pdfinfo", "-f", "1", "-l", "99", str(pdf)).splitlines()
        if line.startswith("Page") and "size" in line
    ]
    assert sizes[0].startswith("595") and sizes[-1].startswith("841")


def test_the_docx_holds_the_same_headings_tables_and_charts(period: ReportingPeriod) -> None:
    doc = Document(io.BytesIO(build(period, "docx")))
    paragraphs = [p.text for p in doc.paragraphs]
    for heading in HEADINGS:
        assert heading in paragraphs
    assert "重点任务进展情况表" in paragraphs
    assert len(doc.inline_shapes) == 2  # the two charts, as pictures
    tables = doc.tables
    # 二 sections, 三 ranking, 五 missing units (there are late ones), 六 demos, 七 indicators,
    # 八 督办事项 by source, and the appendix
    assert len(tables) == 7
    appendix = tables[-1]
    assert appendix.rows[0].cells[1].text == "任务编号"
    assert len(appendix.rows) == 1 + 57
    ranking = tables[1]
    assert ranking.rows[0].cells[0].text == "名次"
    units = {row.cells[1].text for row in ranking.rows[1:]}
    assert {"市科技局", "包河区政府"} <= units
    last = doc.sections[-1]
    assert (last.page_width or 0) > (last.page_height or 0)  # the appendix is landscape
