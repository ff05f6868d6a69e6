"""One demo login per role, tied to the demo county's people and organisations."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from sanzhang.people.models import Organisation, Person, Role, User
from sanzhang.posts.models import Tenure

DEMO_PASSWORD = "Sanzhang-Demo-2026"  # noqa: S105 (published demo password, demo data only) # nosec B105


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    description: str
    start_at: str
    organisation: str = ""
    holds: str = ""  # code of the place whose current holder this account is
    lives_in: str = ""  # code of a unit whose resident (not a holder) this account is
    is_staff: bool = False
    name: str = ""  # shown in the header and greeting when the account has no person record


BUILDING, UNIT = "GC.C01.G01.B001", "GC.C01.G01.B001.U1"
ACCOUNTS = [
    DemoAccount(
        "office", Role.COUNTY_OFFICE, "the whole county", "/console/", "县三长办", name="周建华"
    ),
    DemoAccount(
        "staff",
        Role.COMMUNITY_STAFF,
        "旴江社区 staff",
        "/console/",
        "旴江社区居委会",
        name="吴丽萍",
    ),
    DemoAccount(
        "dept", Role.DEPARTMENT, "places, no residents", "/places/", "县住建局", name="郑国强"
    ),
    DemoAccount(
        "orgdept",
        Role.ORG_DEPARTMENT,
        "party organisation, cadre vetting",
        "/vetting/",
        "县委组织部",
        name="黄志远",
    ),
    DemoAccount("grid", Role.LEADER, "grid leader of GC.C01.G01", "/console/", holds="GC.C01.G01"),
    DemoAccount("building", Role.LEADER, "building leader", "/console/", holds=BUILDING),
    DemoAccount("unit", Role.LEADER, "unit leader", "/console/", holds=UNIT),
    DemoAccount("district", Role.LEADER, "district leader of 旴江镇", "/console/", holds="GC.D01"),
    DemoAccount("area", Role.LEADER, "area leader of a village", "/console/", holds="GC.D01.A01"),
    DemoAccount("resident", Role.RESIDENT, "a resident of unit 1", "/console/", lives_in=UNIT),
    DemoAccount(
        "sysadmin", Role.SYSTEM_ADMIN, "accounts and records", "/admin/", is_staff=True, name="林涛"
    ),
    DemoAccount("secadmin", Role.SECURITY_ADMIN, "security settings", "/console/", name="何静"),
    DemoAccount(
        "auditor", Role.AUDITOR, "reads the audit log", "/admin/", is_staff=True, name="许明"
    ),
]
SYSADMIN_APPS = ("places", "people", "posts")


def _person(account: DemoAccount) -> Person | None:
    if account.holds:
        tenure = Tenure.objects.current().filter(
            post__place__code=account.holds, role=Tenure.Role.HOLDER, post__seat=1
        )
        found = tenure.select_related("person").first()
        return found.person if found else None
    if account.lives_in:
        holders = Tenure.objects.values("person_id")
        people = Person.objects.filter(household__place__code=account.lives_in)
        return people.exclude(pk__in=holders).order_by("pk").first()
    return None


def ensure_account(account: DemoAccount) -> User:
    user, _created = User.objects.get_or_create(username=account.username)
    user.role = account.role
    user.is_staff = account.is_staff
    user.is_superuser = False
    user.organisation = Organisation.objects.filter(name=account.organisation).first()
    user.person = _person(account)
    user.first_name = user.person.name if user.person else account.name
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save()
    if account.role == Role.SYSTEM_ADMIN:
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=SYSADMIN_APPS)
        )
    return user


def ensure_demo_accounts() -> list[tuple[DemoAccount, User]]:
    with transaction.atomic():
        return [(account, ensure_account(account)) for account in ACCOUNTS]


def demo_residents_homes() -> set[str]:
    """The units whose first resident becomes a demo login: the demo's later stages (reserves,
    the micro-platform's shoppers) leave their residents alone, so the login finds the same
    person, with the council seat and the wishes the earlier stages gave them."""
    return {account.lives_in for account in ACCOUNTS if account.lives_in}
