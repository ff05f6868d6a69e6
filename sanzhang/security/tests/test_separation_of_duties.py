"""Separation of duties (promise 7): one role per account, and an active superuser fails
`check --deploy` in production (security.E001)."""

from django.test import override_settings

from sanzhang.people.models import Role, User
from sanzhang.security.checks import no_active_superuser


def ids(errors: list) -> list[str]:
    return [error.id for error in errors]


@override_settings(DEBUG=False)
def test_an_active_superuser_fails_the_production_check(db):
    User.objects.create_user("root", role=Role.SYSTEM_ADMIN, is_staff=True, is_superuser=True)
    assert ids(no_active_superuser()) == ["security.E001"]


@override_settings(DEBUG=False)
def test_a_deactivated_superuser_passes(db):
    User.objects.create_user("root", is_superuser=True, is_active=False)
    User.objects.create_user("admin", role=Role.SYSTEM_ADMIN, is_staff=True)
    assert no_active_superuser() == []


@override_settings(DEBUG=True)
def test_development_may_keep_a_superuser(db):
    User.objects.create_user("root", is_superuser=True)
    assert no_active_superuser() == []


def test_an_account_holds_exactly_one_role(db):
    field = User._meta.get_field("role")
    assert not field.many_to_many and not field.null and not field.blank
    assert {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR} <= set(Role.values)
