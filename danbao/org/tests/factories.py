"""Factories for organisation data (departments, users). Deep states come from services, not here."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from danbao.org.models import Department, User

DEFAULT_PASSWORD = "Demo#2026"


def make_department(code: str, name: str, parent: Department | None = None, kind: str = Department.Kind.DEPARTMENT) -> Department:
    """A department placed in the tree (path and depth set like the department service does)."""
    dept = Department.objects.create(code=code, name=name, parent=parent, kind=kind)
    dept.path = f"{parent.path if parent else '/'}{dept.pk}/"
    dept.depth = parent.depth + 1 if parent else 0
    dept.save(update_fields=["path", "depth"])
    return dept


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    real_name = factory.Faker("name", locale="zh_CN")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.cn")
    password_changed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            obj.save(update_fields=["password"])

    @factory.post_generation
    def roles(obj: User, create: bool, extracted: list[Any] | None, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted:
            obj.roles.set(extracted)
