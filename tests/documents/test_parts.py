"""A document laid out in parts (reports.documents.layout.pdf_render_parts) reads as one: the
body and a long landscape table cut into chunks, each its own WeasyPrint document, joined with
pypdf. Page k shows "— k —" (odd pages on the right, even pages on the left), every row's text
is there once, the header row tops every page of the table, the table's pages are landscape, the
CJK fonts are embedded, the title is the document's, and the joins fall on full pages: the same
pages as the table laid out in one piece."""

import io
import re
import subprocess
from pathlib import Path

from pypdf import PdfReader

from reports.bulletins.builder import APPENDIX_HEADERS, APPENDIX_WIDTHS, Part, Table
from reports.documents.layout import Letterhead, PdfPart, pdf_render_parts

from .conftest import tool

HEAD = Letterhead(
    title="2031年第一季度督查通报", number="合智试办〔2031〕1号", recipients="各成员单位："
)
ROWS = 150


def rows() -> list[list[str]]:
    """Rows of uneven height (one to four lines of progress text), each with its own marks."""
    return [
        [
            str(i),
            f"RW-{i:04d}",
            f"第{i:04d}号任务：推动人工智能与实体经济深度融合",
            "市科技局",
            ("绿灯", "黄灯", "红灯", "未报送")[i % 4],
            "按计划推进",
            f"{i % 100}%",
            f"进展{i:04d}：" + "完成算力平台建设并投入运行，" * (1 + i % 7),
        ]
        for i in range(1, ROWS + 1)
    ]


def document(chunk_rows: int) -> bytes:
    body = PdfPart(
        "bulletins/document.html",
        {
            "parts": [
                (Part("一、总体情况", ["本季度各项任务总体按计划推进。"] * 12), ""),
                (
                    Part(
                        "二、分领域进展",
                        ["各领域重点任务灯色分布如下表所示。"],
                        table=Table(["领域", "合计"], [["算力", "3"]], [6.6, 1.7]),
                    ),
                    "",
                ),
            ]
        },
    )
    appendix = PdfPart(
        "bulletins/appendix.html",
        {
            "appendix_title": "重点任务进展情况表",
            "appendix_headers": APPENDIX_HEADERS,
            "appendix_widths": Table(APPENDIX_HEADERS, [], APPENDIX_WIDTHS).percents,
        },
        rows=rows(),
    )
    return pdf_render_parts([body, appendix], HEAD, chunk_rows=chunk_rows)


def page_texts(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "parts.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        [tool("pdftotext"), str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return ["".join(page.split()) for page in text.split("\f")[:-1]]


def number_sides(pdf: bytes, tmp_path: Path) -> list[tuple[int, str]]:
    """Each page's number and the half of the page it stands in (pdftotext -bbox)."""
    path = tmp_path / "sides.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        [tool("pdftotext"), "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    sides = []
    for page in re.findall(r"<page (.*?)</page>", html, re.S):
        width = float(re.search(r'width="([\d.]+)"', page).group(1))  # type: ignore[union-attr]
        words = re.findall(r'<word xMin="([\d.]+)"[^>]*>([^<]*)</word>', page)
        # the number is the word between the last two dashes of the page
        dashes = [i for i, (_, w) in enumerate(words) if w == "—"]
        x, number = words[dashes[-2] + 1]
        sides.append((int(number), "right" if float(x) > width / 2 else "left"))
    return sides


def test_a_long_table_in_parts_reads_as_one_document(tmp_path: Path) -> None:
    pdf = document(chunk_rows=40)
    reader = PdfReader(io.BytesIO(pdf))
    texts = page_texts(pdf, tmp_path)
    assert len(reader.pages) == len(texts) >= 6
    assert reader.metadata is not None and reader.metadata.title == HEAD.title

    # page k shows "— k —", odd pages on the right, even pages on the left
    sides = number_sides(pdf, tmp_path)
    assert [n for n, _ in sides] == list(range(1, len(texts) + 1))
    assert all(side == ("right" if n % 2 else "left") for n, side in sides)
    for k, text in enumerate(texts, 1):
        assert f"—{k}—" in text, k

    # the body on portrait pages, the table on landscape pages with its header on every page
    body_pages = [i for i, t in enumerate(texts) if "附件" not in t and "RW-" not in t]
    table_pages = [i for i, t in enumerate(texts) if "RW-" in t]
    assert body_pages == list(range(len(body_pages))) and len(body_pages) >= 1
    assert table_pages == list(range(len(body_pages), len(texts)))
    assert "一、总体情况" in texts[0] and HEAD.number in texts[0]
    assert "附件" in texts[table_pages[0]] and "重点任务进展情况表" in texts[table_pages[0]]
    for i in body_pages:
        box = reader.pages[i].mediabox
        assert box.width < box.height
    for i in table_pages:
        box = reader.pages[i].mediabox
        assert box.width > box.height
        assert all(h in texts[i] for h in APPENDIX_HEADERS), i  # the header row

    # every row once, in order, and the rows cut into more than three chunks
    joined = "".join(texts)
    positions = []
    for i in range(1, ROWS + 1):
        assert joined.count(f"RW-{i:04d}") == 1, i
        assert joined.count(f"进展{i:04d}：") == 1, i
        positions.append(joined.index(f"RW-{i:04d}"))
    assert positions == sorted(positions)


def test_the_joins_fall_on_full_pages(tmp_path: Path) -> None:
    """Chunks of 40 rows give the very pages of the document laid out in one piece: each chunk's
    partly filled last page is left to the next chunk, so no page ends early at a join."""
    in_parts = page_texts(document(chunk_rows=40), tmp_path)
    in_one_piece = page_texts(document(chunk_rows=10_000), tmp_path)
    assert in_parts == in_one_piece


def test_the_joined_pdf_embeds_cjk_fonts_and_stays_small(tmp_path: Path) -> None:
    pdf = document(chunk_rows=40)
    path = tmp_path / "fonts.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(
        [tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    rows_ = [line.split() for line in listing.splitlines()[2:]]
    cjk = [r for r in rows_ if "CJK" in r[0]]
    assert cjk and all(r[-5] == "yes" for r in cjk), listing  # emb
    # each part brings its own subsets of the faces, each subset under a name of its own
    assert len(cjk) > len({r[0].split("+")[-1] for r in cjk})
    assert len({r[0] for r in cjk}) == len(cjk), listing
    # the joined file grows by the pieces' own font subsets only (~125 KB a piece here)
    pieces = sum(1 for r in cjk if r[0].endswith("+Noto-Sans-CJK-SC"))
    assert pieces == 5  # the body and 150 rows in chunks of 40 (rows carried: 4 pieces)
    one_piece = document(chunk_rows=10_000)
    assert len(pdf) - len(one_piece) < 200_000 * (pieces - 1)


def test_a_table_that_fits_in_one_part_keeps_the_document_in_one_piece(tmp_path: Path) -> None:
    """150 rows in parts of 150: one WeasyPrint document, each face embedded once."""
    path = tmp_path / "whole.pdf"
    path.write_bytes(document(chunk_rows=ROWS))
    listing = subprocess.run(
        [tool("pdffonts"), str(path)], capture_output=True, check=True, text=True
    ).stdout
    faces = [line.split()[0].split("+")[-1] for line in listing.splitlines()[2:]]
    assert faces and len(faces) == len(set(faces)), listing
    texts = page_texts(path.read_bytes(), tmp_path)
    assert texts == page_texts(document(chunk_rows=40), tmp_path)
