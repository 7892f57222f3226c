from django.db.models import Prefetch, QuerySet

from tasks.models import Assignment

from .models import DemoProject


def demo_list() -> QuerySet[DemoProject]:
    return (
        DemoProject.objects.select_related("task", "plan")
        .prefetch_related(
            Prefetch(
                "assignments", queryset=Assignment.objects.select_related("unit").order_by("order")
            )
        )
        .order_by("plan", "seq")
    )
