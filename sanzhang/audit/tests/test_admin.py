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
