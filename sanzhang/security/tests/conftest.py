"""The issue loop's people, for the API tokens' pages."""

from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
