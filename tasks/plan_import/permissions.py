"""Who may import a new plan from Excel: the office (领导小组办公室, and the administrator, as
units.permissions.is_office says). A plan is the office's: units, leaders and the auditor read
plans but never create one."""

from django.contrib.auth.models import AnonymousUser

from units.models import User
from units.permissions import is_office

NOT_ALLOWED = "从 Excel 导入新的实施方案由领导小组办公室操作。"


def can_import_plan(user: User | AnonymousUser) -> bool:
    return is_office(user)
