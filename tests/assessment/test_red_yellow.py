"""The 红黄榜 from the published ranking: its lists keep ties together; the PDF's text
(pdftotext) and the Word file read back."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from hefei_ai_zone.errors import ApplicationError
from reports.assessment import services as svc
from reports.assessment.red_yellow import lists
from reports.documents.registry import builder_for

from .conftest import RULES_2025
from .test_scoring import numbers


def ranked(scores: dict[str, float]) -> list[dict]:
    from reports.assessment.rules import rank

    return rank([{"unit": u, "score": s} for u, s in scores.items()])


def test_the_lists_keep_ties_together():
    scores: dict[str, float] = {f"单位{i:02d}": 100.0 - i for i in range(12)}  # 100 … 89
    rows = ranked(scores | {"单位甲": 96, "单位乙": 93})
    red, yellow = lists(rows)
    # 100, 99, 98, 97, 96 (two units at 96, 并列5): six on the 红榜
    assert [r["rank_label"] for r in red] == ["1", "2", "3", "4", "并列5", "并列5"]
    # the five lowest places from the bottom: 89, 90, 91, 92, then 93 twice (并列): six units
    assert [r["score"] for r in yellow] == [89, 90, 91, 92, 93, 93]
    assert not {r["unit"] for r in red} & {r["unit"] for r in yellow}


def test_a_year_not_published_has_no_list(small):
    with pytest.raises(ApplicationError) as error:
        builder_for("red_yellow_list").parse_params({"year": "2025"})
    assert "尚未发布" in error.value.message


def pdf_text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "list.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(
        [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-layout", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return "".join(out.split())


def test_the_pdf_and_the_word_file_say_the_published_ranking(small, people, tmp_path):
    svc.rules_create(actor=people["office"], year=2025, values=numbers(RULES_2025))
    svc.assessment_publish(actor=people["office"], year=2025)
    builder = builder_for("red_yellow_list")
    params = builder.parse_params({"year": "2025"})
    pdf = builder.build(params, "pdf", lambda p, s: None)
    assert pdf.filename == "2025年度督查考核红黄榜.pdf"
    text = pdf_text(pdf.content, tmp_path)
    assert "2025年度督查考核红黄榜" in text and "一、红榜" in text and "二、黄榜" in text
    assert "1乙局86.0" in text and "2甲局61.5" in text and "3丙局48.0" in text
    assert "第1版" in text

    docx = builder.build(params, "docx", lambda p, s: None)
    doc = Document(io.BytesIO(docx.content))
    texts = [p.text for p in doc.paragraphs]
    assert "2025年度督查考核红黄榜" in texts and "一、红榜" in texts
    red = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert red == [["名次", "单位", "得分"], ["1", "乙局", "86.0"], ["2", "甲局", "61.5"],
                   ["3", "丙局", "48.0"]]  # fmt: skip
    assert [[c.text for c in row.cells] for row in doc.tables[1].rows] == [["名次", "单位", "得分"]]
