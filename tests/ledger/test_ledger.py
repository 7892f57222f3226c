"""The achievement ledger (成果台账): indicator values are counts of verified entries, an
identifier counts once, the same permission rules on the pages and the API, fixed query counts."""

import random
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.ledger.selectors import entries_behind, indicator_progress
from tasks.ledger.services import (
    entry_create,
    entry_reject,
    entry_update,
    entry_verify,
    identifier_normalise,
)
from tasks.models import (
    AchievementEntry,
    EntryState,
    Indicator,
    Plan,
    Section,
    Task,
)
from tasks.seed.ledger import demo_ledger_seed, patent_number
from units.models import Unit, User

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def plan() -> Plan:
    return Plan.objects.get(code="hefei-ai-2020-2023")


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)


_serial = iter(range(100000, 999999))


def record(actor: User, **kwargs: Any) -> AchievementEntry:
    """An entry through the service; a patent gets a fresh number unless one is given."""
    values: dict[str, Any] = {
        "kind": "invention_patent",
        "title": "一种远场语音识别方法及装置",
        "date": date(2021, 6, 1),
    }
    values.update(kwargs)
    if values["kind"] in ("invention_patent", "standard") and "identifier" not in values:
        values["identifier"] = patent_number(2020, next(_serial))
    return entry_create(actor=actor, plan=plan(), **values)


def verified(actor: User, office: User, **kwargs: Any) -> AchievementEntry:
    return entry_verify(actor=office, entry=record(actor, **kwargs))


def progress_of(code: str) -> dict[int, tuple[int, bool | None]]:
    for row in indicator_progress(plan()):
        if row.indicator.code == code:
            return {y.year: (y.actual, y.met) for y in row.years}
    raise AssertionError(code)


# ---------------------------------------------------------------------------------------------
# Indicator values are counts of verified entries
# ---------------------------------------------------------------------------------------------


def test_indicator_values_count_verified_entries_per_year(people) -> None:
    kjj, office = people["kjj_reporter"], people["office"]
    for _ in range(3):
        verified(kjj, office, kind="major_achievement", date=date(2021, 3, 1))
    verified(kjj, office, kind="major_achievement", domain="speech", date=date(2021, 9, 1))
    verified(kjj, office, kind="major_achievement", date=date(2022, 5, 1))

    majors = progress_of("major-achievements")
    assert majors[2020] == (0, False)
    assert majors[2021] == (4, True)  # ≥2 a year, speech ones included
    assert majors[2022] == (1, False)
    # The speech indicator counts only its domain.
    speech = progress_of("speech-achievements")
    assert speech[2021] == (1, True) and speech[2022] == (0, False)


def test_a_cumulative_indicator_counts_everything_up_to_its_year(people) -> None:
    kjj, office = people["kjj_reporter"], people["office"]
    for year in (2020, 2021, 2021, 2023):
        verified(kjj, office, kind="innovation_platform", date=date(year, 7, 1))
    platforms = progress_of("innovation-platforms")
    assert platforms[2023] == (4, False)  # 5–8 by 2023: four is short
    verified(kjj, office, kind="innovation_platform", date=date(2022, 7, 1))
    assert progress_of("innovation-platforms")[2023] == (5, True)
    indicator = Indicator.objects.get(plan=plan(), code="innovation-platforms")
    assert entries_behind(office, indicator, 2023).count() == 5
    assert entries_behind(office, indicator, 2021).count() == 3


def test_pending_and_rejected_entries_do_not_count(people) -> None:
    kjj, office = people["kjj_reporter"], people["office"]
    record(kjj, kind="conference_contest", date=date(2022, 9, 1))
    rejected = record(kjj, kind="conference_contest", date=date(2022, 10, 1))
    entry_reject(actor=office, entry=rejected, comment="不是本试验区举办的活动。")
    assert progress_of("conferences-contests")[2022] == (0, False)
    counted = verified(kjj, office, kind="conference_contest", date=date(2022, 11, 1))
    assert progress_of("conferences-contests")[2022] == (1, True)
    # Rejecting a verified entry takes it out again.
    entry_reject(actor=office, entry=counted, comment="核实有误，撤销。")
    assert progress_of("conferences-contests")[2022] == (0, False)


