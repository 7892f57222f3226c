"""The 红黄榜 (kind ``red_yellow_list``): the best units of a year's published ranking (红榜) and
the worst (黄榜), as a document in the 公文 layout, PDF and Word. From the published ranking only:
what the office publishes is what the list says, whatever the rules or data later. Ties are
kept together: a list takes every unit ranked within its first ``LIST_SIZE`` places (红榜: rank
≤ 5; 黄榜: the last five places counted from the bottom, every unit sharing the fifth-worst
score included), so a list may hold more than five units, never splits a 并列."""

from collections.abc import Mapping
from typing import Any

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError
from reports.documents.layout import Letterhead, WordDocument, chinese_date, pdf_render
from reports.documents.registry import CONTENT_TYPES, Builder, BuiltFile, Progress, register
from units.models import User
from units.permissions import is_leader

from .permissions import can_manage
from .selectors import publication_for
from .years import parse_year

KIND = "red_yellow_list"
LIST_SIZE = 5
HEADERS = ["名次", "单位", "得分"]


def lists(rows: list[dict[str, Any]], size: int = LIST_SIZE) -> tuple[list[dict], list[dict]]:
    """(红榜, 黄榜) of ranked rows; ties kept together. With fewer than twice ``size`` units the
    lists would overlap: the 黄榜 then keeps only units not on the 红榜."""
    ranked = sorted(rows, key=lambda r: (r["rank"], r["unit"]))
    red = [r for r in ranked if r["rank"] <= size]
    if len(ranked) <= size:
        return red, []
    cutoff = sorted(r["score"] for r in ranked)[size - 1]  # the fifth-worst score
    yellow = [r for r in reversed(ranked) if r["score"] <= cutoff and r not in red]
    return red, yellow


def parse_params(raw: Mapping[str, str]) -> dict[str, Any]:
    year = parse_year(raw.get("year"))
    if publication_for(year) is None:
        message = f"{year}年度督查考核结果尚未发布，发布后才能生成红黄榜。"
        raise ApplicationError(message, {"fields": {"year": [message]}})
    return {"year": str(year)}


def may_request(user: User, params: dict[str, Any]) -> bool:
    return can_manage(user)


def may_read(user: User, params: dict[str, Any]) -> bool:
    return can_manage(user) or is_leader(user)


def describe(params: dict[str, Any]) -> str:
    return f"{params.get('year', '')}年度督查考核红黄榜"


def table(rows: list[dict[str, Any]]) -> list[list[str]]:
    return [[r["rank_label"], r["unit"], f"{r['score']:.1f}"] for r in rows]


def build(params: dict[str, Any], fmt: str, progress: Progress) -> BuiltFile:
    progress(10, "读取已发布的考核结果")
    year = int(params["year"])
    publication = publication_for(year)
    if publication is None:
        raise ApplicationError(f"{year}年度督查考核结果尚未发布。")
    red, yellow = lists(publication.rows)
    head = Letterhead(
        title=f"{year}年度督查考核红黄榜",
        date=clock.local_date(publication.published_at),
        recipients="各成员单位：",
    )
    rules = publication.rules
    version = f"第{rules['version']}版" if rules.get("version") else "默认细则"
    opening = (
        f"根据{year}年度督查考核细则（{version}），经领导小组办公室考核，现将{year}年度督查考核"
        f"红黄榜公布如下。考核数据截至{chinese_date(publication.as_of)}，"
        "得分相同的单位并列同一名次。"
    )
    closing = "望红榜单位再接再厉，黄榜单位对照问题认真整改，确保各项任务按期完成。"
    filename = f"{year}年度督查考核红黄榜.{fmt}"
    progress(40, "排版")
    if fmt == "pdf":
        context = {
            "opening": opening,
            "closing": closing,
            "headers": HEADERS,
            "red": table(red),
            "yellow": table(yellow),
        }
        content = pdf_render("documents/red_yellow_list.html", context, head)
    else:
        doc = WordDocument(head)
        doc.paragraph(opening)
        doc.heading("一、红榜")
        doc.table(HEADERS, table(red), widths_cm=[2.5, 9.6, 3.5])
        doc.heading("二、黄榜")
        doc.table(HEADERS, table(yellow), widths_cm=[2.5, 9.6, 3.5])
        doc.paragraph(closing)
        doc.signature()
        content = doc.to_bytes()
    progress(90, "写入文件")
    return BuiltFile(filename=filename, content=content, content_type=CONTENT_TYPES[fmt])


register(
    Builder(
        kind=KIND,
        label="督查考核红黄榜",
        formats=("pdf", "docx"),
        parse_params=parse_params,
        may_request=may_request,
        may_read=may_read,
        build=build,
        describe=describe,
    )
)
