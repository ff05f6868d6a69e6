"""A generated province: the demo county copied `counties` times under one province.

Built with plain SQL from a loaded 1x database (ATTACH and INSERT ... SELECT), so 100 counties
(~490,000 places, 3.8 million households, ~500,000 posts and tenures) take a minute or two.
Persons are shared between the copies: the queries measured do not read them.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from .common import manage, new_var_dir

DB_NAME = "sanzhang.sqlite3"
PROVINCE_ID = 1


def _columns(db: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"PRAGMA main.table_info({table})")]


def _copy(
    db: sqlite3.Connection, table: str, k: int, offsets: dict[str, int], extra: dict[str, str]
) -> None:
    """Copy one county's rows of `table`, shifting ids and foreign keys by copy number k."""
    columns = _columns(db, table)
    select = []
    for column in columns:
        if column in extra:
            select.append(extra[column])
        elif column in offsets:
            select.append(f"{column} + {k * offsets[column]}")
        else:
            select.append(column)
    db.execute(
        f"INSERT INTO main.{table} ({', '.join(columns)}) "
        f"SELECT {', '.join(select)} FROM one.{table}"
    )


def build_province(one: Path, counties: int) -> tuple[Path, float]:
    """A fresh database holding `counties` copies of the county in `one`; returns its dir."""
    started = time.perf_counter()
    var_dir = new_var_dir(f"{counties}x")
    manage(var_dir, "migrate", "--no-input", "-v0")
    db = sqlite3.connect(var_dir / DB_NAME, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(f"ATTACH DATABASE '{one / DB_NAME}' AS one")
    tables = ("places_place", "people_household", "posts_post", "posts_tenure")
    step = {t: db.execute(f"SELECT max(id) FROM one.{t}").fetchone()[0] + 1 for t in tables}
    db.execute("BEGIN")
    db.execute(
        "INSERT INTO places_place (id, kind, name, code, parent_id, depth, is_rural, created_at) "
        f"VALUES ({PROVINCE_ID}, 'province', '演示省', 'P', NULL, 0, 0, datetime('now'))"
    )
    _copy_people(db)
    for k in range(1, counties + 1):
        code = f"'P.K{k:03d}' || substr(code, 3)"
        place_off = {"id": step["places_place"], "parent_id": step["places_place"]}
        _copy(db, "places_place", k, place_off, {
            "code": code, "depth": "depth + 1",
            "parent_id": f"coalesce(parent_id + {k * step['places_place']}, {PROVINCE_ID})",
            "name": f"CASE WHEN parent_id IS NULL THEN '县{k:03d}' ELSE name END",
        })  # fmt: skip
        _copy(db, "people_household", k,
              {"id": step["people_household"], "place_id": step["places_place"]}, {})  # fmt: skip
        _copy(db, "posts_post", k, {"id": step["posts_post"], "place_id": step["places_place"]}, {})
        _copy(db, "posts_tenure", k,
              {"id": step["posts_tenure"], "post_id": step["posts_post"]}, {})  # fmt: skip
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.close()
    return var_dir, time.perf_counter() - started


def _copy_people(db: sqlite3.Connection) -> None:
    columns = ", ".join(_columns(db, "people_person"))
    db.execute(
        f"INSERT INTO main.people_person ({columns}) "
        f"SELECT {columns.replace('household_id', 'NULL')} FROM one.people_person"
    )
