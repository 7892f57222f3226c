"""python manage.py build_bulletin: the file is written; Chinese errors for an unknown period,
a bad format, an unwritable path."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

pytestmark = pytest.mark.django_db


def test_the_command_writes_the_pdf_and_the_docx(demo: None, tmp_path: Path) -> None:
    out = io.StringIO()
    pdf = tmp_path / "q3.pdf"
    call_command("build_bulletin", "2021Q3", "--format", "pdf", "--output", str(pdf), stdout=out)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "已生成" in out.getvalue()
    docx = tmp_path / "q3.docx"
    call_command("build_bulletin", "2021q3", "--format", "docx", "--output", str(docx), stdout=out)
    assert "一、总体情况" in [p.text for p in Document(str(docx)).paragraphs]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["2030Q1", "--format", "pdf"], "没有报送周期“2030Q1”"),
        (["2021Q3", "--format", "xlsx"], "格式“xlsx”无效"),
        (["2021Q3", "--format", "pdf", "--output", "/nonexistent/dir/q3.pdf"], "输出目录"),
        (["2021Q3", "--format", "pdf", "--output", "/proc/q3.pdf"], "无法写入"),
    ],
)
def test_the_command_explains_bad_input(
    demo: None, tmp_path: Path, args: list[str], message: str
) -> None:
    if "--output" not in args:
        args = [*args, "--output", str(tmp_path / "x.pdf")]
    with pytest.raises(CommandError, match=message):
        call_command("build_bulletin", *args, stdout=io.StringIO())
