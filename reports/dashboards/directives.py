"""督办事项 beside the plan's tasks: the dashboard's block and a unit's items, counted in a fixed
number of queries whatever the number of items.

The lights are tasks.lights' rule for items (``directive_light``: the deadline counts like a
milestone's, the lead unit's counted feedback status like a report's, a closed item is green);
it is applied in Python to the open items, fetched in one query, so the rule is never re-stated
in SQL. Items are not kept per period: the block is as of today (``clock.today()``), whatever
period the dashboard shows, and it is computed outside the dashboard's cache (like
``build.with_supervision``), so an item issued, signed or closed counts at once.

Closed on time: closed (办结) by the deadline in force (``due_date``, moved by an approved
extension); the assessment's own count against ``original_due_date`` is the 考核's.
"""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.utils import timezone

from hefei_ai_zone import clock
from tasks.lights import SEVERITY, Light, directive_light, directive_overdue_days
from tasks.models import (
    DONE_DIRECTIVE_STATES,
    OPEN_DIRECTIVE_STATES,
    Directive,
    DirectiveSource,
    DirectiveState,
    DirectiveUnit,
)
from units.models import Unit

from .periods import LIGHTS

# The most red and yellow items the dashboard lists (worst first); the rest are counted.
DIRECTIVE_ROWS = 50


def directive_path(pk: int) -> str:
    """The item's page (tasks.directives' pages: directives:detail)."""
    return f"/directives/{pk}/"


def year_window(year: int) -> tuple[datetime, datetime]:
    """[1 January, next 1 January) of ``year`` in the local time zone."""
    tz = timezone.get_current_timezone()
    first = datetime.combine(date(year, 1, 1), time.min, tzinfo=tz)
    return first, datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz)


def lead_unit_name() -> Subquery:
    """The lead unit's name of the item in the outer query."""
    return Subquery(
        DirectiveUnit.objects.filter(directive=OuterRef("pk"), role="lead").values("unit__name")[:1]
    )


def unsigned_late(today: date) -> Exists:
    """Whether a unit of the item in the outer query has not signed by its sign-in deadline."""
    return Exists(
        DirectiveUnit.objects.filter(
            directive=OuterRef("pk"),
            signed_at__isnull=True,
            directive__sign_due_date__lt=today,
        )
    )


def deadline_dict(due: date | None, original: date | None) -> dict[str, Any]:
    return {
        "due_date": due.isoformat() if due else None,
        "original_due_date": original.isoformat() if original else None,
        "extended": bool(due and original and due != original),
    }


def directive_block(today: date | None = None) -> dict[str, Any]:
    """The dashboard's 督办事项 block as of ``today``: the open items by light, overdue, not
    signed in time, by source; the items closed this year on time or late; the red and yellow
    items listed, worst first. Two queries."""
    today = today or clock.today()
    rows = list(
        Directive.objects.filter(state__in=OPEN_DIRECTIVE_STATES)
        .annotate(lead_name=lead_unit_name(), unsigned=unsigned_late(today))
        .order_by("due_date", "year", "seq", "pk")
        .values(
            "pk",
            "year",
            "seq",
            "title",
            "source",
            "state",
            "status",
            "due_date",
            "original_due_date",
            "closed_at",
            "lead_name",
            "unsigned",
        )
    )
    first, after = year_window(today.year)
    closed = (
        Directive.objects.filter(
            state__in=DONE_DIRECTIVE_STATES, closed_at__gte=first, closed_at__lt=after
        )
        .values("source")
        .annotate(
            total=Count("pk"),
            on_time=Count("pk", filter=Q(closed_at__date__lte=F("due_date"))),
        )
        .order_by("source")
    )
    by_source: dict[str, dict[str, Any]] = {
        source: {"source": source, "label": label, "open": 0, "closed": 0}
        for source, label in DirectiveSource.choices
    }
    closed_total = closed_on_time = 0
    for c in closed:
        by_source[c["source"]]["closed"] = c["total"]
        closed_total += c["total"]
        closed_on_time += c["on_time"]

    lights = dict.fromkeys(LIGHTS, 0)
    overdue = unsigned = 0
    listed: list[dict[str, Any]] = []
    for r in rows:
        light = directive_light(
            state=r["state"],
            status=r["status"],
            due_date=r["due_date"],
            closed_at=r["closed_at"],
            as_of=today,
        )
        days = directive_overdue_days(
            state=r["state"], due_date=r["due_date"], closed_at=r["closed_at"], as_of=today
        )
        light = light or Light.GREY.value
        lights[light] += 1
        overdue += days > 0
        unsigned += bool(r["unsigned"])
        by_source[r["source"]]["open"] += 1
        if light in (Light.RED.value, Light.YELLOW.value):
            listed.append(
                {
                    "id": r["pk"],
                    "number": f"合智督〔{r['year']}〕{r['seq']}号",
                    "title": r["title"],
                    "source": r["source"],
                    "source_label": DirectiveSource(r["source"]).label,
                    "state": r["state"],
                    "state_label": DirectiveState(r["state"]).label,
                    "lead_unit": r["lead_name"] or "",
                    **deadline_dict(r["due_date"], r["original_due_date"]),
                    "overdue_days": days,
                    "light": light,
                    "url": directive_path(r["pk"]),
                }
            )
    listed.sort(key=lambda d: (-SEVERITY[d["light"]], -d["overdue_days"], d["due_date"] or ""))
    return {
        "as_of": today.isoformat(),
        "year": today.year,
        "open": len(rows),
        "lights": lights,
        "overdue": overdue,
        "unsigned": unsigned,
        "closed": closed_total,
        "closed_on_time": closed_on_time,
        "closed_late": closed_total - closed_on_time,
        "by_source": list(by_source.values()),
        "attention": len(listed),
        "items": listed[:DIRECTIVE_ROWS],
    }


