"""The issue loop's people, for the tests of what every request passes through."""

from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
