from sanzhang.conftest import (  # noqa: F401
    colleague,
    community_staff,
    county,
    county_officer,
    outsider,
    unit_leader,
)
