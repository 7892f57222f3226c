"""Who may see the dashboards (总览): every user against /api/dashboard/ and the dashboard pages,
in the manner of tests/reporting/test_permissions.py.

The whole plan's dashboard is for the office, the administrator and the leader; a unit's staff
are sent to their own unit's dashboard, and see no other unit's. Nothing here writes: a refusal
keeps nothing either (no trend point counted, no lights version moved), and the API answers every
refusal in the one error shape.
"""

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from reports.models import LightsVersion, TrendPoint
from tasks.models import ProgressReport
from tests.permission_matrix import client_as, matrix_cases
from tests.plan.factories import assignment_of
from units.models import Unit, User

pytestmark = pytest.mark.django_db

USERS = (
    "anonymous",
    "unit_reporter",
    "unit_approver",
    "other_unit_reporter",
    "office",
    "leader",
    "admin",
)
ACCOUNTS = {  # the accounts of tests/conftest.py's `people`
    "unit_reporter": "kjj_reporter",  # 市科技局
    "unit_approver": "kjj_approver",
    "other_unit_reporter": "fgw_reporter",  # 市发改委
    "office": "office",
    "leader": "leader",
    "admin": "admin",
}


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # {kjj}: 市科技局's id
    page: bool = False


ENDPOINTS = {
    "dashboard": Endpoint("get", "/api/dashboard/"),
    "dashboard of a period": Endpoint("get", "/api/dashboard/?period=2021Q3"),
    "dashboard of an unknown period": Endpoint("get", "/api/dashboard/?period=2031Q9"),
    "dashboard, POST": Endpoint("post", "/api/dashboard/"),
    "page: dashboard": Endpoint("get", "/dashboard/", page=True),
    "page: dashboard of a period": Endpoint("get", "/dashboard/?period=2021Q3", page=True),
    "page: 市科技局's dashboard": Endpoint("get", "/dashboard/units/{kjj}/", page=True),
    "page: a missing unit's dashboard": Endpoint("get", "/dashboard/units/99999999/", page=True),
}

# fmt: off
MATRIX = {
    #                                   anon unit appr other office leader admin
    "dashboard":                        (401, 403, 403, 403, 200, 200, 200),
    "dashboard of a period":            (401, 403, 403, 403, 200, 200, 200),
    "dashboard of an unknown period":   (401, 403, 403, 403, 400, 400, 400),
    "dashboard, POST":                  (401, 405, 405, 405, 405, 405, 405),
    "page: dashboard":                  (302, 302, 302, 302, 200, 200, 200),
    "page: dashboard of a period":      (302, 302, 302, 302, 200, 200, 200),
    "page: 市科技局's dashboard":         (302, 200, 200, 403, 200, 200, 200),
    "page: a missing unit's dashboard": (302, 404, 404, 404, 404, 404, 404),
}
# fmt: on

CASES = matrix_cases(MATRIX, USERS)


def test_the_matrix_covers_every_endpoint_and_user() -> None:
    assert set(MATRIX) == set(ENDPOINTS)
    assert all(len(codes) == len(USERS) for codes in MATRIX.values())


def kept() -> tuple[Any, ...]:
    """What reading a dashboard may keep in the database."""
    return (
        list(TrendPoint.objects.values_list("period", "audience", "version")),
        list(LightsVersion.objects.values_list("period", "version")),
    )


@pytest.mark.parametrize(("endpoint", "user", "expected"), CASES)
def test_each_user_sees_exactly_the_dashboards_their_role_gives(
    people, period, endpoint, user, expected
) -> None:
    cache.clear()
    ProgressReport.objects.create(  # something to count, submitted (the leader's too)
        period=period,
        assignment=assignment_of(1, "市科技局"),
        unit=Unit.objects.get(name="市科技局"),
        state="submitted",
        status="on_track",
    )
    spec = ENDPOINTS[endpoint]
    path = spec.path.format(kjj=Unit.objects.get(name="市科技局").pk)
    account: User | None = people[ACCOUNTS[user]] if user != "anonymous" else None
    client = client_as(account, page=spec.page)
    before = kept()

    response = getattr(client, spec.method)(path)

    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert kept() == before
    if not spec.page and expected >= 400:
        data = response.json()
        assert set(data) == {"message", "extra"} and data["message"]
    if spec.page and expected == 302:
        target = (
            "/accounts/login/" if user == "anonymous" else f"/dashboard/units/{account.unit_id}/"  # type: ignore[union-attr]
        )
        assert response.url.startswith(target)
    if not spec.page and expected == 200:
        data = response.json()
        assert data["period"]["code"] == "2021Q3"
        assert data["audience"] == ("leader" if user == "leader" else "office")
