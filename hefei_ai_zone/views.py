"""Liveness for load balancers and docker-compose: the database and the cache answer."""

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from units.permissions import is_leader, is_office, is_unit_staff


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    try:
        cache.set("healthz", "1", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "1" else "error"
    except Exception:
        checks["cache"] = "error"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def home(request: HttpRequest) -> HttpResponseRedirect:
    """'/': unit users land on their work list, the office and the leader on the dashboard
    (总览); a visitor not yet logged in logs in first and then comes back here."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_unit_staff(user):  # type: ignore[arg-type]
        return redirect("reporting:my-tasks")
    if is_office(user) or is_leader(user):  # type: ignore[arg-type]
        return redirect("dashboard:dashboard")
    return redirect("plan:task-list")
