"""The issue loop's people, for notices of its steps."""

from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    other_department,
    resident,
)
