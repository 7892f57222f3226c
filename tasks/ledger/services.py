"""Writes of the achievement ledger (成果台账): record, correct, verify and reject entries.

Every function takes the acting user, checks tasks.ledger.permissions (refusing exactly what its
``allowed_actions`` leaves out, and bad input), runs in one transaction and locks the entry it
changes, so that the pages and the API follow the same rules. Indicator values are counts of
verified entries (tasks.ledger.selectors.indicator_progress): nothing here types a value in. An
identifier (patent number, standard number) counts once per plan and kind: the service refuses a
second one naming the first, and the constraint ``ledger_identifier_counts_once`` is the backstop
when two requests race.
"""

import re
import unicodedata
from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from hefei_ai_zone import clock
from hefei_ai_zone.db import locked
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from tasks.files import upload_stored
from tasks.ledger.models import IDENTIFIER_REQUIRED
from tasks.ledger.permissions import (
    can_edit_entry,
    can_record_entry,
    can_verify_entry,
    lacks_identifier,
)
from tasks.models import (
    AchievementDomain,
    AchievementEntry,
    AchievementKind,
    EntryState,
    Plan,
    Task,
)
from tasks.reminders import events as reminders
from units.models import Unit, User
from units.permissions import is_office, is_unit_staff

IDENTIFIER_NAMES = {AchievementKind.PATENT: "专利号", AchievementKind.STANDARD: "标准号"}
TITLE_MAX = 255
IDENTIFIER_MAX = 128
NOTE_MAX = 2000
COMMENT_MAX = 2000


class _Keep:
    """A field left as it is (``None`` would mean "clear" for the related task)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def _error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, {"fields": {field: [message]}})


def _refused(field: str, message: str) -> NotPermittedError:
    return NotPermittedError(message, {"fields": {field: [message]}})


def identifier_normalise(value: str, kind: str = "") -> str:
    """Full-width to half-width (ＺＬ２０２１… → ZL2021…), upper case, no surrounding blanks and
    single inner spaces; a patent number has no spaces at all (ZL 2021 1012 3456.7)."""
    text = unicodedata.normalize("NFKC", value or "").replace("\u3000", " ")
    text = re.sub(r"\s+", " ", text).strip().upper()
    if kind == AchievementKind.PATENT:
        text = text.replace(" ", "")
    return text


def _entry_label(entry: AchievementEntry) -> str:
    return f"“{entry.title}”（条目 {entry.pk}，{entry.unit.name}，{entry.get_state_display()}）"


def _duplicate_of(
    *, plan_id: int, kind: str, identifier: str, exclude: int | None
) -> AchievementEntry | None:
    if not identifier:
        return None
    others = AchievementEntry.objects.filter(
        plan=plan_id, kind=kind, identifier=identifier
    ).exclude(state=EntryState.REJECTED)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    return others.select_related("unit").order_by("id").first()


def _duplicate_error(identifier: str, other: AchievementEntry) -> ApplicationError:
    return _error(
        "identifier",
        f"编号 {identifier} 已登记在条目{_entry_label(other)}中，同一编号只能计数一次。",
    )


def _clean(values: dict[str, Any], plan: Plan) -> dict[str, Any]:
    """Check the entry's fields together; every error names its field, in Chinese."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    kind = values["kind"]
    if kind not in AchievementKind.values:
        fail("kind", "请选择成果类型。" if not kind else f"没有“{kind}”这种成果类型。")
    domain = values["domain"] or AchievementDomain.GENERAL
    if domain not in AchievementDomain.values:
        fail("domain", f"没有“{domain}”这个领域。")
    title = str(values["title"] or "").strip()
    if not title:
        fail("title", "请填写成果名称。")
    elif len(title) > TITLE_MAX:
        fail("title", f"成果名称不能超过 {TITLE_MAX} 个字。")
    when = values["date"]
    if not isinstance(when, date):
        fail("date", "请填写取得日期（年-月-日）。")
    else:
        today = clock.today()
        if when > today:
            fail("date", f"取得日期 {when:%Y-%m-%d} 晚于今天，不能登记尚未取得的成果。")
        elif not plan.start_year <= when.year <= plan.end_year:
            fail(
                "date",
                f"取得日期应在实施方案的年度 {plan.start_year}–{plan.end_year} 年之内，"
                f"{when:%Y-%m-%d} 不在其中。",
            )
    unit = values["unit"]
    if unit is None:
        fail("unit", "请选择填报单位。")
    elif unit.is_group:
        fail("unit", f"“{unit.name}”是单位集合，请选择具体的单位。")
    task = values["task"]
    if task is not None and task.plan_id != plan.pk:
        fail("task", f"任务 {task.code} 不属于{plan}，请选择本方案的任务。")
    identifier = identifier_normalise(str(values["identifier"] or ""), kind)
    if len(identifier) > IDENTIFIER_MAX:
        fail("identifier", f"编号不能超过 {IDENTIFIER_MAX} 个字符。")
    if kind in IDENTIFIER_REQUIRED and not identifier:
        name = IDENTIFIER_NAMES[AchievementKind(kind)]
        fail("identifier", f"{AchievementKind(kind).label}必须填写{name}，以免重复计数。")
    note = str(values["note"] or "").strip()
    if len(note) > NOTE_MAX:
        fail("note", f"说明不能超过 {NOTE_MAX} 个字。")
    if errors:
        first = next(iter(errors.values()))[0]
        summary = first if len(errors) == 1 else f"有 {len(errors)} 处需要修改：{first}"
        raise ApplicationError(summary, {"fields": errors})
    return {**values, "domain": domain, "title": title, "identifier": identifier, "note": note}


