"""API token authentication with an expiry: a token older than API_TOKEN_TTL_DAYS days (0 = no
expiry) is refused with a Chinese 401 and deleted; ``/api/auth/token/`` then issues a new one
(units.services.token_issue). Tokens are dated on the real clock (DRF's ``Token.created``), not
the demo date of settings.local."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

EXPIRED = "令牌已过期，请重新获取（POST /api/auth/token/）。"
INVALID = "令牌无效或已被撤销，请重新获取。"
INACTIVE = "账号已停用。"


def token_expired(token: Token) -> bool:
    days = settings.API_TOKEN_TTL_DAYS
    return bool(days) and timezone.now() - token.created > timedelta(days=days)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Token]:
        token = Token.objects.select_related("user", "user__unit").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(INACTIVE)
        if token_expired(token):
            token.delete()
            raise exceptions.AuthenticationFailed(EXPIRED)
        return token.user, token
