"""``{% load lights %}``: a report's light in templates, from the one rule (tasks.lights)."""

from django import template

from tasks import lights
from tasks.models import ProgressReport

register = template.Library()


@register.filter
def report_light(report: ProgressReport | None) -> str:
    """green | yellow | red | grey: what the report's status gives once it counts (submitted)."""
    return lights.report_light(report)
