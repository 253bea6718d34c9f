"""Plain rows through factories; chamas and memberships through their services, so every test
starts from a state the product itself could reach."""

from decimal import Decimal
from typing import Any

import factory

from accounts.models import User
from groups import services
from groups.choices import Role
from groups.models import Chama, Membership

PASSWORD = "a-good-pass-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    phone = factory.Sequence(lambda n: f"2547{20000000 + n:08d}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @classmethod
    def _after_postgeneration(cls, instance: User, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


def make_chama(creator: User | None = None, **data: Any) -> Chama:
    data.setdefault("name", "Umoja Group")
    data.setdefault("contribution_amount", Decimal("1000.00"))
    return services.chama_create(creator=creator or UserFactory(), **data)


def add_member(
    chama: Chama, *, role: str = Role.MEMBER, user: User | None = None, **kw: Any
) -> Membership:
    user = user or UserFactory()
    return services.membership_add(
        chama=chama,
        actor=None,
        phone=user.phone,
        full_name=user.full_name,
        email=user.email,
        role=role,
        **kw,
    )


def appoint(member: Membership, role: str, *, by: Membership) -> Membership:
    """``by`` (the chair) gives ``member`` the role; ``member`` itself now holds it, as the
    decision services read the role of the membership they are given."""
    services.membership_update(membership=member, actor=by, data={"role": role})
    member.refresh_from_db()
    return member


def browser_for(membership: Membership) -> Any:
    """A back-office browser signed in as the official ``membership`` (staff access as its
    office gives)."""
    from django.test import Client

    from groups.access import staff_access_sync

    staff_access_sync(user=membership.user)
    browser = Client()
    browser.force_login(membership.user)
    return browser
