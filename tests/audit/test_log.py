"""The audit log: a record for each kind of event, with who, from where, what changed; append-only
in the application and in PostgreSQL; a hash chain that audit_verify walks and that an edit behind
the application's back breaks; concurrent writers keep it linear."""

import threading
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import Client
from rest_framework.test import APIClient

from hefei_ai_zone import clock
from reports.documents.services import build_request
from tasks.models import ProgressReport, ReportingPeriod
from tasks.reporting import services as svc
from tasks.supervision.services import order_issue, urge_send
from tests.plan.factories import assignment_of
from units import services as unit_services
from units.audit import services as audit
from units.audit.models import AppendOnlyError, AuditEntry, AuditKind
from units.audit.selectors import chain_verify
from units.models import Unit, User

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1"
FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
BROWSER = "Mozilla/5.0 (Windows NT 10.0) 测试浏览器"


def entries(kind: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(kind=kind).order_by("id"))


def logged_in(user: User) -> Client:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")
    client.force_login(user)
    return client


def api_for(user: User) -> APIClient:
    client = APIClient(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")
    client.force_authenticate(user)
    return client


def login(client: Client, username: str, password: str) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


# --- each kind of event -----------------------------------------------------------------------


def test_a_login_a_logout_and_a_failed_login_are_recorded_with_address_and_browser(
    people: dict[str, User],
) -> None:
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3")
    assert login(client, "kjj_reporter", "wrong").status_code == 200
    assert login(client, "kjj_reporter", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    [failed] = entries(AuditKind.LOGIN_FAILED)
    assert (failed.username, failed.actor, failed.ip) == ("kjj_reporter", None, "10.1.2.3")
    [entry] = entries(AuditKind.LOGIN)
    assert entry.actor == people["kjj_reporter"]
    assert (entry.username, entry.role, entry.unit_name) == ("kjj_reporter", "填报员", "市科技局")
    assert (entry.ip, entry.user_agent) == ("10.1.2.3", BROWSER)
    assert entry.at <= clock.real_now()
    [out] = entries(AuditKind.LOGOUT)
    assert out.actor == people["kjj_reporter"]
    # the login's own last_login write is not a separate "update" of the account
    assert not AuditEntry.objects.filter(kind=AuditKind.UPDATE, object_type="units.user").exists()


def test_a_lockout_and_an_unlock_are_recorded(people: dict[str, User]) -> None:
    client = Client()
    for _ in range(5):
        login(client, "kjj_reporter", "wrong")
    [locked] = entries(AuditKind.LOCKOUT)
    assert locked.username == "kjj_reporter" and "锁定" in locked.detail
    assert len(entries(AuditKind.LOGIN_FAILED)) == 5
    unit_services.user_unlock(actor=people["admin_su"], user=people["kjj_reporter"])
    [unlock] = entries(AuditKind.UNLOCK)
    assert unlock.actor == people["admin_su"] and unlock.object_id == str(people["kjj_reporter"].pk)


def test_a_password_change_and_reset_are_recorded_without_the_password(
    people: dict[str, User],
) -> None:
    person = people["kjj_reporter"]
    unit_services.user_password_change(user=person, password="Xinmima-2024!")
    unit_services.user_password_reset(actor=people["admin_su"], user=person, password="Chong-2024!")
    [change] = entries(AuditKind.PASSWORD_CHANGE)
    [reset] = entries(AuditKind.PASSWORD_RESET)
    assert change.actor == person and reset.actor == people["admin_su"]
    assert reset.object_repr == "kjj_reporter"
    text = str([(e.changes, e.detail) for e in AuditEntry.objects.all()])
    assert "Xinmima" not in text and "Chong" not in text and "md5$" not in text


def test_every_write_records_who_and_each_fields_before_and_after(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    reporter = api_for(people["kjj_reporter"])
    assignment = assignment_of(1, "市科技局")
    long_text = "进展" * 3000  # long texts are kept whole
    created = reporter.post(
        "/api/progress-reports/",
        {"assignment": assignment.pk, "period": "2021Q3", **FULL},
        format="json",
    )
    report_id = created.json()["id"]
    reporter.patch(
        f"/api/progress-reports/{report_id}/",
        {"version": 1, "percent": 55, "narrative": long_text},
        format="json",
    )
    [create] = [e for e in entries(AuditKind.CREATE) if e.object_type == "tasks.progressreport"]
    assert create.actor == people["kjj_reporter"] and create.object_id == str(report_id)
    assert create.changes["percent"] == [None, 40]
    [update] = [e for e in entries(AuditKind.UPDATE) if e.object_type == "tasks.progressreport"]
    assert update.actor == people["kjj_reporter"] and update.ip == "10.1.2.3"
    assert update.changes["percent"] == [40, 55]
    assert update.changes["narrative"] == [FULL["narrative"], long_text]
    assert "updated_at" not in update.changes
    # the report's own version history is not doubled in the audit log
    assert not AuditEntry.objects.filter(object_type="tasks.reportversion").exists()

    upload = reporter.post(
        f"/api/progress-reports/{report_id}/evidence/",
        {"file": SimpleUploadedFile("会议纪要.pdf", PDF, content_type="application/pdf")},
    )
    evidence_id = upload.json()["id"]
    reporter.get(f"/api/progress-reports/{report_id}/evidence/{evidence_id}/")
    reporter.delete(f"/api/progress-reports/{report_id}/evidence/{evidence_id}/")
    [download] = entries(AuditKind.DOWNLOAD)
    assert download.object_type == "tasks.evidence" and "会议纪要.pdf" in download.detail
    [delete] = [e for e in entries(AuditKind.DELETE) if e.object_type == "tasks.evidence"]
    assert delete.actor == people["kjj_reporter"]
    assert delete.changes["original_name"] == ["会议纪要.pdf", None]


def test_a_write_that_rolls_back_leaves_no_audit_row(people: dict[str, User]) -> None:
    before = AuditEntry.objects.count()

    def write_then_fail() -> None:
        with transaction.atomic():
            Unit.objects.create(name="回滚单位", kind="municipal")
            assert AuditEntry.objects.count() == before + 1
            raise RuntimeError

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert AuditEntry.objects.count() == before


def test_a_job_without_a_request_records_the_system(db: None) -> None:
    unit = Unit.objects.create(name="后台任务单位", kind="municipal")
    [entry] = [
        e
        for e in entries(AuditKind.CREATE)
        if e.object_id == str(unit.pk) and e.object_type == "units.unit"
    ]
    assert entry.actor is None and entry.username == "" and entry.ip is None
    assert entry.object_type == "units.unit"


def test_an_export_a_document_build_an_urge_and_an_order_are_recorded(
    people: dict[str, User], period: ReportingPeriod
) -> None:
    office = logged_in(people["office"])
    response = office.get("/ledger/?format=xlsx")
    assert response.status_code == 200
    [export] = entries(AuditKind.EXPORT)
    assert export.actor == people["office"] and export.object_repr.startswith("成果台账")

    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    build_request(
        user=people["office"], kind="report", params={"report": str(report.pk)}, fmt="pdf"
    )
    [build] = entries(AuditKind.DOCUMENT_BUILD)
    assert build.actor == people["office"] and build.object_type == "reports.documentbuild"

    urge_send(
        actor=people["office"],
        period=period,
        unit_ids=[Unit.objects.get(name="市发改委").pk],
        message="请尽快报送。",
    )
    [urge] = entries(AuditKind.URGE)
    assert urge.actor == people["office"] and "市发改委" in urge.detail
    order = order_issue(
        actor=people["office"],
        task=assignment_of(1, "市科技局").task,  # type: ignore[arg-type]
        unit=Unit.objects.get(name="市科技局"),
        facts="请说明进度滞后原因。",
        reply_workdays=5,
    )
    [issued] = entries(AuditKind.ORDER)
    assert issued.object_id == str(order.pk) and "签发" in issued.detail


# --- append-only --------------------------------------------------------------------------------


def test_the_application_cannot_change_or_delete_an_entry(db: None) -> None:
    entry = audit.record(AuditKind.EXPORT, detail="导出 测试.xlsx")
    entry.detail = "改过"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="改过")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == "导出 测试.xlsx"


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE units_auditentry SET detail = 'rewritten'",
        "DELETE FROM units_auditentry",
    ],
)
def test_postgresql_refuses_update_and_delete_on_the_table(db: None, sql: str) -> None:
    entry = audit.record(AuditKind.EXPORT, detail="导出 测试.xlsx")
    count = AuditEntry.objects.count()
    with (
        pytest.raises(DatabaseError, match="审计日志只能追加"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert AuditEntry.objects.get(pk=entry.pk).detail == "导出 测试.xlsx"
    assert AuditEntry.objects.count() == count


def test_the_log_is_not_in_the_admin(db: None) -> None:
    from django.contrib import admin

    assert AuditEntry not in admin.site._registry


# --- the hash chain -----------------------------------------------------------------------------


def behind_the_applications_back(sql: str, params: list[Any]) -> None:
    """What someone with the database's password could do: switch the trigger off, edit, on."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
        cursor.execute("ALTER TABLE units_auditentry DISABLE TRIGGER ALL")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE units_auditentry ENABLE TRIGGER ALL")


def three_entries() -> list[AuditEntry]:
    return [audit.record(AuditKind.EXPORT, detail=f"导出 第{i}份.xlsx") for i in range(3)]


def test_audit_verify_passes_on_an_intact_log(db: None, capsys: pytest.CaptureFixture) -> None:
    three_entries()
    total = AuditEntry.objects.count()
    call_command("audit_verify", batch=2)
    assert capsys.readouterr().out.strip() == f"审计日志完整：共 {total} 条"


def test_audit_verify_finds_an_entry_edited_with_raw_sql(db: None) -> None:
    _first, second, _ = three_entries()
    behind_the_applications_back(
        "UPDATE units_auditentry SET detail = %s WHERE id = %s", ["导出 别的.xlsx", second.pk]
    )
    with pytest.raises(CommandError, match=rf"第 {second.pk} 号记录.*内容被修改过"):
        call_command("audit_verify")


def test_audit_verify_finds_an_entry_deleted_with_raw_sql(db: None) -> None:
    _first, second, third = three_entries()
    behind_the_applications_back("DELETE FROM units_auditentry WHERE id = %s", [second.pk])
    report = chain_verify()
    assert report.broken is not None and report.broken.entry_id == third.pk
    assert "删除" in report.broken.problem


def test_audit_verify_finds_a_rehashed_entry_because_its_successor_still_points_back(
    db: None,
) -> None:
    _first, second, third = three_entries()
    second.detail = "导出 别的.xlsx"
    behind_the_applications_back(
        "UPDATE units_auditentry SET detail = %s, hash = %s WHERE id = %s",
        [second.detail, second.compute_hash(), second.pk],
    )
    report = chain_verify()
    assert report.broken is not None and report.broken.entry_id == third.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_linear() -> None:
    writers, each = 6, 15
    before = AuditEntry.objects.count()
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(each):
                with transaction.atomic():
                    audit.record(AuditKind.EXPORT, detail=f"导出 {n}-{i}.xlsx")
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    report = chain_verify()
    assert report.broken is None and report.checked == before + writers * each
    hashes = list(AuditEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == len(hashes)  # no two entries hang on the same predecessor


def test_a_submitted_report_lists_who_did_it(people: dict[str, User], period: Any) -> None:
    """Guards the audit of the workflow's own write (the state change)."""
    report = svc.report_start(
        actor=people["kjj_reporter"], assignment=assignment_of(1, "市科技局"), period=period, **FULL
    )
    api_for(people["kjj_reporter"]).post(f"/api/progress-reports/{report.pk}/submit/")
    [update] = [
        e
        for e in entries(AuditKind.UPDATE)
        if e.object_type == "tasks.progressreport" and "state" in e.changes
    ]
    assert update.changes["state"] == ["draft", "submitted"]
    assert update.actor == people["kjj_reporter"]
    assert ProgressReport.objects.get(pk=report.pk).state == "submitted"
