"""Importing the household and resident register: checked whole, refused whole with every
problem, re-importing changes nothing, a changed row updates the person found by ID number,
a household that moves keeps its history, nothing is deleted."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import translation
from openpyxl import Workbook
from stdnum.cn import ric

from sanzhang.access.scope import in_scope
from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import build_county, make_staff
from sanzhang.core.crypto import keyed_hash
from sanzhang.people.models import Household, HouseholdMove, Person, Role, Tag
from sanzhang.register.importing import ImportRefused, import_register

pytestmark = pytest.mark.django_db

HEADER = "户编号,所在地编码,门牌号,地址,姓名,身份证号,联系电话,与户主关系,特殊人群"


def id_number(born: str, sequence: int, area: str = "361030") -> str:
    body = f"{area}{born}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


WANG = id_number("19480312", 122)  # a woman (even sequence digit)
LI = id_number("19460708", 131)
ZHANG = id_number("19850101", 211)
CHEN = id_number("19700505", 142)
WRONG_CHECK = WANG[:-1] + ("1" if WANG[-1] != "1" else "2")


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def standard_file(county) -> bytes:  # type: ignore[no-untyped-def]
    unit = county.unit_a1_1.code
    return csv_file(
        f"H001,{unit},101,莲花社区1栋1单元101室,王秀英,{WANG},13700001234,户主,独居老人；低保",
        f"H002,{unit},102,莲花社区1栋1单元102室,李建国,{LI},,户主,退役军人",
        f"H002,{unit},102,,张伟,{ZHANG},13900005678,子女,",
        f"H003,{county.rural_grid.code},8号,城东村上屋组8号,陈大山,{CHEN},,户主,",
    )


def test_a_file_creates_households_and_residents_with_their_groups(county) -> None:
    result = import_register("register.csv", standard_file(county))
    assert (result.households_created, result.people_created, result.rows) == (3, 4, 4)
    wang = Person.objects.get(id_number_hash=keyed_hash(WANG))
    assert (wang.name, wang.gender, wang.birth_year, wang.relation) == ("王秀英", "F", 1948, "head")
    assert wang.phone == "13700001234"
    assert sorted(wang.tags.values_list("name", flat=True)) == ["低保", "独居老人"]
    household = wang.household
    assert (household.ref, household.place, household.door) == ("H001", county.unit_a1_1, "101")
    assert household.address == "莲花社区1栋1单元101室"
    son = Person.objects.get(id_number_hash=keyed_hash(ZHANG))
    assert son.household.ref == "H002" and son.gender == "M"
    assert Household.objects.get(ref="H003").place == county.rural_grid
    # Encrypted at rest: the table holds no plain ID number or phone.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [wang.pk])
        stored = cursor.fetchone()
    assert WANG not in stored[0] and "13700001234" not in stored[1]


def test_importing_the_same_file_again_changes_nothing(county) -> None:
    data = standard_file(county)
    import_register("register.csv", data)
    before = list(Person.objects.order_by("pk").values_list("pk", "name", "household_id"))
    again = import_register("register.csv", data)
    assert (again.households_created, again.households_updated, again.households_moved) == (0, 0, 0)
    assert (again.people_created, again.people_updated, again.unchanged) == (0, 0, 4)
    assert list(Person.objects.order_by("pk").values_list("pk", "name", "household_id")) == before
    assert Household.objects.count() == 3


def test_a_changed_row_updates_the_person_found_by_id_number_never_by_name(county) -> None:
    import_register("register.csv", standard_file(county))
    unit = county.unit_a1_1.code
    changed = csv_file(
        # same ID, new name and phone: the same person, corrected
        f"H001,{unit},101,,王秀英（改）,{WANG},13700009999,户主,独居老人",
        # same name as Wang, another ID: another person
        f"H002,{unit},102,,王秀英,{id_number('19900101', 222)},,配偶,",
    )
    result = import_register("register.csv", changed)
    assert (result.people_updated, result.people_created) == (1, 1)
    wang = Person.objects.get(id_number_hash=keyed_hash(WANG))
    assert (wang.name, wang.phone) == ("王秀英（改）", "13700009999")
    assert list(wang.tags.values_list("name", flat=True)) == ["独居老人"]  # the cell says so
    assert Person.objects.filter(name="王秀英").count() == 1
    # Nothing is deleted: Li, Zhang and Chen are not in this file and stay.
    assert Person.objects.count() == 5 and Household.objects.count() == 3


def test_a_household_that_moves_keeps_its_history(county, community_staff) -> None:
    import_register("register.csv", standard_file(county), actor=community_staff)
    unit = county.unit_a1_1.code
    moved = county.unit_b1_1.code
    data = standard_file(county).decode().replace(f"H002,{unit}", f"H002,{moved}").encode()
    result = import_register("register.csv", data, actor=community_staff)
    assert (result.households_moved, result.households_updated) == (1, 1)
    household = Household.objects.get(ref="H002")
    assert household.place == county.unit_b1_1
    [move] = HouseholdMove.objects.filter(household=household)
    assert (move.from_place, move.to_place, move.by) == (
        county.unit_a1_1,
        county.unit_b1_1,
        community_staff,
    )
    assert household.members.count() == 2


def test_a_file_with_errors_is_refused_whole_with_every_problem_listed(county) -> None:
    unit = county.unit_a1_1.code
    data = csv_file(
        f"H001,{unit},101,,王秀英,{WANG},13700001234,户主,独居老人",  # a good row
        f"H002,{unit},102,,,{WRONG_CHECK},12345,表亲,低收入",  # five problems
        f"H003,{county.grid_a.code},1,,陈大山,{CHEN},,户主,",  # an urban grid holds no household
        f"H004,GC.NOPE,1,,张伟,{ZHANG},,户主,",  # no such place
        f"H005,{unit},103,,李建国,{WANG},,户主,",  # Wang's ID again
    )
    with pytest.raises(ImportRefused) as refused, translation.override("zh-hans"):
        import_register("register.csv", data)
    found = {(p.row, p.column) for p in refused.value.problems}
    assert found == {
        (3, "姓名"),
        (3, "身份证号"),
        (3, "联系电话"),
        (3, "与户主关系"),
        (3, "特殊人群"),
        (4, "所在地编码"),
        (5, "所在地编码"),
        (6, "身份证号"),
    }
    messages = " ".join(p.message for p in refused.value.problems)
    assert "校验码" in messages and "已在第 2 行" in messages
    assert Person.objects.count() == 0 and Household.objects.count() == 0
    assert AuditEvent.objects.filter(action="register.imported", outcome="refused").exists()


def test_an_unknown_special_group_is_refused_and_a_countys_own_group_is_taken(county) -> None:
    unit = county.unit_a1_1.code
    data = csv_file(f"H001,{unit},101,,王秀英,{WANG},,户主,失独家庭")
    with pytest.raises(ImportRefused) as refused:
        import_register("register.csv", data)
    assert refused.value.problems[0].column == "特殊人群"
    Tag.objects.create(place=county.county, name="失独家庭")
    import_register("register.csv", data)
    wang = Person.objects.get(id_number_hash=keyed_hash(WANG))
    assert list(wang.tags.values_list("name", flat=True)) == ["失独家庭"]


def test_another_countys_group_is_not_offered(county) -> None:
    other = build_county("NF", "南丰县")
    Tag.objects.create(place=other.county, name="失独家庭")
    data = csv_file(f"H001,{county.unit_a1_1.code},101,,王秀英,{WANG},,户主,失独家庭")
    with pytest.raises(ImportRefused):
        import_register("register.csv", data)


def test_staff_import_only_into_their_own_community(county, community_staff) -> None:
    other = build_county("NF", "南丰县")
    data = csv_file(
        f"H001,{county.unit_a1_1.code},101,,王秀英,{WANG},,户主,",
        f"H009,{other.unit_a1_1.code},101,,陈大山,{CHEN},,户主,",
        # the county's, not the community's:
        f"H010,{county.rural_grid.code},1,,张伟,{ZHANG},,户主,",
    )
    with pytest.raises(ImportRefused) as refused:
        import_register(
            "register.csv",
            data,
            actor=community_staff,
            within=lambda code: in_scope(community_staff, code),
        )
    assert {(p.row, p.column) for p in refused.value.problems} == {
        (3, "所在地编码"),
        (4, "所在地编码"),
    }


def test_a_resident_of_another_areas_household_is_refused(county) -> None:
    import_register("register.csv", standard_file(county))  # Chen lives in the rural grid
    staff = make_staff("staff2", Role.COMMUNITY_STAFF, county.community, "committee")
    data = csv_file(f"H001,{county.unit_a1_1.code},101,,陈大山,{CHEN},,配偶,")
    with pytest.raises(ImportRefused) as refused:
        import_register("register.csv", data, actor=staff, within=lambda c: in_scope(staff, c))
    assert refused.value.problems[0].column == "身份证号"
    assert Person.objects.get(id_number_hash=keyed_hash(CHEN)).household.ref == "H003"


def test_check_only_counts_and_writes_nothing(county) -> None:
    result = import_register("register.csv", standard_file(county), dry_run=True)
    assert (result.households_created, result.people_created) == (3, 4)
    assert Person.objects.count() == 0 and Household.objects.count() == 0


def test_an_xlsx_file_with_english_headers_and_numeric_cells(county) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["household_number", "place_code", "name", "id_number", "phone", "relation"])
    sheet.append([1001, county.rural_grid.code, "陈大山", CHEN, 13700001234, "head"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_register("register.xlsx", buffer.getvalue())
    assert result.people_created == 1
    person = Person.objects.get(id_number_hash=keyed_hash(CHEN))
    assert (person.household.ref, person.phone, person.relation) == ("1001", "13700001234", "head")


def test_the_command_imports_a_file_and_lists_the_problems_of_a_bad_one(county, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    good, bad = tmp_path / "register.csv", tmp_path / "bad.csv"
    good.write_bytes(standard_file(county))
    bad.write_bytes(csv_file(f"H001,{county.unit_a1_1.code},101,,王秀英,{WRONG_CHECK},,户主,"))
    out, err = io.StringIO(), io.StringIO()
    with translation.override("zh-hans"):
        call_command("import_register", str(good), stdout=out)
    assert "居民：新增 4，变更 0，未变 0" in out.getvalue() and Person.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("import_register", str(bad), stderr=err)
    assert "2\t身份证号\t" in err.getvalue()


def test_the_import_names_each_stage_and_no_bar_is_drawn_off_a_terminal(
    county, tmp_path, capsys
) -> None:
    from django.core.management import call_command

    from sanzhang.register.importing import STAGES

    seen: list[str] = []
    import_register("register.csv", standard_file(county), dry_run=True, stage=seen.append)
    assert seen == STAGES[:-1]  # a check-only run writes nothing
    good = tmp_path / "register.csv"
    good.write_bytes(standard_file(county))
    with translation.override("zh-hans"):
        call_command("import_register", str(good))
    printed = capsys.readouterr()
    assert "居民：新增 4" in printed.out and Person.objects.count() == 4
    assert printed.err == ""  # tqdm stays silent where no TTY


def test_household_numbers_are_a_countys_own(county) -> None:
    """The same number in another county is another household; in this county but outside
    the importer's area, or moved away, it is a problem, not a silent move."""
    other = build_county("NF", "南丰县")
    import_register("nf.csv", csv_file(f"H001,{other.unit_a1_1.code},1,,陈大山,{CHEN},,户主,"))
    import_register("gc.csv", csv_file(f"H001,{county.unit_a1_1.code},101,,王秀英,{WANG},,户主,"))
    assert Household.objects.filter(ref="H001").count() == 2
    assert Person.objects.get(id_number_hash=keyed_hash(CHEN)).household.place == other.unit_a1_1

    staff = make_staff("grid-staff", Role.COMMUNITY_STAFF, county.grid_b, "committee")
    moved = csv_file(f"H001,{county.unit_b1_1.code},101,,王秀英,{WANG},,户主,")
    with pytest.raises(ImportRefused) as refused, translation.override("zh-hans"):
        import_register("gc.csv", moved, actor=staff, within=lambda c: in_scope(staff, c))
    assert "辖区以外的住户" in refused.value.problems[0].message

    Household.objects.filter(ref="H001", place=county.unit_a1_1).update(
        moved_away_on=datetime.date(2026, 1, 5)
    )
    with pytest.raises(ImportRefused) as refused, translation.override("zh-hans"):
        import_register(
            "gc.csv", csv_file(f"H001,{county.unit_a1_1.code},101,,王秀英,{WANG},,户主,")
        )
    assert "已于 2026-01-05 迁出" in refused.value.problems[0].message
