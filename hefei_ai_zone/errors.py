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
