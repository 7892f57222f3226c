"""The request being served, for the audit log: who, from which address and browser.

``AuditContextMiddleware`` (after authentication) keeps the request in a context variable for
the time of the response; ``units.audit.services.record`` reads it, so a service or a model
signal records the person without being handed the request. Outside a request (Celery jobs,
management commands) there is none: the actor is None, shown as 系统.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


def current_request() -> HttpRequest | None:
    return _request.get()


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
