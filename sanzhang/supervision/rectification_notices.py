"""Who is told of a rectification item's move, heard from the rectification machine: the post
(its holders) or organisation (its staff) responsible for the item when it is issued, sent back
or overdue; the county office over the place when it is answered or overdue."""

from __future__ import annotations

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sanzhang.access.roles import Can
from sanzhang.notifications.recipients import office_staff
from sanzhang.notifications.services import tell
from sanzhang.people.models import User
from sanzhang.posts.models import Tenure

from .models import RectificationItem
from .rectification import ItemMoved

TO_RESPONSIBLE = {"issued", "sent_back", "verified", "overdue"}
TO_OFFICE = {"answered", "overdue"}


def responsible_users(item: RectificationItem) -> list[int]:
    if item.responsible_organisation_id:
        staff = User.objects.filter(organisation_id=item.responsible_organisation_id)
        return list(staff.filter(is_active=True).values_list("pk", flat=True))
    if item.responsible_post_id is None:
        return []
    holders = Tenure.objects.current().filter(
        post_id=item.responsible_post_id, role=Tenure.Role.HOLDER
    )
    users = User.objects.filter(person_id__in=holders.values("person_id"), is_active=True)
    return list(users.values_list("pk", flat=True))


def office_users(item: RectificationItem) -> list[int]:
    """The office that runs the weekly supervision of the item's county."""
    office = office_staff(item.rectification_list.place.code, Can.RUN_SUPERVISION)
    return list(office.values_list("pk", flat=True))


def on_item_moved(moved: ItemMoved) -> None:
    item = moved.item
    readers: dict[int, str] = {}
    if moved.kind in TO_OFFICE:
        readers.update(dict.fromkeys(office_users(item), "office"))
    if moved.kind in TO_RESPONSIBLE:
        readers.update(dict.fromkeys(responsible_users(item), "responsible"))
    if moved.actor_id is not None:
        readers.pop(moved.actor_id, None)
    if not readers:
        return
    with translation.override("zh-hans"):
        step = {
            "issued": _("issued, to be put right by %(deadline)s"),
            "answered": _("answered, waiting for verification"),
            "verified": _("verified"),
            "sent_back": _("sent back: the answer is not enough"),
            "overdue": _("overdue: not put right by %(deadline)s"),
        }[moved.kind] % {"deadline": item.deadline}
        text = _("Rectification item %(number)s (%(place)s): %(step)s") % {
            "number": item.pk,
            "place": item.rectification_list.place.name,
            "step": step,
        }
    tell(
        subject=f"rectification:{item.pk}:{moved.kind}:{item.version}",
        text=text,
        link=reverse("supervision:rectification_list", args=[item.rectification_list_id]),
        place_code=item.rectification_list.place.code,
        readers=readers,
    )
