from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tasks.reporting.views.my_tasks import UnitDetailView
from units.sso import LoginView
from units.views import UnitListView, UnitSelfApprovalView

from .views import ApiDocsView, ApiSchemaView, healthz, home

handler400 = "hefei_ai_zone.views.bad_request"
handler403 = "hefei_ai_zone.views.permission_denied"
handler404 = "hefei_ai_zone.views.page_not_found"
handler500 = "hefei_ai_zone.views.server_error"

# A unit's pages: the list is the units app's; a unit's page shows its duties and reporting record.
unit_pages = (
    [
        path("", UnitListView.as_view(), name="unit-list"),
        path("<int:pk>/", UnitDetailView.as_view(), name="unit-detail"),
        path("<int:pk>/self-approval/", UnitSelfApprovalView.as_view(), name="unit-self-approval"),
    ],
    "units",
)

admin.site.site_header = "合肥人工智能试验区督查平台 · 管理后台"
admin.site.site_title = "督查平台管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", include("units.password")),  # change/ and change/done/
    path("accounts/2fa/", include("units.two_factor.urls")),  # 两步验证
    path("oidc/", include("units.sso")),  # single sign-on, 404 unless OIDC_ENABLED
    path("plan/", include("tasks.plan.urls")),
    path("units/", include(unit_pages)),
    path("units/", include("units.contacts.urls")),
    path("demos/", include("demos.urls")),
    path("dashboard/", include("reports.urls")),
    path("bulletins/", include("reports.bulletins.urls")),
    path("ledger/", include("tasks.ledger.urls")),
    path("milestones/", include("tasks.milestones.urls")),
    path("imports/", include("tasks.imports.urls")),
    path("supervision/", include("tasks.supervision.urls")),
    path("directives/batch/", include("tasks.directives.batch.urls")),
    path("directives/", include("tasks.directives.urls")),
    path("instructions/", include("tasks.instructions.urls")),
    path("plans/import/", include("tasks.plan_import.urls")),
    path("assessment/", include("reports.assessment.urls")),
    path("notifications/", include("units.notifications.urls")),
    path("calendar/", include("tasks.feeds.urls")),
    path("documents/", include("reports.documents.urls")),
    path("annual/", include("reports.annual.urls")),
    path("audit/", include("units.audit.urls")),
    path("", include("tasks.reporting.urls")),
    path("api/", include("hefei_ai_zone.api_urls")),
    path("api/schema/", ApiSchemaView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