def test_patent_indicators_follow_the_ledger_domain(people) -> None:
    kjj, office = people["kjj_reporter"], people["office"]
    for i in range(5):
        verified(kjj, office, domain="speech" if i < 3 else "general", date=date(2020, 4, 1))
    assert progress_of("invention-patents")[2020] == (5, False)
    assert progress_of("speech-patents")[2020] == (3, False)
    speech = Indicator.objects.get(plan=plan(), code="speech-patents")
    assert {e.domain for e in entries_behind(office, speech, 2020)} == {"speech"}


# ---------------------------------------------------------------------------------------------
# An identifier counts once
# ---------------------------------------------------------------------------------------------


def test_a_duplicate_identifier_cannot_be_recorded_and_the_message_names_the_first(people) -> None:
    first = verified(people["kjj_reporter"], people["office"], identifier="ZL202110123456.7")
    with pytest.raises(ApplicationError) as caught:
        record(people["fgw_reporter"], identifier="zl 2021 1012 3456.7")
    message = caught.value.extra["fields"]["identifier"][0]
    assert "ZL202110123456.7" in message and f"条目 {first.pk}" in message
    assert "市科技局" in message
    # A standard may share a number with a patent: identifiers count once per kind.
    record(people["fgw_reporter"], kind="standard", identifier="ZL202110123456.7")


def test_a_duplicate_identifier_cannot_be_verified_and_does_not_count(people) -> None:
    kjj, fgw, office = people["kjj_reporter"], people["fgw_reporter"], people["office"]
    earlier = record(kjj, identifier="ZL202010555555.1", date=date(2021, 2, 1))
    entry_reject(actor=office, entry=earlier, comment="缺少证书，请补充。")
    later = verified(fgw, office, identifier="ZL202010555555.1", date=date(2021, 3, 1))
    with pytest.raises(ApplicationError) as caught:
        entry_verify(actor=office, entry=earlier)
    assert f"条目 {later.pk}" in caught.value.extra["fields"]["identifier"][0]
    # Correcting the rejected duplicate would send it back pending: refused as well.
    with pytest.raises(ApplicationError) as caught:
        entry_update(actor=kjj, entry=earlier, title="改个名字")
    assert "identifier" in caught.value.extra["fields"]
    earlier.refresh_from_db()
    assert earlier.state == EntryState.REJECTED
    assert progress_of("invention-patents")[2021][0] == 1


def test_identifiers_are_normalised(people) -> None:
    assert identifier_normalise("  ｚｌ２０２１１０１２３４５６．７ ", "invention_patent") == (
        "ZL202110123456.7"
    )
    assert identifier_normalise("zl 2021 1012 3456.7", "invention_patent") == "ZL202110123456.7"
    assert identifier_normalise("gb/t　36464.2-2020", "standard") == "GB/T 36464.2-2020"
    entry = record(people["kjj_reporter"], kind="standard", identifier=" t/cesa  1126－2021 ")
    assert entry.identifier == "T/CESA 1126-2021"


def test_patents_and_standards_need_an_identifier_and_dates_must_be_in_the_plan(people) -> None:
    kjj = people["kjj_reporter"]
    for kind in ("invention_patent", "standard"):
        with pytest.raises(ApplicationError) as caught:
            record(kjj, kind=kind, identifier="  ")
        assert "identifier" in caught.value.extra["fields"]
    record(kjj, kind="leading_enterprise", title="合肥某智能科技有限公司")  # no number needed
    for bad in (date(2019, 12, 31), date(2024, 1, 1), None):
        with pytest.raises(ApplicationError) as caught:
            record(kjj, kind="leading_enterprise", date=bad)
        assert "date" in caught.value.extra["fields"]


def test_the_related_task_must_belong_to_the_same_plan(people) -> None:
    other = Plan.objects.create(
        code="successor", name="后续方案", start_year=2024, end_year=2026, is_current=False
    )
    section = Section.objects.create(
        plan=other, code="3.1", part="三、重点任务", number="（一）", title="研究", seq=1
    )
    task = Task.objects.create(plan=other, section=section, seq=1, code="3.1.1", content="研究")
    with pytest.raises(ApplicationError) as caught:
        record(people["kjj_reporter"], kind="leading_enterprise", task=task)
    assert "task" in caught.value.extra["fields"]


# ---------------------------------------------------------------------------------------------
# Permissions
# ---------------------------------------------------------------------------------------------


