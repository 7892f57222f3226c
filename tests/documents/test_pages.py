"""The pages of documents as each reader meets them: who may request, follow and download a
build (the document's own rule: the 督办单's readers, the report's readers), the list of kept
builds, the progress page that polls while a build runs, the reason of a failure, the download
with its Chinese file name, the buttons on the order's and the report's pages, the menu."""

from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.documents.models import BuildState, DocumentBuild
from reports.documents.services import build_claim, build_progress, build_request, build_run
from tasks.reporting import services as report_svc
from tests.permission_matrix import client_as
from tests.plan.factories import assignment_of

pytestmark = pytest.mark.django_db

USERS = ("anon", "other_reporter", "kjj_reporter", "office", "leader")


def as_(people, who):
    return client_as(None if who == "anon" else people[who], page=True)


def order_build(people, order, fmt="pdf", run=True) -> DocumentBuild:
    build = build_request(
        user=people["office"], kind="supervision_order", params={"order": str(order.pk)}, fmt=fmt
    )
    if run:
        build_run(build_id=build.pk)
        build.refresh_from_db()
    return build


@pytest.mark.parametrize(
    ("page", "codes"),
    [
        ("detail", (302, 404, 200, 200, 200)),
        ("status", (302, 404, 200, 200, 200)),
        ("download", (302, 404, 200, 200, 200)),
    ],
)
def test_who_may_follow_and_download_a_supervision_order_build(
    people, order, media, page, codes
) -> None:
    build = order_build(people, order)
    url = reverse(f"documents:build-{page}", args=[build.pk])
    for who, code in zip(USERS, codes, strict=True):
        response = as_(people, who).get(url)
        assert response.status_code == code, (who, page)
        if code == 302:
            assert response["Location"].startswith(reverse("login"))


def test_who_may_request_a_supervision_order(people, order) -> None:
    url = reverse("documents:build-request")
    body = {"kind": "supervision_order", "format": "pdf", "order": str(order.pk)}
    expected = {"anon": 302, "other_reporter": 403, "kjj_reporter": 302, "office": 302}
    expected["leader"] = 302
    for who in USERS:
        before = DocumentBuild.objects.count()
        response = as_(people, who).post(url, body)
        assert response.status_code == expected[who], who
        if who in ("anon", "other_reporter"):
            assert DocumentBuild.objects.count() == before  # a refusal writes nothing
    build = DocumentBuild.objects.get()  # everyone allowed joined the one build
    assert build.requested_by == people["kjj_reporter"]
    response = as_(people, "office").post(url, body)
    assert response["Location"] == reverse("documents:build-detail", args=[build.pk])


def test_a_report_build_follows_who_may_see_the_report(people, period, media) -> None:
    report = report_svc.report_start(
        actor=people["kjj_reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="已完成模型框架设计。",
    )
    url = reverse("documents:build-request")
    body = {"kind": "report", "format": "pdf", "report": str(report.pk)}
    # a draft: its own unit and the office only (the leader and the co-unit see it once submitted)
    codes = {"other_reporter": 403, "fgw_reporter": 403, "leader": 403}
    codes |= {"kjj_reporter": 302, "kjj_approver": 302, "office": 302, "admin": 302}
    for who, code in codes.items():
        assert as_(people, who).post(url, body).status_code == code, who
    build = DocumentBuild.objects.get()
    task = report.assignment.task
    assert task is not None
    assert build.title == f"市科技局 · 2021年第三季度 · 任务 {task.code} 进展报告"
    assert build_run(build_id=build.pk) == "done"
    download = reverse("documents:build-download", args=[build.pk])
    assert as_(people, "leader").get(download).status_code == 404
    report_svc.report_submit(actor=people["kjj_reporter"], report=report)
    assert as_(people, "leader").get(download).status_code == 200
    assert as_(people, "fgw_reporter").get(download).status_code == 200
    assert as_(people, "other_reporter").get(download).status_code == 404


def test_the_download_names_the_file_in_chinese(people, order, media) -> None:
    build = order_build(people, order)
    response = as_(people, "kjj_reporter").get(reverse("documents:build-download", args=[build.pk]))
    name = "督办〔2023〕1号督办单（市科技局）.pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_build_page_polls_while_running_and_offers_the_file_when_done(
    people, order, media
) -> None:
    build = order_build(people, order, run=False)
    client = as_(people, "office")
    page = client.get(reverse("documents:build-detail", args=[build.pk])).content.decode()
    status_url = reverse("documents:build-status", args=[build.pk])
    assert f'hx-get="{status_url}"' in page and 'hx-trigger="every 1s"' in page
    assert "排队中" in page and "vendor/htmx/htmx.min.js" in page
    claimed = build_claim(build_id=build.pk).build
    assert claimed is not None
    build_progress(build=claimed, percent=40, stage="排版")
    partial = client.get(status_url).content.decode()
    assert 'aria-valuenow="40"' in partial and "doc-w-40" in partial and "排版" in partial
    assert "data-download" not in partial
    DocumentBuild.objects.filter(pk=build.pk).update(state=BuildState.QUEUED)
    build_run(build_id=build.pk)
    partial = client.get(status_url).content.decode()
    assert "hx-trigger" not in partial  # done: the polling stops
    assert "data-download" in partial and "下载 PDF" in partial


