"""Plan data beyond the seed plan (extra tasks for query-count checks), and the seed plan's
assignments by task and unit."""

import factory

from tasks.models import Assignment, AssignmentRole, Plan, Section, Task
from tests.units.factories import UnitFactory


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.LazyFunction(lambda: Plan.objects.get(code="hefei-ai-2020-2023"))
    section = factory.LazyAttribute(lambda t: Section.objects.get(plan=t.plan, code="4.4"))
    seq = factory.Sequence(lambda n: 1000 + n)
    code = factory.LazyAttribute(lambda t: f"X-{t.seq}")
    content = factory.Faker("paragraph", locale="zh_CN")


def add_tasks(n: int, units_per_task: int = 3) -> list[Task]:
    """n more tasks, each with a lead and co-units of its own."""
    tasks = TaskFactory.create_batch(n)
    for task in tasks:
        for order, unit in enumerate(UnitFactory.create_batch(units_per_task), start=1):
            Assignment.objects.create(
                task=task,
                unit=unit,
                order=order,
                role=AssignmentRole.LEAD if order == 1 else AssignmentRole.CO,
            )
    return tasks


def assignment_of(task_seq: int, unit: str) -> Assignment:
    return Assignment.objects.get(task__seq=task_seq, unit__name=unit)
