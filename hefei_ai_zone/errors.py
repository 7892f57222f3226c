"""The application's error types. Services raise them; views, the API and commands translate them.

Each carries a message in Chinese for the person in front of the screen, optional ``extra`` data
(the fields at fault, the other person's change), and the HTTP status the API answers with.
"""

from typing import Any


class ApplicationError(Exception):
    """A request that breaks a business rule or has bad input (400)."""

    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotPermittedError(ApplicationError):
    """The user may see the object but not do this to it (403)."""

    status_code = 403


class ConflictError(ApplicationError):
    """Someone else changed the object since the user loaded it (409); ``extra`` shows it."""

    status_code = 409


# The database unreachable (PostgreSQL stopped or restarting): every request answers 503 with
# this message (hefei_ai_zone.views.server_error for pages, hefei_ai_zone.api for the API), not a
# 500 with a traceback; the next request after it is back opens a new connection.
DATABASE_UNAVAILABLE_MESSAGE = "数据库暂时无法连接，请稍后重试。"
DATABASE_RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    """Is ``exc`` (or what caused it) the database being unreachable? Django wraps the driver's
    errors in ``OperationalError`` (connection refused, terminated by the administrator, the
    server shutting down) and ``InterfaceError`` (a connection already closed). A deadlock or a
    cancelled statement is an OperationalError too: answered the same way, "try again", which is
    what the person should do then as well."""
    from django.db.utils import InterfaceError, OperationalError

    return isinstance(exc, OperationalError | InterfaceError)
