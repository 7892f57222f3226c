"""Who may read the audit log (三员分立): the security auditor, and nobody else — not the system
administrator, not the office. Nobody may change it (units.audit.models)."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_auditor


def can_read_audit_log(user: User | AnonymousUser) -> bool:
    return is_auditor(user)
