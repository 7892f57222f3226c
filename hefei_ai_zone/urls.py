from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from tasks.views_reporting import home

from .views import ApiDocsView, healthz

handler400 = "hefei_ai_zone.views.bad_request"
handler403 = "hefei_ai_zone.views.permission_denied"
handler404 = "hefei_ai_zone.views.page_not_found"
handler500 = "hefei_ai_zone.views.server_error"

admin.site.site_header = "合肥人工智能试验区督查平台 · 管理后台"
admin.site.site_title = "督查平台管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", include("units.password")),  # change/ and change/done/
    path("plan/", include("tasks.urls")),
    path("units/", include("units.urls")),
    path("demos/", include("demos.urls")),
    path("dashboard/", include("reports.urls")),
    path("ledger/", include("tasks.urls_ledger")),
    path("milestones/", include("tasks.urls_milestones")),
    path("", include("tasks.urls_reporting")),
    path("api/", include("hefei_ai_zone.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]