def _save(entry: AchievementEntry, **kwargs: Any) -> None:
    """Save, turning the identifier constraint (a race between two requests) into the message."""
    try:
        with transaction.atomic():
            entry.save(**kwargs)
    except IntegrityError as exc:
        if "ledger_identifier_counts_once" not in str(exc):
            raise
        other = _duplicate_of(
            plan_id=entry.plan_id, kind=entry.kind, identifier=entry.identifier, exclude=entry.pk
        )
        if other is None:
            message = f"编号 {entry.identifier} 已登记，同一编号只能计数一次。"
            raise _error("identifier", message) from exc
        raise _duplicate_error(entry.identifier, other) from exc


@transaction.atomic
def entry_create(
    *,
    actor: User,
    plan: Plan,
    kind: str,
    title: str,
    date: date | None,
    unit: Unit | None = None,
    domain: str = AchievementDomain.GENERAL,
    task: Task | None = None,
    identifier: str = "",
    note: str = "",
    upload: UploadedFile | None = None,
) -> AchievementEntry:
    """Record an achievement, pending the office's verification. Unit staff record for their own
    unit (the default); the office for any unit."""
    if unit is None and is_unit_staff(actor):
        unit = actor.unit
    if not (is_office(actor) or is_unit_staff(actor)):
        raise _refused("unit", "只有责任单位的填报员、审核人和领导小组办公室可以登记成果。")
    if unit is not None and not can_record_entry(actor, unit):
        raise _refused("unit", f"您只能为本单位登记成果，不能为“{unit.name}”登记。")
    values = _clean(
        {
            "kind": kind,
            "domain": domain,
            "title": title,
            "date": date,
            "unit": unit,
            "task": task,
            "identifier": identifier,
            "note": note,
        },
        plan,
    )
    other = _duplicate_of(
        plan_id=plan.pk, kind=values["kind"], identifier=values["identifier"], exclude=None
    )
    if other is not None:
        raise _duplicate_error(values["identifier"], other)
    entry = AchievementEntry(plan=plan, created_by=actor, **values)
    with upload_stored(entry, upload):
        _save(entry)
    return entry