def unit_directives(unit: Unit, today: date | None = None) -> dict[str, Any]:
    """The unit's items (lead or co): the open ones and those closed this year, with their
    lights, the unit's role, its sign-in, the next feedback date and the deadline. One query."""
    today = today or clock.today()
    first, after = year_window(today.year)
    duties = (
        DirectiveUnit.objects.filter(unit=unit)
        .filter(
            Q(directive__state__in=OPEN_DIRECTIVE_STATES)
            | Q(
                directive__state__in=DONE_DIRECTIVE_STATES,
                directive__closed_at__gte=first,
                directive__closed_at__lt=after,
            )
        )
        .select_related("directive")
        .annotate(
            lead_name=Subquery(
                DirectiveUnit.objects.filter(
                    directive=OuterRef("directive_id"), role="lead"
                ).values("unit__name")[:1]
            )
        )
        .order_by("directive__due_date", "directive__year", "directive__seq", "directive_id")
    )
    items = []
    for du in duties:
        d = du.directive
        light = directive_light(
            state=d.state, status=d.status, due_date=d.due_date, closed_at=d.closed_at, as_of=today
        )
        signed = du.signed_at is not None
        sign_late = not signed and d.sign_due_date is not None and d.sign_due_date < today
        items.append(
            {
                "id": d.pk,
                "number": d.number,
                "title": d.title,
                "source_label": d.get_source_display(),
                "state": d.state,
                "state_label": d.get_state_display(),
                "open": d.is_open,
                "role": du.role,
                "role_label": du.get_role_display(),
                "lead_unit": du.lead_name or "",
                "signed": signed,
                "signed_at": timezone.localtime(du.signed_at).strftime("%Y-%m-%d %H:%M")
                if du.signed_at
                else None,
                "sign_due_date": d.sign_due_date.isoformat() if d.sign_due_date else None,
                "sign_late": sign_late,
                "next_feedback_date": d.next_feedback_date.isoformat()
                if d.next_feedback_date and d.is_open
                else None,
                **deadline_dict(d.due_date, d.original_due_date),
                "overdue_days": directive_overdue_days(
                    state=d.state, due_date=d.due_date, closed_at=d.closed_at, as_of=today
                ),
                "light": light or Light.GREY.value,
                "url": directive_path(d.pk),
            }
        )
    items.sort(key=lambda i: not i["open"])  # the open ones first, each part by deadline
    soon = today + timedelta(days=7)
    open_items = [i for i in items if i["open"]]
    return {
        "as_of": today.isoformat(),
        "items": items,
        "counts": {
            "open": len(open_items),
            "lead": sum(1 for i in open_items if i["role"] == "lead"),
            "lights": {
                light: sum(1 for i in open_items if i["light"] == light) for light in LIGHTS
            },
            "overdue": sum(1 for i in open_items if i["overdue_days"] > 0),
            "unsigned": sum(1 for i in open_items if not i["signed"]),
            "sign_late": sum(1 for i in open_items if i["sign_late"]),
            "feedback_soon": sum(
                1
                for i in open_items
                if i["next_feedback_date"] and i["next_feedback_date"] <= soon.isoformat()
            ),
            "closed": len(items) - len(open_items),
        },
    }