def test_who_may_record_correct_and_verify(people) -> None:
    kjj, fgw, office = people["kjj_reporter"], people["fgw_reporter"], people["office"]
    mine = record(kjj, kind="leading_enterprise")
    assert mine.unit.name == "市科技局" and mine.state == EntryState.PENDING
    with pytest.raises(NotPermittedError) as caught:
        record(kjj, kind="leading_enterprise", unit=unit("市发改委"))
    assert "unit" in caught.value.extra["fields"]
    for outsider in (people["leader"], fgw):
        with pytest.raises(NotPermittedError):
            entry_update(actor=outsider, entry=mine, title="别人的条目")
    with pytest.raises(NotPermittedError):
        record(people["leader"], kind="leading_enterprise", unit=unit("市科技局"))
    for not_office in (kjj, people["kjj_approver"], people["leader"]):
        with pytest.raises(NotPermittedError):
            entry_verify(actor=not_office, entry=mine)
    # The office records for any unit and verifies; a verified entry is no longer editable.
    record(office, kind="leading_enterprise", unit=unit("市发改委"), title="另一家企业")
    entry_verify(actor=people["admin"], entry=mine)
    with pytest.raises(NotPermittedError):
        entry_update(actor=kjj, entry=mine, title="改名")
    with pytest.raises(ApplicationError) as refused:
        entry_reject(actor=office, entry=mine, comment=" ")
    assert "comment" in refused.value.extra["fields"]


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "own_pending", "other_pending", "other_verified"),
    [
        ("anonymous", 302, 302, 302),
        ("kjj_reporter", 200, 404, 200),
        ("kjj_approver", 200, 404, 200),
        ("other_reporter", 404, 404, 200),
        ("office", 200, 200, 200),
        ("leader", 200, 200, 200),
        ("admin", 200, 200, 200),
    ],
)
def test_the_entry_page_permission_matrix(
    people, who, own_pending, other_pending, other_verified
) -> None:
    kjj, fgw, office = people["kjj_reporter"], people["fgw_reporter"], people["office"]
    entries = [
        record(kjj, kind="leading_enterprise", title="科技局的企业"),
        record(fgw, kind="leading_enterprise", title="发改委的企业"),
        verified(fgw, office, kind="leading_enterprise", title="已核实的企业"),
    ]
    client = client_for(None if who == "anonymous" else people[who])
    got = [client.get(f"/ledger/{e.pk}/").status_code for e in entries]
    assert got == [own_pending, other_pending, other_verified]


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 401),
        ("kjj_reporter", 201),
        ("fgw_reporter", 403),  # for 市科技局: another unit
        ("leader", 403),
        ("office", 201),
    ],
)
def test_recording_through_the_api_permission_matrix(people, who, expected) -> None:
    client = APIClient()
    if who != "anonymous":
        client.force_authenticate(people[who])
    body = {
        "kind": "leading_enterprise",
        "title": "合肥某智能科技有限公司",
        "date": "2022-06-30",
        "unit": unit("市科技局").pk,
    }
    response = client.post("/api/achievements/", body, format="json")
    assert response.status_code == expected, response.content
    if expected == 403:
        assert "message" in response.json()
    if who == "fgw_reporter":
        assert "unit" in response.json()["extra"]["fields"]


def test_unit_staff_see_their_own_entries_and_every_verified_one(people) -> None:
    kjj, fgw, office = people["kjj_reporter"], people["fgw_reporter"], people["office"]
    own = record(kjj, kind="leading_enterprise", title="自己的")
    others = record(fgw, kind="leading_enterprise", title="别人的待核实")
    theirs = verified(fgw, office, kind="leading_enterprise", title="别人的已核实")
    api = APIClient()
    api.force_authenticate(kjj)
    ids = {row["id"] for row in api.get("/api/achievements/").json()["results"]}
    assert ids == {own.pk, theirs.pk}
    assert api.get(f"/api/achievements/{others.pk}/").status_code == 404
    assert api.patch(f"/api/achievements/{theirs.pk}/", {"title": "x"}).status_code == 403
    assert api.post(f"/api/achievements/{own.pk}/verify/").status_code == 403


# ---------------------------------------------------------------------------------------------
# The API
# ---------------------------------------------------------------------------------------------


