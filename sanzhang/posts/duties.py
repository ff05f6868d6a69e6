"""Default duty lists (职责清单) for each post, drawn from the county's own scheme.

Each post starts with its kind's list; the county office may edit a post's list afterwards.
"""

from django.utils.translation import gettext as _

from .models import PostKind


def default_duties(kind: str) -> str:
    common = [
        _("Know every household in the area and keep their contact details up to date."),
        _("Collect residents' problems online and at the door, and report them the same day."),
    ]
    own = {
        PostKind.UNIT_LEADER: [
            _("Solve simple problems in the unit with neighbours and the building leader."),
            _("Keep at least one member of every household in the unit group (每户至少一人)."),
        ],
        PostKind.BUILDING_LEADER: [
            _("Coordinate and solve simple problems in the building."),
            _("Guide and check the unit leaders."),
        ],
        PostKind.GRID_LEADER: [
            _("Consult with the community party organisation to solve complex problems."),
            _("Patrol the grid and total its problems every day."),
            _("Report hard problems to the county office in time."),
        ],
        PostKind.DEPUTY_GRID_LEADER: [
            _("Help the grid leader patrol the grid and follow up problems."),
        ],
        PostKind.AREA_LEADER: [
            _("Lead the village's grid leaders and the village consultation (莲乡夜话)."),
            _("Solve complex problems with the village party branch."),
        ],
        PostKind.DISTRICT_LEADER: [
            _("Lead the township's area leaders; decide matters that cannot stay in a village."),
        ],
    }
    lines = common + own.get(PostKind(kind), [])
    return "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1))
