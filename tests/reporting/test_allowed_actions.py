"""One answer to "what may I do with this report": tasks.reporting.permissions.allowed_actions.

For every state of a report × its period open or closed × every user, table-driven:

- the API's ``allowed_actions`` equals the buttons the pages show (the report page, and the form
  page behind its 修改 button: its enabled buttons);
- every action offered succeeds when the service is called, and every other one is refused by
  the service (each try is rolled back, so the next one starts from the same report).

The reports: 市科技局's on task 1 (it has an approver, so a submitted report waits for the unit
first) in every state, and 市司法局's on task 6 (no approver: submitted goes straight to the
office).
"""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from hefei_ai_zone.errors import ApplicationError
from tasks.models import Evidence, ProgressReport, ReportingPeriod
from tasks.reporting import services as svc
from tasks.reporting.permissions import REPORT_ACTIONS
from tests.plan.factories import assignment_of
from units.models import User

pytestmark = pytest.mark.django_db

FULL = {"status": "on_track", "percent": 40, "narrative": "已完成模型框架设计。"}
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
USERS = (
    "kjj_reporter",
    "kjj_approver",
    "fgw_reporter",  # 市发改委: co-unit of task 1
    "sfj_reporter",  # 市司法局: co-unit of task 6, no approver
    "other_reporter",  # 市统计局: neither task
    "office",
    "leader",
    "admin",
)
OWNERS = {  # whose report: (reporter, approver or None, task seq, unit)
    "kjj": ("kjj_reporter", "kjj_approver", 1, "市科技局"),
    "sfj": ("sfj_reporter", None, 6, "市司法局"),
    # written and submitted by the approver: no approving one's own report (issue 11)
    "kjj_self": ("kjj_approver", "kjj_approver", 1, "市科技局"),
}
SCENARIOS = [
    *[("kjj", state) for state in ("draft", "submitted", "approved", "returned", "accepted")],
    ("sfj", "submitted"),  # awaits the office at once
    ("kjj_self", "submitted"),  # its writer may return it, not approve it
]


class UndoError(Exception):
    """Raised to undo a successful try."""


def report_in(
    owner: str, state: str, people: dict[str, User], period: ReportingPeriod
) -> tuple[ProgressReport, Evidence]:
    """The owner's report brought to ``state`` while the period is open, with one evidence file
    (added while it was a draft)."""
    reporter, approver, seq, unit = OWNERS[owner]
    report = svc.report_start(
        actor=people[reporter], assignment=assignment_of(seq, unit), period=period, **FULL
    )
    evidence = svc.evidence_add(
        actor=people[reporter], report=report, upload=SimpleUploadedFile("纪要.pdf", PDF)
    )
    if state != "draft":
        report = svc.report_submit(actor=people[reporter], report=report)
    if state == "returned":
        assert approver is not None
        report = svc.report_return(actor=people[approver], report=report, comment="请补充")
    if state in ("approved", "accepted") and approver:
        report = svc.report_approve(actor=people[approver], report=report)
    if state == "accepted":
        report = svc.report_accept(actor=people["office"], report=report)
    assert report.state == state
    return report, evidence


def tries(user: User, report: ProgressReport, evidence: Evidence) -> dict[str, Callable[[], Any]]:
    """Each action as its service call."""
    return {
        "update": lambda: svc.report_update(
            actor=user, report=report, version=report.version, narrative="补充了进展。"
        ),
        "submit": lambda: svc.report_submit(actor=user, report=report),
        "add_evidence": lambda: svc.evidence_add(
            actor=user, report=report, upload=SimpleUploadedFile("方案.pdf", PDF)
        ),
        "remove_evidence": lambda: svc.evidence_remove(
            actor=user, evidence=Evidence.objects.get(pk=evidence.pk)
        ),
        "approve": lambda: svc.report_approve(actor=user, report=report),
        "return": lambda: svc.report_return(actor=user, report=report, comment="请补充"),
        "accept": lambda: svc.report_accept(actor=user, report=report),
        "reopen": lambda: svc.report_reopen(actor=user, report=report, comment="需更正"),
    }


def succeeds(action: Callable[[], Any]) -> bool:
    """Whether the service does it (then undone); a refusal is one of the application's
    errors, with its reason."""
    try:
        with transaction.atomic():
            action()
            raise UndoError
    except UndoError:
        return True
    except ApplicationError as error:
        return not error.message  # refused, saying why


ACTION_ATTR = re.compile(r"<[a-z]+\b[^>]*\bdata-action=\"([a-z_]+)\"[^>]*>")


