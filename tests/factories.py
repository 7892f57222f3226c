"""factory_boy factories for data beyond the seed plan (extra tasks for query-count checks)."""

import factory

from tasks.models import Assignment, AssignmentRole, Plan, Section, Task
from units.models import Unit, UnitKind


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    full_name = factory.LazyAttribute(lambda u: f"合肥市{u.name}")
    kind = UnitKind.MUNICIPAL
    sort_order = factory.Sequence(lambda n: 10_000 + n)


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
