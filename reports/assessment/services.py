"""Writes of 督查考核, one transaction each: a new version of a year's rules (never an edit in
place), publishing a year's ranking (a frozen snapshot), publishing it again with a reason (the
old publication kept, marked superseded)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from hefei_ai_zone import clock
from hefei_ai_zone.errors import ApplicationError, NotPermittedError
from units.models import User

from .models import DEDUCTIONS, WEIGHTS, AssessmentPublication, AssessmentRules
from .permissions import can_manage
from .selectors import as_of_day, ranking, rules_in_force, rules_version_in_force, year_facts

MAX_POINTS = Decimal(100)


def _fields_error(message: str, fields: dict[str, list[str]]) -> ApplicationError:
    return ApplicationError(message, {"fields": fields})


def validate_rules(values: dict[str, Any]) -> None:
    """Weights and deductions numbers from 0 to 100, the weights summing to 100; caps empty or
    from 0 to 100. Messages in Chinese, per field."""
    errors: dict[str, list[str]] = {}
    names = [f"w_{k}" for k, _ in WEIGHTS] + [f"d_{k}" for k, _l, _u in DEDUCTIONS]
    caps = [f"cap_{k}" for k, _l, _u in DEDUCTIONS]
    for name in names + caps:
        value = values.get(name)
        if value is None:
            if name in names:
                errors[name] = ["请填写数字。"]
            continue
        if not isinstance(value, Decimal | int) or isinstance(value, bool):
            errors[name] = ["请填写数字。"]
        elif value < 0:
            errors[name] = ["不能为负数。"]
        elif value > MAX_POINTS:
            errors[name] = ["不能超过 100 分。"]
    if errors:
        raise _fields_error("考核细则有误，请按提示修改。", errors)
    total = sum((Decimal(values[f"w_{k}"]) for k, _ in WEIGHTS), Decimal(0))
    if total != MAX_POINTS:
        message = f"各项权重之和须为 100，现为 {total.normalize():f}。"
        raise _fields_error(message, {"__all__": [message]})


@transaction.atomic
def rules_create(*, actor: User, year: int, values: dict[str, Any]) -> AssessmentRules:
    """The next version of the year's rules (the older ones stay as they were)."""
    if not can_manage(actor):
        raise NotPermittedError("考核细则由领导小组办公室制定。")
    validate_rules(values)
    # the year's versions are numbered under a lock: two editors never take the same number
    last = (
        AssessmentRules.objects.select_for_update().filter(year=year).order_by("-version").first()
    )
    allowed = {f"w_{k}" for k, _ in WEIGHTS} | {
        f"{p}_{k}" for k, _l, _u in DEDUCTIONS for p in ("d", "cap")
    }
    rules = AssessmentRules(
        year=year,
        version=(last.version if last else 0) + 1,
        note=str(values.get("note") or ""),
        created_by=actor,
        **{k: v for k, v in values.items() if k in allowed},
    )
    try:
        rules.full_clean()
    except ValidationError as error:
        raise _fields_error("考核细则有误，请按提示修改。", error.message_dict) from None
    try:
        with transaction.atomic():  # the first version of a year has no row to lock
            rules.save()
    except IntegrityError:
        raise ApplicationError("考核细则刚被他人修改，请刷新后重试。") from None
    return rules


@transaction.atomic
def assessment_publish(*, actor: User, year: int, reason: str = "") -> AssessmentPublication:
    """Freeze the year's ranking under the rules in force: every unit's facts, parts, points,
    score and rank, and the rules' numbers. Publishing a year again needs a reason; the earlier
    publication is kept (superseded)."""
    if not can_manage(actor):
        raise NotPermittedError("考核结果由领导小组办公室发布。")
    current = (
        AssessmentPublication.objects.select_for_update()
        .filter(year=year, superseded=False)
        .first()
    )
    reason = reason.strip()
    if current is not None and not reason:
        raise _fields_error(
            f"{year}年考核结果已发布，重新发布须说明理由。",
            {"reason": ["请填写重新发布的理由。"]},
        )
    if year > clock.today().year:
        raise _fields_error("不能发布尚未开始年度的考核结果。", {"year": ["年度无效。"]})
    version = rules_version_in_force(year)
    rules = rules_in_force(year)
    rows = ranking(year_facts(year), rules)
    if current is not None:
        current.superseded = True
        current.save(update_fields=["superseded"])
    try:
        with transaction.atomic():  # a first publication of the year has no row to lock
            return AssessmentPublication.objects.create(
                year=year,
                rules_version=version,
                rules=rules.as_dict(),
                rows=rows,
                as_of=as_of_day(year),
                reason=reason,
                published_by=actor,
            )
    except IntegrityError:
        raise ApplicationError(f"{year}年考核结果刚被他人发布，请刷新后查看。") from None
