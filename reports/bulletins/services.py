"""Writes of the 督查通报, one transaction each, permissions checked here.

- ``bulletin_draft``: the office's 起草 (or the daily job's, without an actor): one bulletin per
  quarter, created once; a second call returns it.
- ``bulletin_commentary_save``: the office's text for 九、工作要求, on a draft only.
- ``bulletin_publish``: numbers it (合智试办〔year〕N号 from ``BulletinNumber`` under a row lock),
  dates it, freezes the content (``snapshot``), tells every unit's staff and the leaders (one
  notice each) and, after the commit, starts the PDF and Word builds whose files are kept as the
  issued ones (``bulletin_file_keep``, called by the builder).
- ``bulletins_draft_due``: the daily job: drafts the quarters whose due date's next working day
  is today, and starts their builds.
"""

import datetime
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from reports.documents.models import DocumentBuild
from reports.documents.services import build_request
from tasks.models import ReportingPeriod
from tasks.plan.selectors import plan_current
from tasks.workdays.selectors import next_workday
from units.models import Role, User
from units.notifications.services import notify

from .models import COMMENTARY_MAX, Bulletin, BulletinNumber, BulletinState
from .permissions import can_manage
from .selectors import bulletin_content

FORMATS = ("pdf", "docx")


def _require_office(actor: User | None) -> None:
    if actor is not None and not can_manage(actor):
        raise NotPermittedError("督查通报由领导小组办公室起草和发布。")


def bulletin_title(period: ReportingPeriod) -> str:
    return f"{period.label}督查通报"


def bulletin_draft(*, actor: User | None, period: ReportingPeriod) -> Bulletin:
    """The quarter's bulletin, created as a draft if there is none (the daily job: no actor)."""
    _require_office(actor)
    if not period.quarter:
        raise ApplicationError("督查通报按季度编发，这个报送周期不是季度。")
    with transaction.atomic():
        bulletin, _created = Bulletin.objects.get_or_create(
            period=period,
            defaults={"title": bulletin_title(period), "drafted_by": actor},
        )
    return bulletin


def bulletin_commentary_save(*, actor: User, bulletin: Bulletin, commentary: str) -> Bulletin:
    _require_office(actor)
    text = (commentary or "").replace("\r\n", "\n").strip()
    if len(text) > COMMENTARY_MAX:
        raise ApplicationError(
            f"工作要求最多 {COMMENTARY_MAX} 字，现有 {len(text)} 字。",
            {"fields": {"commentary": [f"最多 {COMMENTARY_MAX} 字。"]}},
        )
    with transaction.atomic():
        row = locked(bulletin)
        if row.is_published:
            raise ApplicationError("督查通报已发布，内容不能再修改。")
        row.commentary = text
        row.save(update_fields=["commentary"])
    return row


def _next_number(year: int) -> int:
    BulletinNumber.objects.bulk_create([BulletinNumber(year=year)], ignore_conflicts=True)
    counter = BulletinNumber.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _readers() -> list[User]:
    """Every unit's active reporters and approvers, and the leaders (one query)."""
    return list(
        User.objects.filter(is_active=True)
        .filter(role__in=(Role.REPORTER, Role.APPROVER, Role.LEADER))
        .exclude(role__in=(Role.REPORTER, Role.APPROVER), unit__isnull=True)
        .order_by("pk")
    )


def bulletin_publish(*, actor: User, bulletin: Bulletin) -> Bulletin:
    """Number, date and freeze the bulletin, notify its readers, start the issued files' builds."""
    _require_office(actor)
    with transaction.atomic():
        row = locked(bulletin, "period__plan")
        if row.is_published:
            raise ApplicationError(f"督查通报已于 {row.published_date} 发布（{row.number}）。")
        if not row.commentary.strip():
            raise ApplicationError(
                "请先填写“九、工作要求”再发布。",
                {"fields": {"commentary": ["发布前须填写工作要求。"]}},
            )
        now = clock.now()
        year = clock.local_date(now).year
        row.year, row.seq = year, _next_number(year)
        row.published_at, row.published_by = now, actor
        row.state = BulletinState.PUBLISHED
        row.snapshot = dict(bulletin_content(row.period, row.commentary))
        row.save()
        notify(
            rule="bulletin",
            key=f"bulletin:{row.pk}:published",
            recipients=_readers(),
            title=f"{row.title}已发布（{row.number}）",
            body="领导小组办公室发布了督查通报，请登录平台查阅并按通报要求抓好落实。",
            link=reverse("bulletins:detail", args=[row.period.code]),
        )
        transaction.on_commit(_builds_starter(actor, row))
    return row


def _builds_starter(actor: User | None, bulletin: Bulletin) -> Callable[[], None]:
    def start() -> None:
        bulletin_builds_start(actor=actor, bulletin=bulletin)

    return start


def _office_account() -> User | None:
    """Who the daily job's builds are requested for: the first active office account."""
    return User.objects.filter(role=Role.OFFICE, is_active=True).order_by("pk").first()


def bulletin_builds_start(*, actor: User | None, bulletin: Bulletin) -> list[DocumentBuild]:
    """Request the PDF and Word builds of the bulletin through the document jobs (a build already
    running for the same file is joined). The daily job (no actor) requests them for the office's
    first account; with no office account there is nobody to read them, and nothing is built."""
    requester = actor or _office_account()
    if requester is None:
        return []
    params = bulletin_build_params(bulletin)
    return [
        build_request(user=requester, kind="bulletin", params=params, fmt=fmt) for fmt in FORMATS
    ]


def bulletin_build_params(bulletin: Bulletin) -> dict[str, str]:
    params = {"period": bulletin.period.code}
    if bulletin.is_published:
        params["issued"] = "1"
    return params


def bulletin_file_keep(*, bulletin_id: int, fmt: str, filename: str, content: bytes) -> bool:
    """Keep a file built from a published bulletin as its issued file, if none is kept yet (the
    first one built is what was issued). True when kept."""
    if fmt not in FORMATS:
        raise ApplicationError("督查通报只有 PDF 和 Word 两种文件。")
    field = f"{fmt}_file"
    with transaction.atomic():
        row = locked(Bulletin(pk=bulletin_id))
        if not row.is_published or getattr(row, field):
            return False
        getattr(row, field).save(filename, ContentFile(content), save=False)
        row.save(update_fields=[field])
    return True


def bulletin_due_periods(today: datetime.date) -> list[ReportingPeriod]:
    """The current plan's quarters whose due date's next working day is ``today``."""
    plan = plan_current()
    if plan is None:
        return []
    candidates = ReportingPeriod.objects.filter(
        plan=plan,
        quarter__isnull=False,
        due_date__lt=today,
        due_date__gte=today - datetime.timedelta(days=40),
    ).select_related("plan")
    return [p for p in candidates if next_workday(p.due_date + datetime.timedelta(days=1)) == today]


def bulletins_draft_due(*, today: datetime.date | None = None) -> list[Bulletin]:
    """Draft the bulletins due today and start their builds; a second run does nothing."""
    today = today or clock.today()
    drafted = []
    for period in bulletin_due_periods(today):
        with transaction.atomic():
            bulletin, created = Bulletin.objects.get_or_create(
                period=period, defaults={"title": bulletin_title(period)}
            )
            if created:
                transaction.on_commit(_builds_starter(None, bulletin))
                drafted.append(bulletin)
    return drafted
