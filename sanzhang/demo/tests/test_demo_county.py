"""The demo county at a small scale: its shape follows the seed's figures and rules."""

import datetime
import random

import pytest
from django.core.management import call_command

from sanzhang.demo.accounts import ACCOUNTS, DEMO_PASSWORD, ensure_demo_accounts
from sanzhang.demo.issues import IMPORTER
from sanzhang.demo.loader import DemoAlreadyLoaded, load_demo, remove_demo
from sanzhang.demo.names import id_number, phone
from sanzhang.people.models import Household, PartyMember, Person, Role, User
from sanzhang.places.models import CHILD_KINDS, Place, PlaceKind
from sanzhang.posts.coverage import coverage_by_level
from sanzhang.posts.models import Tenure

SCALE = 0.02


@pytest.fixture
def demo(db):
    return load_demo(scale=SCALE)


def test_every_code_is_its_parents_code_plus_one_segment(demo):
    for place in Place.objects.select_related("parent"):
        if place.parent is None:
            assert place.code == "GC"
        else:
            assert place.code.rsplit(".", 1)[0] == place.parent.code
            assert place.kind in CHILD_KINDS[place.parent.kind]
            assert place.depth == place.parent.depth + 1


def test_the_tree_has_every_level_in_town_and_village(demo):
    def count(kind: str, rural: bool = False) -> int:
        return Place.objects.filter(kind=kind, is_rural=rural).count()

    assert (count("community"), count("district", rural=True)) == (1, 1)
    assert count("grid") == max(1, round(68 * SCALE))
    assert count("building") == round(646 * SCALE)
    assert count("unit") == round(1841 * SCALE)
    assert count("area", rural=True) == round(129 * SCALE)
    assert count("grid", rural=True) == round(2221 * SCALE)


def test_every_urban_post_is_held_and_some_rural_grids_are_not(demo):
    community = Place.objects.filter(kind=PlaceKind.COMMUNITY).first()
    assert all(level.share == 1.0 for level in coverage_by_level(community))
    rural = {level.kind: level for level in coverage_by_level(Place.objects.get(code="GC.D01"))}
    grids = {k: v for k, v in rural.items() if k == "grid"}
    total = sum(level.total for level in grids.values())
    assert 0 < sum(level.uncovered for level in grids.values()) < total


def test_households_live_in_units_or_rural_grids_with_residents(demo):
    kinds = set(Household.objects.values_list("place__kind", "place__is_rural").distinct())
    assert kinds == {("unit", False), ("grid", True)}
    assert Household.objects.count() == round(38000 * SCALE)
    assert not Household.objects.filter(members__isnull=True).exists()


def test_holders_are_party_members_registered_where_they_serve(demo):
    holder_ids = Tenure.objects.current().filter(role="holder").values("person_id")
    members = PartyMember.objects.filter(person_id__in=holder_ids)
    assert members.count() == Person.objects.filter(pk__in=holder_ids).count()
    assert set(members.values_list("community__kind", flat=True)) <= {
        "community",
        "area",
        "district",
    }


def test_posts_have_history_and_reserves(db):
    load_demo(scale=0.2)
    assert Tenure.objects.filter(ended_on__isnull=False, end_reason="轮岗").exists()
    assert Tenure.objects.current().filter(role="reserve").exists()


def test_loading_twice_is_refused_and_reset_reloads_the_same_county(demo):
    codes = list(Place.objects.values_list("code", "name"))
    with pytest.raises(DemoAlreadyLoaded):
        load_demo(scale=SCALE)
    remove_demo()
    assert not Place.objects.exists()
    load_demo(scale=SCALE)
    assert list(Place.objects.values_list("code", "name")) == codes


def test_load_demo_command_leaves_a_loaded_county_alone(demo, capsys):
    before = Place.objects.count()
    call_command("load_demo", "--scale", str(SCALE))
    assert Place.objects.count() == before
    assert "Nothing loaded" in capsys.readouterr().out


def test_demo_accounts_one_per_role_idempotent_and_usable(demo):
    ensure_demo_accounts()
    ensure_demo_accounts()
    logins = {a.username for a in ACCOUNTS}
    assert User.objects.filter(username__in=logins).count() == len(ACCOUNTS)
    # Besides: the inactive account the issue history was imported under, and the service
    # micro-platform's merchants and shoppers, who sign in by phone code (no password).
    assert not User.objects.get(username=IMPORTER).is_active
    others = User.objects.exclude(username__in=logins).exclude(username=IMPORTER)
    assert {user.role for user in others} <= {Role.MERCHANT, Role.RESIDENT}
    assert not any(user.has_usable_password() for user in others)
    assert {user.role for user in User.objects.all()} == {a.role for a in ACCOUNTS} | {
        Role.MERCHANT
    }
    unit = User.objects.get(username="unit")
    assert unit.person.tenures.current().get().post.place.code == "GC.C01.G01.B001.U1"
    assert User.objects.get(username="resident").person.household is not None
    assert not User.objects.filter(is_superuser=True).exists()
    assert unit.check_password(DEMO_PASSWORD)
    # Every demo account greets with a Chinese name (never "您好，office")
    shown = [str(user) for user in User.objects.exclude(username=IMPORTER)]
    assert all(name and not name.isascii() for name in shown), shown


def test_phone_numbers_and_id_numbers_are_well_formed():
    rng = random.Random(1)
    number = id_number(rng, datetime.date(1960, 5, 17), male=True)
    assert number.startswith("36103019600517") and len(number) == 18
    assert int(number[16]) % 2 == 1
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    check = "10X98765432"[sum(int(d) * w for d, w in zip(number[:17], weights, strict=True)) % 11]
    assert number[17] == check
    assert len(phone(rng)) == 11


@pytest.mark.django_db
def test_the_load_demo_command_loads_writes_the_register_and_says_so(settings, tmp_path, capsys):
    # As `make demo` runs it: no terminal, so no progress bar, and nothing may break for it
    settings.VAR_DIR = tmp_path
    call_command("load_demo", "--scale", str(SCALE))
    out = capsys.readouterr().out
    assert "Loaded the demo county" in out and Place.objects.exists()
    assert (tmp_path / "demo-register.csv").read_bytes().startswith(b"\xef\xbb\xbf")
