"""The 交办单 of an issued item (reports/documents/directive_order.py) as the units read it: the
公文 head with its number 合智督〔year〕N号, the source, the requirement, the lead and co units,
the deadline and how to sign for it, in the PDF and in the Word file; refused before issuing."""

import io

import pytest
from docx import Document

from hefei_ai_zone.errors import ApplicationError
from reports.documents.registry import builder_for
from tests.documents.test_layout import ISSUER, pdf_text, squeeze

from .web_fixtures import make_item

pytestmark = pytest.mark.django_db


def test_the_order_pdf_reads_as_an_office_document(people, tmp_path) -> None:
    item = make_item(people)
    built = builder_for("directive_order").build({"directive": item.pk}, "pdf", lambda p, s: None)
    assert built.content.startswith(b"%PDF")
    assert built.filename == "合智督〔2023〕1号交办单.pdf"
    text = squeeze(pdf_text(built.content, tmp_path))
    assert ISSUER in text and "合智督〔2023〕1号" in text and "督办事项交办单" in text
    assert "张市长同志" in text and "市政府专报第12期" in text  # the source
    assert "一个月内拿出算力券兑付办法" in text  # the requirement
    assert "牵头单位：" in text and "配合单位：" in text
    assert "2023年10月10日前" in text and "5个工作日" in text  # over 国庆
    assert "2023年9月28日前" in text and "签收" in text  # the sign-in deadline
    assert "一次性反馈" in text and "办理记录" in text and "2023年9月27日" in text


def test_the_word_file_holds_the_same_head_and_sections(people) -> None:
    item = make_item(people)
    built = builder_for("directive_order").build({"directive": item.pk}, "docx", lambda p, s: None)
    doc = Document(io.BytesIO(built.content))
    texts = [p.text for p in doc.paragraphs]
    assert ISSUER in texts and "合智督〔2023〕1号" in texts and "督办事项交办单" in texts
    headings = ("一、督办事项", "二、办理要求", "三、承办单位", "四、办理时限", "五、签收与反馈")
    for heading in headings:
        assert heading in texts, heading
    assert any("牵头单位：" in t and "科" in t for t in texts)
    assert any(t.startswith("配合单位：") and "发" in t for t in texts)
    assert any("签收" in t and "2023年9月28日" in t for t in texts)
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["时间", "办理环节", "经办人", "意见"]
    assert [row.cells[1].text for row in table.rows[1:]] == ["立项", "交办"]


def test_a_draft_has_no_order_and_a_bad_id_is_named(people) -> None:
    builder = builder_for("directive_order")
    draft = make_item(people, issue=False)
    with pytest.raises(ApplicationError, match="交办后"):
        builder.parse_params({"directive": str(draft.pk)})
    with pytest.raises(ApplicationError, match="编号无效"):
        builder.parse_params({"directive": "１"})
    with pytest.raises(ApplicationError, match="没有这个督办事项"):
        builder.parse_params({"directive": "999999"})
    issued = make_item(people)
    assert builder.may_read(people["kjj_reporter"], {"directive": issued.pk})
    assert not builder.may_read(people["other_reporter"], {"directive": issued.pk})
