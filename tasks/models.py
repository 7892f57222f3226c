"""The models of the tasks app, one module per slice; this module re-exports them so that the
app label, the table names and the migrations stay as they were (``tasks.models.X``)."""

from tasks.directives.models import (  # noqa: F401
    DONE_DIRECTIVE_STATES,
    OPEN_DIRECTIVE_STATES,
    Directive,
    DirectiveAction,
    DirectiveAttachment,
    DirectiveExtension,
    DirectiveFeedback,
    DirectiveNumber,
    DirectiveSource,
    DirectiveState,
    DirectiveStep,
    DirectiveUnit,
    ExtensionState,
    FeedbackKind,
    FeedbackRhythm,
    FeedbackState,
)
from tasks.feeds.models import CalendarFeed  # noqa: F401
from tasks.files import attachment_path  # noqa: F401  (the migrations name it here)
from tasks.instructions.models import (  # noqa: F401
    InstructionState,
    InstructionTarget,
    LeaderInstruction,
    LeaderPreference,
)
from tasks.ledger.models import (  # noqa: F401
    AchievementDomain,
    AchievementEntry,
    AchievementKind,
    EntryState,
)
from tasks.milestones.models import (  # noqa: F401
    Milestone,
    MilestoneState,
)
from tasks.plan.models import (  # noqa: F401
    Assignment,
    AssignmentRole,
    Indicator,
    IndicatorTarget,
    Item,
    Plan,
    Section,
    Task,
    TaskQuerySet,
)
from tasks.reminders.models import (  # noqa: F401
    Escalation,
    ReminderRule,
    RuleKind,
)
from tasks.reporting.models import (  # noqa: F401
    EDITABLE_STATES,
    QUARTER_NAMES,
    SUBMITTED_STATES,
    Evidence,
    PeriodState,
    ProgressReport,
    ProgressStatus,
    ReportingPeriod,
    ReportState,
    ReportTransition,
    ReportVersion,
    evidence_path,
)
from tasks.supervision.models import (  # noqa: F401
    OrderState,
    StepAction,
    SupervisionNumber,
    SupervisionOrder,
    SupervisionStep,
    Urge,
)
from tasks.workdays.models import (  # noqa: F401
    CalendarDay,
    WorkdaySource,
    WorkdayYear,
)