def enabled_actions(html: str) -> set[str]:
    """The actions of the buttons and links on a page that are not disabled."""
    found = set()
    for match in ACTION_ATTR.finditer(html):
        if not re.search(r"\sdisabled[\s>=]", match.group(0)):
            found.add(match.group(1))
    return found


def page_actions(user: User, report: ProgressReport) -> set[str] | None:
    """The buttons the report page and its form offer; None when the report page is a 404."""
    client = Client()
    client.force_login(user)
    detail = client.get(f"/reports/{report.pk}/")
    if detail.status_code == 404:
        return None
    assert detail.status_code == 200
    actions = enabled_actions(detail.content.decode())
    form = client.get(f"/reports/{report.pk}/edit/")
    if form.status_code == 200:
        actions |= enabled_actions(form.content.decode())
    return actions


def api_actions(user: User, report: ProgressReport) -> set[str] | None:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get(f"/api/progress-reports/{report.pk}/")
    if response.status_code == 404:
        return None
    assert response.status_code == 200
    listed = response.json()["allowed_actions"]
    assert listed == [a for a in REPORT_ACTIONS if a in listed]  # in the documented order
    return set(listed)


@pytest.mark.parametrize("period_state", ["open", "closed"])
@pytest.mark.parametrize(("owner", "state"), SCENARIOS)
def test_the_api_and_the_pages_offer_exactly_what_the_services_do(
    people, period, settings, tmp_path, owner, state, period_state
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report, evidence = report_in(owner, state, people, period)
    if period_state == "closed":
        svc.period_close(actor=people["office"], period=period)
    report.refresh_from_db()

    wrong = []
    for name in USERS:
        user = people[name]
        api, page = api_actions(user, report), page_actions(user, report)
        done = {a for a, call in tries(user, report, evidence).items() if succeeds(call)}
        if api is None or page is None:  # may not see it: nothing to do, and both say so
            if not (api is None and page is None and done == set()):
                wrong.append(f"{name}: api {api}, page {page}, services {done}")
            continue
        if not api == page == done:
            wrong.append(f"{name}: api {sorted(api)}, page {sorted(page)}, services {sorted(done)}")
    assert not wrong, f"{owner} {state}, period {period_state}:\n" + "\n".join(wrong)


EDIT = {"update", "submit", "add_evidence", "remove_evidence"}


@pytest.mark.parametrize(
    ("owner", "state", "period_state", "user", "expected"),
    [
        ("kjj", "draft", "open", "kjj_reporter", EDIT),
        ("kjj", "draft", "open", "kjj_approver", EDIT),
        ("kjj", "draft", "closed", "kjj_reporter", set()),  # no edits in a closed period
        ("kjj", "returned", "open", "kjj_reporter", EDIT),
        ("kjj", "returned", "closed", "kjj_reporter", set()),
        ("kjj", "submitted", "open", "kjj_approver", {"approve", "return"}),
        ("kjj_self", "submitted", "open", "kjj_approver", {"return"}),  # wrote it
        ("kjj", "submitted", "open", "office", set()),  # the unit's approver first
        ("kjj", "approved", "closed", "office", {"accept", "return"}),  # reviews go on
        ("sfj", "submitted", "open", "office", {"accept", "return"}),
        ("kjj", "accepted", "open", "admin", {"reopen"}),
        ("kjj", "accepted", "open", "leader", set()),
        ("kjj", "submitted", "open", "fgw_reporter", set()),  # sees it, acts on nothing
    ],
)
def test_what_each_role_is_offered(
    people, period, settings, tmp_path, owner, state, period_state, user, expected
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report, _ = report_in(owner, state, people, period)
    if period_state == "closed":
        svc.period_close(actor=people["office"], period=period)
    assert api_actions(people[user], report) == expected


def test_files_cannot_be_added_or_removed_once_the_period_is_closed(
    people, period, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    report, evidence = report_in("kjj", "draft", people, period)
    svc.period_close(actor=people["office"], period=period)
    reporter = people["kjj_reporter"]
    with pytest.raises(ApplicationError, match="已关闭") as error:
        svc.evidence_add(actor=reporter, report=report, upload=SimpleUploadedFile("a.pdf", PDF))
    assert set(error.value.extra["fields"]) == {"period"}
    with pytest.raises(ApplicationError, match="已关闭"):
        svc.evidence_remove(actor=reporter, evidence=evidence)
    assert list(report.evidence.all()) == [evidence]
    client = APIClient()
    client.force_authenticate(reporter)
    response = client.delete(f"/api/progress-reports/{report.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 400 and "已关闭" in response.json()["message"]