def test_a_failed_build_shows_its_reason(people, order, media) -> None:
    build = order_build(people, order, run=False)
    order.delete()
    build_run(build_id=build.pk)
    page = as_(people, "office").get(reverse("documents:build-detail", args=[build.pk]))
    html = page.content.decode()
    assert "生成失败" in html and "这份督办单已不存在。" in html and "data-download" not in html
    listing = as_(people, "office").get(reverse("documents:build-list")).content.decode()
    assert "失败" in listing


def test_the_list_shows_what_each_reader_may_read_newest_first(people, order, media) -> None:
    pdf = order_build(people, order)
    docx = order_build(people, order, fmt="docx")
    office = as_(people, "office").get(reverse("documents:build-list")).content.decode()
    assert office.index(f'data-build="{docx.pk}"') < office.index(f'data-build="{pdf.pk}"')
    assert "督办〔2023〕1号（市科技局）" in office and "Word" in office and "下载" in office
    own = as_(people, "kjj_reporter").get(reverse("documents:build-list")).content.decode()
    assert f'data-build="{pdf.pk}"' in own
    other = as_(people, "other_reporter").get(reverse("documents:build-list")).content.decode()
    assert "data-build=" not in other and "还没有生成过文件" in other


def test_the_list_takes_the_same_queries_at_two_sizes(people, order, media) -> None:
    def queries() -> int:
        client = as_(people, "office")
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("documents:build-list")).status_code == 200
        return len(ctx.captured_queries)

    def add(n: int) -> None:
        for i in range(n):
            DocumentBuild.objects.create(
                kind="supervision_order",
                fmt="pdf",
                key=f"k{DocumentBuild.objects.count()}-{i}",
                params={"order": order.pk},
                title="督办〔2023〕1号（市科技局）",
                state=BuildState.DONE,
                requested_by=people["kjj_reporter"],
            )

    add(3)
    small = queries()
    add(30)
    assert queries() == small


def test_a_bad_request_comes_back_with_the_reason(people, order) -> None:
    back = reverse("supervision:order-detail", args=[order.pk])
    body = {"kind": "supervision_order", "format": "xlsx", "order": str(order.pk), "next": back}
    response = as_(people, "office").post(reverse("documents:build-request"), body, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "督办单只能生成 PDF、Word 格式。" in response.content.decode()
    assert not DocumentBuild.objects.exists()


def test_an_htmx_request_is_sent_to_the_build_page(people, order) -> None:
    body = {"kind": "supervision_order", "format": "docx", "order": str(order.pk)}
    response = as_(people, "office").post(
        reverse("documents:build-request"), body, HTTP_HX_REQUEST="true"
    )
    build = DocumentBuild.objects.get()
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("documents:build-detail", args=[build.pk])


def test_the_order_and_report_pages_carry_the_buttons(people, order, period) -> None:
    html = (
        as_(people, "kjj_reporter")
        .get(reverse("supervision:order-detail", args=[order.pk]))
        .content.decode()
    )
    assert 'data-document-kind="supervision_order"' in html
    assert "生成 PDF" in html and "生成 Word" in html
    assert f'name="order" value="{order.pk}"' in html
    report = report_svc.report_start(
        actor=people["kjj_reporter"],
        assignment=assignment_of(1, "市科技局"),
        period=period,
        status="on_track",
        percent=40,
        narrative="已完成模型框架设计。",
    )
    html = (
        as_(people, "kjj_reporter")
        .get(reverse("reporting:report-detail", args=[report.pk]))
        .content.decode()
    )
    assert 'data-document-kind="report"' in html and "下载 PDF" in html
    assert "生成 Word" not in html  # the report is PDF only
    assert 'href="/static/css/report-print.css" media="print"' in html and "data-print" in html


def test_the_menu_has_documents_for_the_office_and_leaders(people) -> None:
    link = f'href="{reverse("documents:build-list")}"'
    for who, shown in (("office", True), ("leader", True), ("kjj_reporter", False)):
        html = as_(people, who).get(reverse("supervision:order-list")).content.decode()
        assert (link in html) is shown, who


def test_the_request_buttons_post_the_params_of_any_document(rf, people) -> None:
    from django.template.loader import render_to_string

    request = rf.get("/bulletins/2021Q3/")
    request.user = people["office"]
    html = render_to_string(
        "documents/_request_buttons.html",
        {"kind": "bulletin", "params": {"period": "2021Q3"}, "formats": "xlsx,pdf,docx"},
        request=request,
    )
    assert html.count('name="kind" value="bulletin"') == 3
    assert html.count('name="period" value="2021Q3"') == 3
    for fmt, label in (("pdf", "生成 PDF"), ("docx", "生成 Word"), ("xlsx", "生成 Excel")):
        assert f'name="format" value="{fmt}"' in html and label in html
    assert html.count('name="next" value="/bulletins/2021Q3/"') == 3
    assert html.count(f'action="{reverse("documents:build-request")}"') == 3
