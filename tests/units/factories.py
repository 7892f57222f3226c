"""Units and accounts for tests."""

import factory

from units.models import Role, Unit, UnitKind, User


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"测试单位{n}")
    full_name = factory.LazyAttribute(lambda u: f"合肥市{u.name}")
    kind = UnitKind.MUNICIPAL
    sort_order = factory.Sequence(lambda n: 10_000 + n)


def make_user(username: str, role: str = Role.REPORTER, unit: str | None = "市科技局") -> User:
    user = User(username=username, role=role, unit=Unit.objects.get(name=unit) if unit else None)
    user.set_password("pw-for-tests-1")
    user.save()
    return user
