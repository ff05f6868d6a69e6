"""The role table of the README as data: which role may do which verb on which kind of thing.

Every check of a role in the apps asks `can(user, Can.X)` (or `require`); nothing else compares
roles. What a role may do is granted here only; *where* they may do it is the scope's business
(`access.scope`), and a few rules that depend on the thing itself (the owner of an issue, the
claimer of a wish) stay with the app that knows the thing.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from sanzhang.core.errors import NotAllowed
from sanzhang.people.models import Role

if TYPE_CHECKING:
    from .actor import Visitor


class Can(StrEnum):
    USE_CONSOLE = "use_console"  # the staff pages: places, posts, the console
    HOLD_POSTS = "hold_posts"  # acts through the posts the person holds now (三长)
    # the issue loop
    ACT_AS_RESIDENT = "act_as_resident"  # residents' own pages: reports (居民反映), wishes, votes
    WORK_ON_ISSUES = "work_on_issues"  # the work list and the issue pages of staff
    SEE_ISSUES_IN_SCOPE = "see_issues_in_scope"  # every issue of their part of the tree
    SUPERVISE_ALL_OWNERS = "supervise_all_owners"  # above every owner in scope (检查督促)
    SUPERVISE_IN_COMMUNITY = "supervise_in_community"  # above the posts of their community
    OWN_COMPLEX_ISSUES = "own_complex_issues"  # with the grid leader (complex: 社区党组织)
    HELP_WITH_ISSUES = "help_with_issues"  # a department: what it owns or was asked to help
    RECORD_AT_THE_DOOR = "record_at_the_door"  # a report heard at the door or on patrol
    RUN_MEETINGS = "run_meetings"  # assignment meetings (交办会)
    CALL_BACK_RESIDENTS = "call_back_residents"  # 回访: rate for a resident who did not
    CHANGE_ISSUE_RULES = "change_issue_rules"  # categories, routing, deadlines, holidays
    MODERATE_PUBLIC_REPORTS = "moderate_public_reports"  # hide a public report's words or photo
    # places, people, posts
    EDIT_PLACES = "edit_places"
    IMPORT_PLACES = "import_places"
    VIEW_PEOPLE = "view_people"  # residents' records, masked unless revealed
    KEEP_REGISTER = "keep_register"  # import, edit and move households of their area
    CONFIRM_RESIDENTS = "confirm_residents"  # link a signed-up resident to their household
    CONFIRM_PARTY_MEMBERS = "confirm_party_members"  # a party member's registration (报到)
    INVITE_ACCOUNTS = "invite_accounts"  # accounts for leaders, staff, departments
    ISSUE_SYSTEM_TOKENS = "issue_system_tokens"  # API tokens for departments' own systems
    # supervision
    VIEW_SUPERVISION = "view_supervision"  # dashboards, summaries, reports, notices
    RUN_SUPERVISION = "run_supervision"  # weekly lists, notices, dispatch meetings
    # community life
    RECORD_VISITS = "record_visits"
    VIEW_VISIT_COVERAGE = "view_visit_coverage"
    OVERSEE_WISHES = "oversee_wishes"  # a place's wishes, posting for a household
    REVIEW_WISHES = "review_wishes"  # checking a wish before it shows
    CLAIM_WISHES = "claim_wishes"  # by office; party members and riders by their registration
    VIEW_RIDERS = "view_riders"
    MANAGE_RIDERS = "manage_riders"  # register riders, post community tasks
    VIEW_RANKINGS = "view_rankings"
    MANAGE_POINTS = "manage_points"  # rule versions, corrections, period exports
    VIEW_AWARDS = "view_awards"
    RUN_AWARDS = "run_awards"
    NOMINATE_FOR_AWARDS = "nominate_for_awards"  # a place nominates one of its post holders
    FOLLOW_AWARDS = "follow_awards"  # campaigns at every stage, not only the public ones
    # the party organisation (党组织), councils, vetting, training, evaluation
    VIEW_PARTY = "view_party"  # the tree of committees, branches and groups, and their members
    KEEP_PARTY_REGISTER = "keep_party_register"  # import and edit branches, groups, members
    VIEW_COUNCILS = "view_councils"  # councils (莲心议事会, 莲乡夜话) of their area
    RUN_COUNCILS = "run_councils"  # seats, topics, meetings, minutes, decisions
    OPEN_VETTINGS = "open_vettings"  # 干部考察进网格: open, read and decide vettings
    REVIEW_VETTINGS = "review_vettings"  # collect views, write findings (when assigned)
    RUN_TRAINING = "run_training"  # courses, sessions, attendance (基层党校, 夜间课堂)
    ATTEND_TRAINING = "attend_training"  # sign in to a session by its QR code
    RUN_EVALUATIONS = "run_evaluations"  # open and close evaluation periods (党群评议)
    EVALUATE_POST_HOLDERS = "evaluate_post_holders"  # residents and party members vote
    VIEW_EVALUATIONS = "view_evaluations"  # results per post holder in their area
    # partners (共建单位), funds (经费保障), announcements (上传下达), services (服务微平台)
    VIEW_PARTNERS = "view_partners"  # units, agreements, activities and ratings of their area
    KEEP_PARTNERS = "keep_partners"  # register units, agreements, record activities
    RATE_PARTNERS = "rate_partners"  # the community party committee's year-end rating (评价权)
    VIEW_FUNDS = "view_funds"  # budgets, balances, the ledger of their area
    SET_BUDGETS = "set_budgets"  # a year's budgets per fund, allocated down the tree
    RECORD_SPENDING = "record_spending"  # a spending with its receipt, for the level above
    APPROVE_SPENDING = "approve_spending"  # approve or refuse the spending of the level below
    SET_ALLOWANCES = "set_allowances"  # the county's rule for leaders' allowances from points
    POST_ANNOUNCEMENTS = "post_announcements"  # to the residents of their subtree
    READ_ANNOUNCEMENTS = "read_announcements"  # a resident reads (and so receipts) them
    LIST_MERCHANTS = "list_merchants"  # check, list, review and suspend merchants
    BOOK_SERVICES = "book_services"  # a resident books, rates, complains
    SERVE_BOOKINGS = "serve_bookings"  # a merchant answers their own bookings
    # 双三长 and 轮岗
    MANAGE_ROTATION = "manage_rotation"  # reserves, rotation plans, terms ending
    SET_TERMS = "set_terms"  # the county's term per post kind and what reserves may do
    # the records
    READ_AUDIT_LOG = "read_audit_log"  # only the auditor (三权分立: not those it records)
    RESET_SECOND_FACTOR = "reset_second_factor"  # a lost phone's TOTP device (security admin)


_OFFICE = frozenset({Role.COUNTY_OFFICE})
_LEADERS_AND_STAFF = frozenset({Role.LEADER, Role.COMMUNITY_STAFF})
_FRONT_LINE = _LEADERS_AND_STAFF | _OFFICE
_STAFF_AND_OFFICE = frozenset({Role.COMMUNITY_STAFF, Role.COUNTY_OFFICE})
_ORG_DEPARTMENT = frozenset({Role.ORG_DEPARTMENT})

GRANTS: dict[Can, frozenset[str]] = {
    Can.USE_CONSOLE: frozenset(Role.values) - {Role.RESIDENT, Role.MERCHANT},
    Can.HOLD_POSTS: frozenset({Role.LEADER}),
    Can.ACT_AS_RESIDENT: frozenset({Role.RESIDENT}),
    Can.WORK_ON_ISSUES: _FRONT_LINE | {Role.DEPARTMENT},
    Can.SEE_ISSUES_IN_SCOPE: _FRONT_LINE,
    Can.SUPERVISE_ALL_OWNERS: _OFFICE,
    Can.SUPERVISE_IN_COMMUNITY: frozenset({Role.COMMUNITY_STAFF}),
    Can.OWN_COMPLEX_ISSUES: frozenset({Role.COMMUNITY_STAFF}),
    Can.HELP_WITH_ISSUES: frozenset({Role.DEPARTMENT}),
    Can.RECORD_AT_THE_DOOR: _LEADERS_AND_STAFF,
    Can.RUN_MEETINGS: _OFFICE,
    Can.CALL_BACK_RESIDENTS: _STAFF_AND_OFFICE,
    Can.CHANGE_ISSUE_RULES: _OFFICE,
    Can.MODERATE_PUBLIC_REPORTS: _OFFICE,
    Can.EDIT_PLACES: _STAFF_AND_OFFICE,
    Can.IMPORT_PLACES: _OFFICE,
    Can.VIEW_PEOPLE: _FRONT_LINE,
    Can.KEEP_REGISTER: _STAFF_AND_OFFICE,
    Can.CONFIRM_RESIDENTS: _LEADERS_AND_STAFF,
    Can.CONFIRM_PARTY_MEMBERS: _STAFF_AND_OFFICE,
    Can.INVITE_ACCOUNTS: _STAFF_AND_OFFICE,
    Can.ISSUE_SYSTEM_TOKENS: _OFFICE,
    Can.VIEW_SUPERVISION: _FRONT_LINE | {Role.DEPARTMENT, Role.AUDITOR},
    Can.RUN_SUPERVISION: _OFFICE,
    Can.RECORD_VISITS: _LEADERS_AND_STAFF,
    Can.VIEW_VISIT_COVERAGE: _FRONT_LINE,
    Can.OVERSEE_WISHES: _FRONT_LINE,
    Can.REVIEW_WISHES: _STAFF_AND_OFFICE,
    Can.CLAIM_WISHES: frozenset({Role.LEADER}),
    Can.VIEW_RIDERS: _FRONT_LINE,
    Can.MANAGE_RIDERS: _STAFF_AND_OFFICE,
    Can.VIEW_RANKINGS: _FRONT_LINE,
    Can.MANAGE_POINTS: _OFFICE,
    Can.VIEW_AWARDS: _FRONT_LINE | {Role.RESIDENT},
    Can.RUN_AWARDS: _OFFICE,
    Can.NOMINATE_FOR_AWARDS: _STAFF_AND_OFFICE,
    Can.FOLLOW_AWARDS: _FRONT_LINE,
    Can.VIEW_PARTY: _FRONT_LINE | _ORG_DEPARTMENT,
    Can.KEEP_PARTY_REGISTER: _STAFF_AND_OFFICE | _ORG_DEPARTMENT,
    Can.VIEW_COUNCILS: _FRONT_LINE,
    Can.RUN_COUNCILS: _STAFF_AND_OFFICE,
    Can.OPEN_VETTINGS: _ORG_DEPARTMENT,
    Can.REVIEW_VETTINGS: frozenset({Role.LEADER, Role.COMMUNITY_STAFF}),
    Can.RUN_TRAINING: _STAFF_AND_OFFICE | _ORG_DEPARTMENT,
    Can.ATTEND_TRAINING: frozenset({Role.LEADER, Role.RESIDENT}),
    Can.RUN_EVALUATIONS: _OFFICE,
    Can.EVALUATE_POST_HOLDERS: frozenset({Role.LEADER, Role.RESIDENT}),
    Can.VIEW_EVALUATIONS: _FRONT_LINE | _ORG_DEPARTMENT,
    Can.VIEW_PARTNERS: _FRONT_LINE | _ORG_DEPARTMENT,
    Can.KEEP_PARTNERS: _STAFF_AND_OFFICE,
    Can.RATE_PARTNERS: frozenset({Role.COMMUNITY_STAFF}),
    Can.VIEW_FUNDS: _STAFF_AND_OFFICE | _ORG_DEPARTMENT | {Role.AUDITOR},
    Can.SET_BUDGETS: _OFFICE,
    Can.RECORD_SPENDING: _STAFF_AND_OFFICE,
    Can.APPROVE_SPENDING: _STAFF_AND_OFFICE,
    Can.SET_ALLOWANCES: _OFFICE,
    Can.POST_ANNOUNCEMENTS: _FRONT_LINE,
    Can.READ_ANNOUNCEMENTS: frozenset({Role.RESIDENT}),
    Can.LIST_MERCHANTS: _STAFF_AND_OFFICE,
    Can.BOOK_SERVICES: frozenset({Role.RESIDENT}),
    Can.SERVE_BOOKINGS: frozenset({Role.MERCHANT}),
    Can.MANAGE_ROTATION: _STAFF_AND_OFFICE,
    Can.SET_TERMS: _OFFICE,
    Can.READ_AUDIT_LOG: frozenset({Role.AUDITOR}),
    Can.RESET_SECOND_FACTOR: frozenset({Role.SECURITY_ADMIN}),
}


def can(user: Visitor | None, capability: Can | str) -> bool:
    """The user's role is granted `capability` (anonymous visitors hold none). Whether the
    account may sign in is the session's business: services also act for system accounts."""
    if user is None or not user.is_authenticated:
        return False
    return user.role in GRANTS[Can(capability)]


def require(user: Visitor | None, capability: Can, message: str = "") -> None:
    """Refuse unless `can(user, capability)`: with the domain's `NotAllowed(message)` where a
    service speaks to the user, else with a plain 403."""
    if can(user, capability):
        return
    if message:
        raise NotAllowed(message)
    raise PermissionDenied


def require_or_404(user: Visitor | None, capability: Can) -> None:
    """Refuse unless `can(user, capability)`, as if the page did not exist (for pages whose
    very existence is the office's business)."""
    if not can(user, capability):
        raise Http404


def roles_granted(capability: Can) -> frozenset[str]:
    """The roles that hold `capability` (for queries that select people by role)."""
    return GRANTS[capability]