def test_the_api_records_verifies_and_shows_an_entry(people, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(people["kjj_reporter"])
    upload = SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")
    body = {
        "kind": "invention_patent",
        "domain": "speech",
        "title": "一种声纹识别方法",
        "date": "2021-08-09",
        "identifier": "ｚｌ２０２０１０６６６６６６．３",
        "task": Task.objects.get(plan=plan(), code="3.2.1").pk,
        "file": upload,
    }
    created = api.post("/api/achievements/", body, format="multipart")
    assert created.status_code == 201, created.content
    data = created.json()
    assert created["Location"].endswith(f"/api/achievements/{data['id']}/")
    assert data["identifier"] == "ZL202010666666.3"
    assert data["unit"] == {"id": unit("市科技局").pk, "name": "市科技局"}
    assert data["task"]["code"] == "3.2.1"
    assert data["state"] == "pending" and data["state_display"] == "待核实"
    assert data["permissions"] == {"edit": True, "verify": False, "reject": False}
    assert data["file"]["name"] == "证书.pdf"
    assert data["file"]["content_type"] == "application/pdf"
    download = api.get(data["file"]["url"])
    assert download.status_code == 200
    assert download.getvalue() == PDF

    office = APIClient()
    office.force_authenticate(people["office"])
    done = office.post(f"/api/achievements/{data['id']}/verify/", {"comment": "证书齐全。"})
    assert done.status_code == 200 and done.json()["state"] == "verified"
    assert done.json()["verified_by"] == people["office"].display_name

    listed = api.get("/api/achievements/?indicator=speech-patents&year=2021&state=verified")
    assert [row["id"] for row in listed.json()["results"]] == [data["id"]]
    none = api.get("/api/achievements/?indicator=speech-patents&year=2022")
    assert none.json()["count"] == 0

    progress = api.get("/api/indicators/progress/").json()
    patents = next(row for row in progress if row["code"] == "speech-patents")
    y2021 = next(y for y in patents["years"] if y["year"] == 2021)
    assert y2021["actual"] == 1 and y2021["met"] is False and y2021["target"]["min"] == 30
    assert "indicator=speech-patents" in y2021["entries_url"]


def test_the_office_rejects_through_the_api_with_a_comment(people) -> None:
    entry = record(people["kjj_reporter"], kind="application_scenario")
    api = APIClient()
    api.force_authenticate(people["office"])
    missing = api.post(f"/api/achievements/{entry.pk}/reject/", {}, format="json")
    assert missing.status_code == 400 and "comment" in missing.json()["extra"]["fields"]
    blank = api.post(f"/api/achievements/{entry.pk}/reject/", {"comment": " "}, format="json")
    assert blank.status_code == 400 and "comment" in blank.json()["extra"]["fields"]
    done = api.post(f"/api/achievements/{entry.pk}/reject/", {"comment": "材料不全。"})
    assert done.json()["state"] == "rejected" and done.json()["review_comment"] == "材料不全。"
    # Correcting it sends it back to the office.
    reporter = APIClient()
    reporter.force_authenticate(people["kjj_reporter"])
    fixed = reporter.patch(f"/api/achievements/{entry.pk}/", {"note": "补充了材料。"})
    assert fixed.status_code == 200 and fixed.json()["state"] == "pending"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"kind": "patent"}, "kind", 400),
        ({"date": "2021-13-01"}, "date", 400),
        ({"date": "2030-01-01"}, "date", 400),
        ({"identifier": ""}, "identifier", 400),
        ({"unit": "__other__"}, "unit", 403),
        ({"task": 999999}, "task", 400),
    ],
)
def test_api_errors_name_the_field(people, body, field, status) -> None:
    api = APIClient()
    api.force_authenticate(people["kjj_reporter"])
    data: dict[str, Any] = {
        "kind": "invention_patent",
        "title": "一种方法",
        "date": "2021-05-05",
        "identifier": "ZL202010777777.X",
    }
    data.update(body)
    if data.get("unit") == "__other__":
        data["unit"] = unit("市发改委").pk
    response = api.post("/api/achievements/", data, format="json")
    assert response.status_code == status, response.content
    payload = response.json()
    assert field in payload["extra"]["fields"] and payload["message"]
    assert not AchievementEntry.objects.exists()


