"""A generated province: the demo county copied `counties` times under one province.

Built with plain SQL from a loaded 1x database (ATTACH and INSERT ... SELECT), so 100 counties
(~490,000 places, 3.8 million households, ~500,000 posts and tenures) take a minute or two.
Persons are shared between the copies: the queries measured do not read them.

With `issues=True` the county's issues and their events are copied too (~200,000 issues and
~1.45 million events at 100x), each copy's ids and foreign keys to copied tables (places,
households, posts, issues) shifted and its unique number suffixed; foreign keys to tables that
are not copied (category, persons, users, organisations) keep their values. Categories are
seeded by the migrations with the same ids; users and organisations are not copied (the
summaries read neither).

On PostgreSQL (bench/pg.py) a copy of a county is CREATE DATABASE ... TEMPLATE, and the county's
tables are first copied into a schema `one` of the province's database (COPY), in place of
ATTACH; the INSERT ... SELECT are the same.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from . import pg
from .common import DB_NAME, columns, finish, manage, new_var_dir

PROVINCE_ID = 1
TABLES = ("places_place", "people_household", "posts_post", "posts_tenure")
ISSUE_TABLES = ("issues_issue", "issues_issueevent")


def copy_county(source_dir: Path, label: str) -> Path:
    """A new var dir holding a copy of the database of `source_dir` (the loaded 1x county), for
    a bench to grow without touching the original."""
    var_dir = new_var_dir(label, database=False)
    if pg.ENABLED:
        pg.create(var_dir, template=source_dir)
        return var_dir
    source = sqlite3.connect(source_dir / DB_NAME)
    target = sqlite3.connect(var_dir / DB_NAME)
    source.backup(target)
    source.close()
    target.close()
    return var_dir


def _foreign_keys(db: Any, table: str) -> set[str]:
    """The columns of `table` that refer to a copied table."""
    if pg.ENABLED:
        keys = pg.foreign_keys(db, table)
    else:
        keys = [(row[3], row[2]) for row in db.execute(f"PRAGMA main.foreign_key_list({table})")]
    return {column for column, target in keys if target in TABLES + ISSUE_TABLES}


def _copy(db: Any, table: str, k: int, offsets: dict[str, int], extra: dict[str, str]) -> None:
    """Copy one county's rows of `table`, shifting ids and foreign keys by copy number k."""
    foreign = _foreign_keys(db, table)
    unshifted = foreign - set(offsets) - set(extra)
    assert not unshifted, f"{table}: foreign keys to copied tables not shifted: {unshifted}"
    select = []
    names = columns(db, table)
    for column in names:
        if column in extra:
            select.append(extra[column])
        elif column in offsets:
            select.append(f"{column} + {k * offsets[column]}")
        else:
            select.append(column)
    db.execute(
        f"INSERT INTO {table} ({', '.join(names)}) SELECT {', '.join(select)} FROM one.{table}"
    )


def build_province(one: Path, counties: int, issues: bool = False) -> tuple[Path, float]:
    """A fresh database holding `counties` copies of the county in `one` (with its issues and
    their events if `issues`); returns its dir and the seconds taken."""
    started = time.perf_counter()
    var_dir = new_var_dir(f"{counties}x")
    manage(var_dir, "migrate", "--no-input", "-v0")
    tables = TABLES + (ISSUE_TABLES if issues else ())
    db = _attach(var_dir, one, (*tables, "people_person"))
    step = {t: db.execute(f"SELECT max(id) FROM one.{t}").fetchone()[0] + 1 for t in tables}
    if not pg.ENABLED:
        db.execute("BEGIN")
    db.execute(
        "INSERT INTO places_place (id, kind, name, code, parent_id, depth, is_rural, created_at) "
        f"VALUES ({PROVINCE_ID}, 'province', '演示省', 'P', NULL, 0, FALSE, CURRENT_TIMESTAMP)"
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
        if issues:
            _copy_issues(db, k, step)
    finish(db, [*tables, "people_person"])
    return var_dir, time.perf_counter() - started


def _attach(var_dir: Path, one: Path, tables: tuple[str, ...]) -> Any:
    """A connection to the database of `var_dir`, the tables of `one`'s readable as one.*"""
    if pg.ENABLED:
        db = pg.connect(var_dir)
        pg.attach(db, one, tables)
        return db
    db = sqlite3.connect(var_dir / DB_NAME, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(f"ATTACH DATABASE '{one / DB_NAME}' AS one")
    return db


def _copy_people(db: Any) -> None:
    listed = ", ".join(columns(db, "people_person"))
    db.execute(
        f"INSERT INTO people_person ({listed}) "
        f"SELECT {listed.replace('household_id', 'NULL')} FROM one.people_person"
    )


def _copy_issues(db: Any, k: int, step: dict[str, int]) -> None:
    place, issue = step["places_place"], step["issues_issue"]
    _copy(db, "issues_issue", k, {
        "id": issue, "merged_into_id": issue, "place_id": place, "owner_place_id": place,
        "owner_post_id": step["posts_post"], "household_id": step["people_household"],
    }, {
        "number": f"number || '-{k}'",
        # Idempotency keys are unique per recorder where set: suffixed too.
        "intake_key": f"CASE WHEN intake_key = '' THEN '' ELSE intake_key || '-{k}' END",
    })  # fmt: skip
    _copy(db, "issues_issueevent", k, {"id": step["issues_issueevent"], "issue_id": issue}, {})
