"""年度报告与台账 (/annual/) and its requests through the document builds: who may see the page
and request the annual export (office, leader; not a unit's reporter; not anonymous), a bad year
refused with nothing queued, and a requested build run to the end gives the workbook."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook  # type: ignore[import-untyped]

from reports.documents.models import DocumentBuild
from reports.documents.services import build_run
from tests.permission_matrix import client_as
from tests.units.factories import make_user
from units.models import Role, User

USERS = ("office", "leader", "reporter", "anonymous")


@pytest.fixture
def accounts(db: None) -> dict[str, User | None]:
    return {
        "office": make_user("office", Role.OFFICE),
        "leader": make_user("leader", Role.LEADER, None),
        "reporter": make_user("kjj_reporter", Role.REPORTER, "市科技局"),
        "anonymous": None,
    }


@pytest.mark.parametrize(
    ("who", "status"), [("office", 200), ("leader", 200), ("reporter", 403), ("anonymous", 302)]
)
def test_the_annual_page_is_for_the_office_and_leaders(year2021, accounts, who, status):
    response = client_as(accounts[who], page=True).get("/annual/")
    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        for year in (2020, 2021, 2022, 2023):
            assert f'data-year="{year}"' in html
        assert html.count('name="kind" value="annual"') == 4 * 3  # Excel, PDF, Word per year
        assert "生成 Excel" in html and "生成 Word" in html
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("office", True), ("leader", True), ("reporter", False), ("anonymous", False)],
)
def test_requesting_the_annual_export(year2021, accounts, who, allowed):
    client = client_as(accounts[who], page=True)
    body = {"kind": "annual", "format": "xlsx", "year": "2021"}
    response = client.post("/documents/request/", body)
    builds = DocumentBuild.objects.filter(kind="annual")
    if allowed:
        build = builds.get()
        assert response.status_code == 302
        assert response["Location"] == f"/documents/{build.pk}/"
        assert build.params == {"year": 2021} and build.fmt == "xlsx"
        assert client.post("/documents/request/", body)["Location"] == response["Location"]
        assert builds.count() == 1  # the running build is joined
    else:
        assert response.status_code in (302, 403)
        if who == "anonymous":
            assert response["Location"].startswith("/accounts/login/")
        else:
            assert response.status_code == 403
        assert not builds.exists()


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"year": "2019", "format": "xlsx"}, "2019年不在当前实施方案"),
        ({"year": "二〇二一", "format": "pdf"}, "四位数字"),
        ({"year": "2021", "format": "csv"}, "只能生成"),
    ],
)
def test_a_bad_year_or_format_is_refused_in_chinese_and_nothing_is_queued(
    year2021, accounts, params, words
):
    client = client_as(accounts["office"], page=True)
    response = client.post("/documents/request/", {"kind": "annual", **params}, follow=True)
    assert words in response.content.decode()
    assert not DocumentBuild.objects.exists()


def test_a_requested_workbook_is_built_and_downloaded(year2021, accounts):
    client: Client = client_as(accounts["leader"], page=True)
    client.post("/documents/request/", {"kind": "annual", "format": "xlsx", "year": "2021"})
    build = DocumentBuild.objects.get(kind="annual")
    build_run(build_id=build.pk)
    build.refresh_from_db()
    assert build.state == "done", build.error
    assert build.filename == "2021年度督查督办工作台账.xlsx"
    response = client.get(f"/documents/{build.pk}/download/")
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.getvalue()))
    assert wb.sheetnames[0] == "主要任务分工"
    page = client.get("/annual/").content.decode()
    assert f'href="/documents/{build.pk}/download/"' in page
    reporter = client_as(accounts["reporter"], page=True)
    assert reporter.get(f"/documents/{build.pk}/download/").status_code in (403, 404)
