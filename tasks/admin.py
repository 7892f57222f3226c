"""The admin of the tasks app: each slice registers its own models."""

from tasks.ledger import admin as ledger_admin  # noqa: F401
from tasks.milestones import admin as milestones_admin  # noqa: F401
from tasks.plan import admin as plan_admin  # noqa: F401
from tasks.reminders import admin as reminders_admin  # noqa: F401
from tasks.reporting import admin as reporting_admin  # noqa: F401
from tasks.supervision import admin as supervision_admin  # noqa: F401
from tasks.workdays import admin as workdays_admin  # noqa: F401