def test_an_exe_renamed_pdf_is_refused_naming_the_file_field(people, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    api = APIClient()
    api.force_authenticate(people["kjj_reporter"])
    body = {
        "kind": "leading_enterprise",
        "title": "合肥某智能科技有限公司",
        "date": "2022-06-30",
        "file": SimpleUploadedFile("认定文件.pdf", EXE, content_type="application/pdf"),
    }
    response = api.post("/api/achievements/", body, format="multipart")
    assert response.status_code == 400
    assert "file" in response.json()["extra"]["fields"]
    assert not AchievementEntry.objects.exists() and not any(tmp_path.rglob("*"))


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def test_a_unit_records_on_the_list_page_and_sees_the_fields_at_fault(people) -> None:
    client = client_for(people["kjj_reporter"])
    page = client.get("/ledger/")
    assert page.status_code == 200 and "登记成果" in page.content.decode()
    bad = client.post("/ledger/", {"kind": "invention_patent", "title": "一种方法"})
    text = bad.content.decode()
    assert bad.status_code == 400
    assert 'id="error-date"' in text and 'id="error-identifier"' in text
    good = client.post(
        "/ledger/",
        {
            "kind": "invention_patent",
            "domain": "speech",
            "title": "一种口语评测方法",
            "date": "2022-03-04",
            "identifier": "zl202110888888.8",
        },
    )
    entry = AchievementEntry.objects.get()
    assert good.status_code == 302 and good["Location"] == f"/ledger/{entry.pk}/"
    assert entry.unit.name == "市科技局" and entry.identifier == "ZL202110888888.8"


def test_recording_on_the_list_page_before_any_plan_is_loaded_says_so(people) -> None:
    Plan.objects.update(is_current=False)
    client = client_for(people["kjj_reporter"])
    response = client.post(
        "/ledger/",
        {"kind": "application_scenario", "title": "智慧医疗应用场景", "date": "2022-03-04"},
    )
    assert response.status_code == 400 and "还没有实施方案。" in response.content.decode()
    assert not AchievementEntry.objects.exists()


def test_the_office_verifies_and_rejects_in_its_queue(people) -> None:
    kjj = people["kjj_reporter"]
    one = record(kjj, kind="application_scenario", title="智慧课堂解决方案")
    two = record(kjj, kind="application_scenario", title="智慧医疗解决方案")
    assert client_for(kjj).get("/ledger/verify/").status_code == 403
    office = client_for(people["office"])
    queue = office.get("/ledger/verify/").content.decode()
    assert "智慧课堂解决方案" in queue and "智慧医疗解决方案" in queue
    office.post("/ledger/verify/", {"entry": one.pk, "action": "verify"})
    refused = office.post("/ledger/verify/", {"entry": two.pk, "action": "reject"})
    assert refused.status_code == 400 and "请填写未通过核实的理由" in refused.content.decode()
    office.post("/ledger/verify/", {"entry": two.pk, "action": "reject", "comment": "重复。"})
    one.refresh_from_db()
    two.refresh_from_db()
    assert (one.state, two.state) == (EntryState.VERIFIED, EntryState.REJECTED)


def test_evidence_is_downloaded_only_by_those_who_see_the_entry(people, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")
    entry = record(people["fgw_reporter"], kind="leading_enterprise", upload=upload)
    own = client_for(people["fgw_reporter"]).get(f"/ledger/{entry.pk}/file/")
    assert own.status_code == 200 and own["Content-Type"] == "application/pdf"
    assert own["X-Content-Type-Options"] == "nosniff"
    assert client_for(people["kjj_reporter"]).get(f"/ledger/{entry.pk}/file/").status_code == 404
    assert client_for(people["leader"]).get(f"/ledger/{entry.pk}/file/").status_code == 200


def test_the_targets_page_shows_actual_against_target_with_links(people) -> None:
    kjj, office = people["kjj_reporter"], people["office"]
    verified(kjj, office, kind="conference_contest", date=date(2021, 9, 9), title="某大会")
    page = client_for(kjj).get("/plan/indicators/").content.decode()
    row = page[page.index('id="indicator-conferences-contests"') :]
    row = row[: row.index("</tr>")]
    assert row.count("未达标") == 3 and row.count("达标") == 4  # 2021 met, the rest not
    link = "/ledger/?indicator=conferences-contests&amp;year=2021&amp;state=verified"
    assert link in row
    drill = client_for(kjj).get("/ledger/?indicator=conferences-contests&year=2021&state=verified")
    text = drill.content.decode()
    assert "某大会" in text and "共 <strong>1</strong>" in text


def test_the_demo_ledger_meets_some_targets_and_misses_others(people) -> None:
    created = demo_ledger_seed(plan=plan(), rng=random.Random(7), office=people["office"])
    assert created > 200
    assert demo_ledger_seed(plan=plan(), rng=random.Random(7)) == 0  # never twice
    met = [y.met for row in indicator_progress(plan()) for y in row.years if y.met is not None]
    assert True in met and False in met
    assert progress_of("invention-patents")[2020] == (46, False)
    assert progress_of("invention-patents")[2021] == (58, True)
    assert progress_of("demo-parks-towns")[2023] == (3, False)
    assert progress_of("innovation-platforms")[2023] == (6, True)
    states = set(AchievementEntry.objects.values_list("state", flat=True))
    assert states == {"verified", "pending", "rejected"}
    # The rejected duplicates share a verified patent's number.
    duplicates = AchievementEntry.objects.filter(kind="invention_patent", state="rejected")
    assert duplicates.count() == 3
    for dup in duplicates:
        assert AchievementEntry.objects.filter(
            kind="invention_patent", identifier=dup.identifier, state="verified"
        ).exists()


def test_patent_numbers_carry_the_check_digit() -> None:
    assert patent_number(2021, 1012345) == "ZL202111012345." + patent_number(2021, 1012345)[-1]
    digits = "202111012345"
    weights = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5]
    check = sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11
    assert patent_number(2021, 1012345).endswith("X" if check == 10 else str(check))


# ---------------------------------------------------------------------------------------------
# Query counts: the same at two sizes
# ---------------------------------------------------------------------------------------------


def make_entries(n: int, people: dict[str, User], start: int) -> None:
    kjj, fgw, office = people["kjj_reporter"], people["fgw_reporter"], people["office"]
    for i in range(n):
        actor = kjj if i % 2 else fgw
        entry = record(
            actor,
            identifier=patent_number(2019, start + i),
            date=date(2020 + i % 4, 5, 1),
            domain="speech" if i % 3 else "general",
            task=Task.objects.get(plan=plan(), seq=1 + i % 5),
        )
        if i % 4:
            entry_verify(actor=office, entry=entry)


def count_queries(fn: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = fn()
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_ledger(people) -> None:
    office = client_for(people["office"])
    reporter = client_for(people["kjj_reporter"])
    api = APIClient()
    api.force_authenticate(people["office"])
    paths = [
        (office, "/ledger/"),
        (reporter, "/ledger/?indicator=invention-patents&year=2021&state=verified"),
        (office, "/ledger/verify/"),
        (reporter, "/plan/indicators/"),
        (api, "/api/achievements/"),
        (api, "/api/achievements/?indicator=speech-patents&year=2022&unit=1"),
        (api, "/api/indicators/progress/"),
    ]
    make_entries(4, people, 1000)
    small = [count_queries(lambda c=c, p=p: c.get(p)) for c, p in paths]
    make_entries(40, people, 2000)
    large = [count_queries(lambda c=c, p=p: c.get(p)) for c, p in paths]
    assert small == large
    # the targets page: session, user, plan, indicators and counts; the menu's 待填报, 督办单
    # and 督办事项
    assert large[3] <= 11


def test_a_new_file_replaces_the_old_one_on_disk_and_a_refused_save_leaves_none(
    people, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch
) -> None:
    settings.MEDIA_ROOT = tmp_path
    on_disk = lambda: sorted(p.name for p in tmp_path.rglob("*") if p.is_file())  # noqa: E731
    first = SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")
    entry = record(people["fgw_reporter"], kind="leading_enterprise", upload=first)
    assert len(on_disk()) == 1
    second = SimpleUploadedFile("新证书.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        entry_update(actor=people["fgw_reporter"], entry=entry, upload=second)
    entry.refresh_from_db()
    assert on_disk() == [Path(entry.file.path).name] and entry.file_name == "新证书.pdf"
    # a save refused by the identifier constraint (two requests at once: the check before the
    # save saw no duplicate) keeps no new file
    taken = record(people["kjj_reporter"], kind="invention_patent")
    other = record(people["fgw_reporter"], kind="invention_patent")
    monkeypatch.setattr("tasks.ledger.services._duplicate_of", lambda **kwargs: None)
    before = on_disk()
    third = SimpleUploadedFile("第三份.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ApplicationError):
        entry_update(
            actor=people["fgw_reporter"], entry=other, identifier=taken.identifier, upload=third
        )
    assert on_disk() == before
