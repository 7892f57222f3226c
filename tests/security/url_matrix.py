"""Every URL pattern of the project and what each role gets there (issue 11, 访问控制): the table
tests/security/test_url_matrix.py holds the application to, and fails on a pattern missing here.

- The key is the pattern as Django's resolver spells it (includes joined; the API router's regex
  patterns as they are). Excluded: admin/ (Django's own, staff only), static and media, and the
  API router's format-suffix twins (``tasks\\.(?P<format>...)``, ``api/<drf_format_suffix:format>``:
  the same view as the pattern without the suffix, so the same permissions).
- ``Entry.url`` is a sample path; ``{name}`` placeholders are ids made on the demo data by
  tests/security/surface_samples.py (objects of 市科技局, the reporter's and approver's unit).
- ``get``: the status of a GET per role; ``LOGIN`` is the redirect to the login page (pages) and
  ``to("/path/")`` another redirect. Views that answer only POST have ``post`` instead: the
  status of a POST with an empty body per role (``DONE``: the action's own redirect); for every
  refused role (``LOGIN``, 401, 403, 404) the test also checks that nothing changed.
- The roles are the columns (ROLES; the accounts in surface_samples.ACCOUNTS). Adding a role
  (the audit log's ``auditor``) is one column: add it to ROLES and ACCOUNTS, and the test names
  every entry that lacks it.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

ROLES = ("anonymous", "reporter", "approver", "office", "leader", "admin")
# ROLES += ("auditor",)  ← the audit engineer's role: one keyword per row below.

LOGIN = "login"
DONE = "done"
Expect = int | str


def to(path: str) -> str:
    """A redirect to ``path`` (``{placeholders}`` filled like the url)."""
    return f"to:{path}"


def row(**by_role: Expect) -> Mapping[str, Expect]:
    return by_role


@dataclass(frozen=True)
class Entry:
    url: str
    get: Mapping[str, Expect] = field(default_factory=dict)
    post: Mapping[str, Expect] = field(default_factory=dict)


# Public: no login asked (the login page, logging out, the health check, the calendar feed by its
# token, the API's token endpoint).
PUBLIC = (
    "accounts/login/",
    "accounts/logout/",
    "healthz/",
    "calendar/<str:token>.ics",
    "api/auth/token/",
)

URLS: dict[str, Entry] = {
    "": Entry(
        "/",
        get=row(
            anonymous=LOGIN,
            reporter=to("/my/"),
            approver=to("/approvals/"),
            office=to("/dashboard/"),
            leader=to("/dashboard/"),
            admin=to("/dashboard/"),
        ),
    ),
    "accounts/login/": Entry(
        "/accounts/login/",
        get=row(
            anonymous=200,
            reporter=to("/"),
            approver=to("/"),
            office=to("/"),
            leader=to("/"),
            admin=to("/"),
        ),
    ),
    "accounts/logout/": Entry(
        "/accounts/logout/",
        post=row(
            anonymous=to("/accounts/login/"),
            reporter=to("/accounts/login/"),
            approver=to("/accounts/login/"),
            office=to("/accounts/login/"),
            leader=to("/accounts/login/"),
            admin=to("/accounts/login/"),
        ),
    ),
    "accounts/password/change/": Entry(
        "/accounts/password/change/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "accounts/password/change/done/": Entry(
        "/accounts/password/change/done/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "accounts/password/token/revoke/": Entry(
        "/accounts/password/token/revoke/",
        post=row(
            anonymous=LOGIN, reporter=DONE, approver=DONE, office=DONE, leader=DONE, admin=DONE
        ),
    ),
    "plan/": Entry(
        "/plan/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "plan/tasks/<int:pk>/": Entry(
        "/plan/tasks/{task}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "plan/indicators/": Entry(
        "/plan/indicators/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "units/": Entry(
        "/units/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "units/<int:pk>/": Entry(
        "/units/{unit}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "units/<int:pk>/contacts/": Entry(
        "/units/{unit}/contacts/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "units/<int:pk>/contacts/<int:cid>/": Entry(
        "/units/{unit}/contacts/{contact}/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "demos/": Entry(
        "/demos/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "demos/<int:pk>/": Entry(
        "/demos/{demo}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "dashboard/": Entry(
        "/dashboard/",
        get=row(
            anonymous=LOGIN,
            reporter=to("/dashboard/units/{unit}/"),
            approver=to("/dashboard/units/{unit}/"),
            office=200,
            leader=200,
            admin=200,
        ),
    ),
    "dashboard/why/": Entry(
        "/dashboard/why/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=200, admin=200),
    ),
    "dashboard/units/<int:pk>/": Entry(
        "/dashboard/units/{unit}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "bulletins/": Entry(
        "/bulletins/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "bulletins/draft/": Entry(
        "/bulletins/draft/",
        post=row(anonymous=LOGIN, reporter=403, approver=403, office=DONE, leader=403, admin=DONE),
    ),
    "bulletins/<str:code>/": Entry(
        "/bulletins/{bulletin}/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=200, leader=404, admin=200),
    ),
    "bulletins/<str:code>/commentary/": Entry(
        "/bulletins/{bulletin}/commentary/",
        post=row(anonymous=LOGIN, reporter=404, approver=404, office=DONE, leader=404, admin=DONE),
    ),
    "bulletins/<str:code>/publish/": Entry(
        "/bulletins/{bulletin}/publish/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=200, leader=404, admin=200),
    ),
    "bulletins/<str:code>/status/": Entry(
        "/bulletins/{bulletin}/status/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=200, leader=404, admin=200),
    ),
    "bulletins/<str:code>/file/<str:fmt>/": Entry(
        "/bulletins/{published}/file/pdf/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "ledger/": Entry(
        "/ledger/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "ledger/verify/": Entry(
        "/ledger/verify/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "ledger/<int:pk>/": Entry(
        "/ledger/{entry}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "ledger/<int:pk>/file/": Entry(
        "/ledger/{entry}/file/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "milestones/": Entry(
        "/milestones/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "milestones/new/<int:assignment_id>/": Entry(
        "/milestones/new/{assignment}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=403, admin=200),
    ),
    "milestones/<int:pk>/": Entry(
        "/milestones/{milestone}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "milestones/<int:pk>/edit/": Entry(
        "/milestones/{milestone}/edit/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "milestones/<int:pk>/file/": Entry(
        "/milestones/{milestone}/file/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "milestones/<int:pk>/<str:action>/": Entry(
        "/milestones/{milestone}/confirm/",
        post=row(anonymous=LOGIN, reporter=403, approver=403, office=400, leader=403, admin=400),
    ),
    "imports/": Entry(
        "/imports/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=403, admin=200),
    ),
    "imports/template/": Entry(
        "/imports/template/",
        get=row(anonymous=LOGIN, reporter=400, approver=400, office=400, leader=403, admin=400),
    ),
    "supervision/": Entry(
        "/supervision/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "supervision/new/": Entry(
        "/supervision/new/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "supervision/urge/<str:code>/": Entry(
        "/supervision/urge/{period}/",
        post=row(anonymous=LOGIN, reporter=403, approver=403, office=DONE, leader=403, admin=DONE),
    ),
    "supervision/<int:pk>/": Entry(
        "/supervision/{order}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "supervision/<int:pk>/print/": Entry(
        "/supervision/{order}/print/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "supervision/<int:pk>/file/": Entry(
        "/supervision/{order}/file/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "supervision/<int:pk>/<str:action>/": Entry(
        "/supervision/{order}/close/",
        # a GET was a 500 for everyone before this matrix (now a 405: POST only)
        post=row(anonymous=LOGIN, reporter=403, approver=403, office=DONE, leader=403, admin=DONE),
    ),
    "notifications/": Entry(
        "/notifications/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "notifications/<int:pk>/read/": Entry(
        "/notifications/{notice}/read/",
        post=row(
            anonymous=LOGIN, reporter=DONE, approver=DONE, office=DONE, leader=DONE, admin=DONE
        ),
    ),
    "notifications/read-all/": Entry(
        "/notifications/read-all/",
        post=row(
            anonymous=LOGIN, reporter=DONE, approver=DONE, office=DONE, leader=DONE, admin=DONE
        ),
    ),
    "notifications/deliveries/": Entry(
        "/notifications/deliveries/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "notifications/deliveries/<int:pk>/resend/": Entry(
        "/notifications/deliveries/{delivery}/resend/",
        post=row(anonymous=LOGIN, reporter=403, approver=403, office=DONE, leader=403, admin=DONE),
    ),
    "calendar/": Entry(
        "/calendar/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "calendar/<str:token>.ics": Entry(
        "/calendar/{feed}.ics",
        get=row(anonymous=200, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "documents/": Entry(
        "/documents/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "documents/request/": Entry(
        "/documents/request/",
        post=row(
            anonymous=LOGIN, reporter=DONE, approver=DONE, office=DONE, leader=DONE, admin=DONE
        ),
    ),
    "documents/<int:pk>/": Entry(
        "/documents/{build}/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=200, leader=200, admin=200),
    ),
    "documents/<int:pk>/status/": Entry(
        "/documents/{build}/status/",
        get=row(anonymous=LOGIN, reporter=404, approver=404, office=200, leader=200, admin=200),
    ),
    "documents/<int:pk>/download/": Entry(
        "/documents/{build}/download/",
        get=row(
            anonymous=LOGIN,
            reporter=404,
            approver=404,
            office=to("/documents/{build}/"),
            leader=to("/documents/{build}/"),
            admin=to("/documents/{build}/"),
        ),
    ),
    "annual/": Entry(
        "/annual/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=200, admin=200),
    ),
    "my/": Entry(
        "/my/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=403, leader=403, admin=403),
    ),
    "reports/start/<str:period_code>/<int:assignment_id>/": Entry(
        "/reports/start/{period}/{assignment}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=403, leader=403, admin=403),
    ),
    "reports/<int:pk>/": Entry(
        "/reports/{report}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=404, admin=200),
    ),
    "reports/<int:pk>/edit/": Entry(
        "/reports/{report}/edit/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=403, leader=404, admin=403),
    ),
    "reports/<int:pk>/evidence/<int:eid>/": Entry(
        "/reports/{report}/evidence/{evidence}/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=404, admin=200),
    ),
    "review/": Entry(
        "/review/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "approvals/": Entry(
        "/approvals/",
        get=row(anonymous=LOGIN, reporter=403, approver=200, office=403, leader=403, admin=403),
    ),
    "periods/": Entry(
        "/periods/",
        get=row(anonymous=LOGIN, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "periods/<str:code>/": Entry(
        "/periods/{period}/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=200, admin=200),
    ),
    "periods/<str:code>/open/": Entry(
        "/periods/{closed_period}/open/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "periods/<str:code>/close/": Entry(
        "/periods/{period}/close/",
        get=row(anonymous=LOGIN, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "api/auth/token/": Entry(
        "/api/auth/token/",
        post=row(anonymous=400, reporter=400, approver=400, office=400, leader=400, admin=400),
    ),
    "api/dashboard/": Entry(
        "/api/dashboard/",
        get=row(anonymous=401, reporter=403, approver=403, office=200, leader=200, admin=200),
    ),
    "api/^sections/$": Entry(
        "/api/sections/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^sections/(?P<pk>[^/.]+)/$": Entry(
        "/api/sections/{section}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^tasks/$": Entry(
        "/api/tasks/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^tasks/(?P<pk>[^/.]+)/$": Entry(
        "/api/tasks/{task}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^units/$": Entry(
        "/api/units/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^units/(?P<pk>[^/.]+)/$": Entry(
        "/api/units/{unit}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^demos/$": Entry(
        "/api/demos/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^demos/(?P<pk>[^/.]+)/$": Entry(
        "/api/demos/{demo}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^indicators/progress/$": Entry(
        "/api/indicators/progress/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^indicators/$": Entry(
        "/api/indicators/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^indicators/(?P<pk>[^/.]+)/$": Entry(
        "/api/indicators/{indicator}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^periods/$": Entry(
        "/api/periods/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^periods/(?P<pk>[^/.]+)/$": Entry(
        "/api/periods/{period_id}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^periods/(?P<pk>[^/.]+)/close/$": Entry(
        "/api/periods/{period_id}/close/",
        post=row(anonymous=401, reporter=403, approver=403, office=200, leader=403, admin=200),
    ),
    "api/^periods/(?P<pk>[^/.]+)/open/$": Entry(
        "/api/periods/{closed_period_id}/open/",
        post=row(anonymous=401, reporter=403, approver=403, office=400, leader=403, admin=400),
    ),
    "api/^progress-reports/$": Entry(
        "/api/progress-reports/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^progress-reports/accept/$": Entry(
        "/api/progress-reports/accept/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=400, admin=400),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/$": Entry(
        "/api/progress-reports/{report}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=404, admin=200),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/accept/$": Entry(
        "/api/progress-reports/{report}/accept/",
        post=row(anonymous=401, reporter=403, approver=403, office=400, leader=404, admin=400),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/approve/$": Entry(
        "/api/progress-reports/{report}/approve/",
        post=row(anonymous=401, reporter=403, approver=403, office=403, leader=404, admin=403),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/evidence/(?P<evidence_id>[0-9]+)/$": Entry(
        "/api/progress-reports/{report}/evidence/{evidence}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=404, admin=200),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/evidence/$": Entry(
        "/api/progress-reports/{report}/evidence/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=404, admin=400),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/reopen/$": Entry(
        "/api/progress-reports/{report}/reopen/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=404, admin=400),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/return/$": Entry(
        "/api/progress-reports/{report}/return/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=404, admin=400),
    ),
    "api/^progress-reports/(?P<pk>[^/.]+)/submit/$": Entry(
        "/api/progress-reports/{report}/submit/",
        post=row(anonymous=401, reporter=200, approver=200, office=403, leader=404, admin=403),
    ),
    "api/^milestones/$": Entry(
        "/api/milestones/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/$": Entry(
        "/api/milestones/{milestone}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/confirm/$": Entry(
        "/api/milestones/{milestone}/confirm/",
        post=row(anonymous=401, reporter=403, approver=403, office=400, leader=403, admin=400),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/confirm-arrangement/$": Entry(
        "/api/milestones/{milestone}/confirm-arrangement/",
        post=row(anonymous=401, reporter=403, approver=403, office=400, leader=403, admin=400),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/file/$": Entry(
        "/api/milestones/{milestone}/file/",
        get=row(anonymous=401, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/mark-done/$": Entry(
        "/api/milestones/{milestone}/mark-done/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=400, admin=400),
    ),
    "api/^milestones/(?P<pk>[^/.]+)/reject/$": Entry(
        "/api/milestones/{milestone}/reject/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=400, admin=400),
    ),
    "api/^achievements/$": Entry(
        "/api/achievements/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^achievements/(?P<pk>[^/.]+)/$": Entry(
        "/api/achievements/{entry}/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^achievements/(?P<pk>[^/.]+)/file/$": Entry(
        "/api/achievements/{entry}/file/",
        get=row(anonymous=401, reporter=404, approver=404, office=404, leader=404, admin=404),
    ),
    "api/^achievements/(?P<pk>[^/.]+)/reject/$": Entry(
        "/api/achievements/{entry}/reject/",
        post=row(anonymous=401, reporter=400, approver=400, office=400, leader=400, admin=400),
    ),
    "api/^achievements/(?P<pk>[^/.]+)/verify/$": Entry(
        "/api/achievements/{entry}/verify/",
        post=row(anonymous=401, reporter=403, approver=403, office=400, leader=403, admin=400),
    ),
    "api/^notifications/$": Entry(
        "/api/notifications/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^notifications/read-all/$": Entry(
        "/api/notifications/read-all/",
        post=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/^notifications/(?P<pk>[^/.]+)/read/$": Entry(
        "/api/notifications/{notice}/read/",
        post=row(anonymous=401, reporter=200, approver=404, office=404, leader=404, admin=404),
    ),
    "api/": Entry(
        "/api/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/schema/": Entry(
        "/api/schema/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "api/docs/": Entry(
        "/api/docs/",
        get=row(anonymous=401, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
    "healthz/": Entry(
        "/healthz/",
        get=row(anonymous=200, reporter=200, approver=200, office=200, leader=200, admin=200),
    ),
}
