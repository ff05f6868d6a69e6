"""The audit log in the admin (promise 7): the auditor alone reads it, nobody changes it, and
reading it is itself recorded."""

from django.test import Client

from sanzhang.audit.models import AuditEvent
from sanzhang.audit.services import record
from sanzhang.conftest import PASSWORD
from sanzhang.people.models import Role, User

LIST = "/admin/audit/auditevent/"


def staff_client(role: str, *, superuser: bool = False) -> Client:
    user = User.objects.create_user(
        username=role, password=PASSWORD, role=role, is_staff=True, is_superuser=superuser
    )
    client = Client()
    client.force_login(user)
    return client


def test_the_auditor_reads_the_list_and_a_row(db):
    event = record("test.event")
    client = staff_client(Role.AUDITOR)
    assert client.get(LIST).status_code == 200
    page = client.get(f"{LIST}{event.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_administrators_and_superusers_cannot_read_the_audit_log(db):
    event = record("test.event")
    for client in (
        staff_client(Role.SYSTEM_ADMIN),
        staff_client(Role.SECURITY_ADMIN),
        staff_client(Role.COUNTY_OFFICE, superuser=True),
    ):
        assert client.get(LIST).status_code == 403
        assert client.get(f"{LIST}{event.pk}/change/").status_code == 403


def test_the_audit_log_is_not_listed_on_an_administrators_admin_index(db):
    index = staff_client(Role.SYSTEM_ADMIN).get("/admin/").content.decode()
    assert LIST not in index
    assert LIST in staff_client(Role.AUDITOR).get("/admin/").content.decode()


def test_nobody_adds_changes_or_deletes_a_row_in_the_admin(db):
    event = record("test.event")
    client = staff_client(Role.AUDITOR)
    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{event.pk}/change/", {"outcome": "x"}).status_code == 403
    assert client.post(f"{LIST}{event.pk}/delete/", {"post": "yes"}).status_code == 403
    bulk = {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"}
    client.post(LIST, bulk)
    assert AuditEvent.objects.get(pk=event.pk).outcome == "ok"


def test_reading_the_audit_log_is_recorded(db):
    event = record("test.event")
    client = staff_client(Role.AUDITOR)
    client.get(LIST, {"q": "13812345678"})
    client.get(f"{LIST}{event.pk}/change/")
    listed = AuditEvent.objects.get(action="audit.log_viewed")
    assert (listed.actor_name, listed.actor_role, listed.detail) == (
        "auditor",
        Role.AUDITOR,
        {"filters": ["q"]},
    )
    assert AuditEvent.objects.filter(action="audit.event_viewed", actor_name="auditor").count() == 1


def test_the_auditor_reads_actions_roles_and_outcomes_in_words(db):

    record("person.revealed")
    record("signup.link_refused", outcome="refused")
    auditor = staff_client(Role.AUDITOR)
    page = auditor.get(LIST).content.decode()
    assert "查看完整个人信息" in page and "退回新居民申请" in page and "被拒绝" in page
    assert ">person.revealed<" not in page
    filtered = auditor.get(f"{LIST}?action=person.revealed").content.decode()
    assert "查看完整个人信息" in filtered and "退回新居民申请" not in filtered.split("<tbody")[1]
    # Every action the code records by name has a name in words (a new one fails here)
    assert not unnamed_actions(), unnamed_actions()


def unnamed_actions() -> set[str]:
    """Actions written as a constant in a `record(...)` call (imported as `audit` in some
    apps) or an `audit=(...)` pair."""
    import ast
    import pathlib

    import sanzhang
    from sanzhang.audit.actions import NAMES

    found: set[str] = set()
    for path in pathlib.Path(sanzhang.__file__).parent.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in {"record", "audit"} and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
            for keyword in node.keywords:
                if keyword.arg == "audit" and isinstance(keyword.value, ast.Tuple):
                    first = keyword.value.elts[0]
                    if isinstance(first, ast.Constant):
                        found.add(first.value)
    return found - set(NAMES)
