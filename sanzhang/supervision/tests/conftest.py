"""The issue loop's people, for the call-backs of its results."""

from sanzhang.issues.tests.conftest import (  # noqa: F401 (fixtures)
    building_leader,
    department,
    grid_leader,
    loop,
    resident,
)