@transaction.atomic
def entry_update(
    *,
    actor: User,
    entry: AchievementEntry,
    kind: str = KEEP,
    domain: str = KEEP,
    title: str = KEEP,
    date: date | None = KEEP,
    unit: Unit = KEEP,
    task: Task | None = KEEP,
    identifier: str = KEEP,
    note: str = KEEP,
    upload: UploadedFile | None = None,
) -> AchievementEntry:
    """Correct an entry until it is verified; a rejected entry corrected goes back to the office
    (pending). Only the fields given change."""
    entry = locked(entry, "plan", "unit", "task")
    if not can_edit_entry(actor, entry):
        if entry.state == EntryState.VERIFIED:
            raise NotPermittedError("条目已核实，不能再修改；如有错误，请联系领导小组办公室。")
        raise NotPermittedError("只有填报单位的填报员、审核人或领导小组办公室可以修改此条目。")
    if unit is not KEEP and not can_record_entry(actor, unit):
        raise _refused("unit", f"您只能为本单位登记成果，不能改为“{unit.name}”。")
    given = {
        "kind": kind,
        "domain": domain,
        "title": title,
        "date": date,
        "unit": unit,
        "task": task,
        "identifier": identifier,
        "note": note,
    }
    current = {name: getattr(entry, name) for name in given}
    values = _clean({k: current[k] if v is KEEP else v for k, v in given.items()}, entry.plan)
    other = _duplicate_of(
        plan_id=entry.plan_id,
        kind=values["kind"],
        identifier=values["identifier"],
        exclude=entry.pk,
    )
    if other is not None:
        raise _duplicate_error(values["identifier"], other)
    for name, value in values.items():
        setattr(entry, name, value)
    if entry.state == EntryState.REJECTED:
        entry.state = EntryState.PENDING
    with upload_stored(entry, upload):
        _save(entry)
    return entry


@transaction.atomic
def entry_verify(*, actor: User, entry: AchievementEntry, comment: str = "") -> AchievementEntry:
    """The office confirms the entry: from now on it counts towards its indicators. A rejected
    entry may be verified after all, unless its identifier has been counted since."""
    if not can_verify_entry(actor):
        raise NotPermittedError("只有领导小组办公室可以核实台账条目。")
    entry = locked(entry, "plan", "unit", "task")
    if entry.state == EntryState.VERIFIED:
        raise _error("state", f"条目“{entry.title}”已经核实过了。")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise _error("comment", f"核实意见不能超过 {COMMENT_MAX} 个字。")
    if lacks_identifier(entry):
        raise _error("identifier", "该条目没有填写编号，请填报单位补充后再核实。")
    other = _duplicate_of(
        plan_id=entry.plan_id, kind=entry.kind, identifier=entry.identifier, exclude=entry.pk
    )
    if other is not None:
        raise _duplicate_error(entry.identifier, other)
    entry.state = EntryState.VERIFIED
    entry.verified_by = actor
    entry.verified_at = clock.now()
    entry.review_comment = comment
    _save(entry, update_fields=["state", "verified_by", "verified_at", "review_comment"])
    return entry


@transaction.atomic
def entry_reject(*, actor: User, entry: AchievementEntry, comment: str) -> AchievementEntry:
    """The office refuses the entry (a duplicate, not an achievement of the zone, no evidence),
    saying why; a verified entry rejected stops counting."""
    if not can_verify_entry(actor):
        raise NotPermittedError("只有领导小组办公室可以核实台账条目。")
    entry = locked(entry, "plan", "unit", "task")
    if entry.state == EntryState.REJECTED:
        raise _error("state", f"条目“{entry.title}”已经是“未通过核实”。")
    comment = (comment or "").strip()
    if not comment:
        raise _error("comment", "请填写未通过核实的理由，以便填报单位修改。")
    if len(comment) > COMMENT_MAX:
        raise _error("comment", f"核实意见不能超过 {COMMENT_MAX} 个字。")
    entry.state = EntryState.REJECTED
    entry.verified_by = actor
    entry.verified_at = clock.now()
    entry.review_comment = comment
    entry.save(update_fields=["state", "verified_by", "verified_at", "review_comment"])
    reminders.entry_rejected(entry)
    return entry
