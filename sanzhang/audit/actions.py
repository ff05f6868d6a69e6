"""What each audit action is called in words (the log keeps the stable code; the auditor reads
the name). An action without a name here shows its code."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

NAMES: dict[str, Promise] = {
    "audit.event_viewed": _("audit row read"),
    "audit.log_viewed": _("audit log read"),
    "auth.login": _("signed in"),
    "auth.logout": _("signed out"),
    "auth.login_failed": _("sign-in failed"),
    "auth.locked_out": _("account locked after failed sign-ins"),
    "auth.session_expired": _("session expired"),
    "household.added": _("household added"),
    "household.edited": _("household corrected"),
    "household.moved": _("household moved"),
    "household.moved_away": _("household moved away"),
    "household.viewed": _("household viewed"),
    "person.added": _("resident added"),
    "person.edited": _("resident corrected"),
    "person.viewed": _("resident viewed"),
    "person.revealed": _("personal data revealed"),
    "people.listed": _("residents listed"),
    "register.imported": _("household register imported"),
    "register.exported": _("household register exported"),
    "places.imported": _("places imported"),
    "place.moved": _("place moved"),
    "place.renamed": _("place renamed"),
    "place.retired": _("place retired"),
    "post.appointed": _("post holder appointed"),
    "post.stood_down": _("post holder stood down"),
    "post.work_card_printed": _("work card printed"),
    "signup.account_made": _("resident account made by phone"),
    "signup.wechat_linked": _("WeChat linked to an account"),
    "token.issued": _("API token issued"),
    "issue.moderated": _("public report hidden"),
    "token.revoked": _("API token revoked"),
    "signup.signed_in": _("signed in by phone code"),
    "signup.link_confirmed": _("new resident confirmed"),
    "signup.link_refused": _("new resident refused"),
    "invitation.made": _("account invitation made"),
    "invitation.accepted": _("account invitation used"),
    "invitation.withdrawn": _("account invitation withdrawn"),
    "party_registration.asked": _("party member registration asked"),
    "party_registration.confirmed": _("party member registration confirmed"),
    "party_registration.refused": _("party member registration refused"),
    "party_member.registered": _("party member registered"),
    "party_member.moved": _("party member registered elsewhere"),
    "issues.category_saved": _("issue category saved"),
    "issues.routing_rule_saved": _("routing rule saved"),
    "issues.routing_rule_deleted": _("routing rule removed"),
    "issues.step_deadline_set": _("step deadline set"),
    "issues.holiday_saved": _("holiday saved"),
    "issues.holiday_deleted": _("holiday removed"),
    "notice.draft": _("notice drafted"),
    "notice.publish": _("notice published"),
    "rectification.issue": _("rectification list issued"),
    "rectification.remove": _("rectification item removed"),
    "rectification.answer": _("rectification answered"),
    "rectification.edit": _("rectification item changed"),
    "rectification.send_back": _("rectification sent back"),
    "rectification.verify": _("rectification verified"),
    "points.corrected": _("points corrected"),
    "points.exported": _("points exported"),
    "points.rule_changed": _("points rules changed"),
    "awards.campaign": _("award campaign saved"),
    "awards.nominate": _("nominated for an award"),
    "awards.open_voting": _("award voting opened"),
    "awards.shortlist": _("award shortlist made"),
    "awards.publish": _("award results published"),
    "dispatch.record": _("dispatch meeting recorded"),
    "dispatch.decide": _("dispatch decision taken"),
    "dispatch.follow_up": _("dispatch decision followed up"),
    "volunteers.register": _("volunteer rider registered"),
    "volunteers.task": _("volunteer task posted"),
    "volunteers.hours": _("volunteer hours recorded"),
    "wish.export": _("micro-wishes exported"),
    "wish.posted": _("micro-wish posted"),
    "wish.approved": _("micro-wish checked and shown"),
    "wish.rejected": _("micro-wish not accepted"),
    "wish.claimed": _("micro-wish claimed"),
    "wish.released": _("micro-wish given back"),
    "wish.fulfilled": _("micro-wish fulfilled"),
    "wish.confirmed": _("micro-wish confirmed by the resident"),
}
OUTCOMES: dict[str, Promise] = {
    "ok": pgettext_lazy("audit outcome", "done"),
    "refused": pgettext_lazy("audit outcome", "refused"),
}


def action_name(action: str) -> str:
    """The action in words, in the reader's language; its code when it has no name."""
    name = NAMES.get(action)
    return str(name) if name is not None else action
