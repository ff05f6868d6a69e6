"""A bad import file is refused whole, with every problem listed by row and column."""

import pytest
from django.utils import translation

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County
from sanzhang.places.importing import ImportRefused, import_places
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.services import move_place, retire_place
from sanzhang.places.tests.data.files import COUNTY, csv_bytes, xlsx_bytes

# Rows 2-5: a county, a community with a grid, and a village area; a bad row comes after.
BASE = [
    ["GC", "", "县", "广昌县", "", "", ""],
    ["GC.C01", "GC", "社区", "旴江社区", "", "", ""],
    ["GC.C01.G01", "GC.C01", "网格", "第一网格", "", "", ""],
    ["GC.D01", "GC", "大区", "旴江镇", "", "", ""],
    ["GC.D01.A01", "GC.D01", "片区", "高坊村", "", "", ""],
    ["GC.D01.A01.G01", "GC.D01.A01", "网格", "上屋组", "", "", ""],
]
BAD_ROW = len(BASE) + 2


def problems_of(data: bytes, name: str = "places.csv") -> list[tuple[int, str, str]]:
    with translation.override("en"), pytest.raises(ImportRefused) as refused:
        import_places(name, data)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        (["", "GC.C01", "网格", "无码"], "编码", "A code is required."),
        (["GC.C01.G_2", "GC.C01", "网格", "坏码"], "编码", "capital letters and digits"),
        (["GC.C01." + "G" * 80, "GC.C01", "网格", "长码"], "编码", "at most 80 characters"),
        (["GC.X.Y", "GC", "社区", "跳级"], "编码", "parent's code plus one segment"),
        (["GC.C02", "", "社区", "无上级"], "上级编码", "The parent code is missing."),
        (
            ["GC.C02.G01", "GC.C02", "网格", "无主"],
            "上级编码",
            "No place has the parent code GC.C02.",
        ),
        (["GC.C01", "GC", "社区", "重复"], "编码", "The code repeats row 3."),
        (["GC.C01.G02", "GC.C01", "", "无类型"], "类型", "A kind is required."),
        (["GC.C01.G02", "GC.C01", "小区", "小区"], "类型", 'Unknown kind "小区".'),
        (
            ["GC.C01.U1", "GC.C01", "单元", "挂错"],
            "类型",
            "A Unit cannot be placed under Community.",
        ),
        (["GC2", "", "社区", "顶层社区"], "类型", "cannot be placed under the top of the tree"),
        (["GC.D01.A01.G01.B1", "GC.D01.A01.G01", "楼栋", "农村楼栋"], "类型", "under Grid"),
        (["GC.C01.G02", "GC.C01", "网格", ""], "名称", "A name is required."),
        (["GC.C01.G02", "GC.C01", "网格", "名" * 101], "名称", "at most 100 characters"),
        (["GC.C01.G02", "GC.C01", "网格", "坐标", "95", "116"], "中心纬度", "between -90 and 90"),
        (
            ["GC.C01.G02", "GC.C01", "网格", "坐标", "26", "东经"],
            "中心经度",
            "between -180 and 180",
        ),
        (["GC.C01.G02", "GC.C01", "网格", "坐标", "26", ""], "中心经度", "or neither"),
        (["GC.C01.G02", "GC.C01", "网格", "边界", "", "", '{"type": "Point"}'], "边界", "GeoJSON"),
        (["GC.C01.G02", "GC.C01", "网格", "边界", "", "", "{not json"], "边界", "GeoJSON"),
        (
            [
                "GC.C01.G02",
                "GC.C01",
                "网格",
                "边界",
                "",
                "",
                '{"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]}',
            ],
            "边界",
            "at least four",
        ),
    ],
)
def test_each_problem_is_reported_on_its_row_and_column(db, bad, column, message):
    row = bad + [""] * (7 - len(bad))
    ((line, got_column, got_message),) = problems_of(csv_bytes([*BASE, row]))
    assert (line, got_column) == (BAD_ROW, column)
    assert message in got_message
    assert not Place.objects.exists()


def test_several_problems_are_all_listed_in_row_order_and_nothing_is_written(db):
    rows = [
        *BASE,
        ["GC.C01", "GC", "社区", "重复社区", "", "", ""],  # row 8
        ["GC.C02.G01", "GC.C02", "网格", "无主网格", "", "", ""],  # row 9
        ["GC.C01.G05", "GC.C01", "网格", "", "95", "", ""],  # row 10: no name, bad point
    ]
    problems = problems_of(csv_bytes(rows))
    assert [(row, column) for row, column, _ in problems] == [
        (8, "编码"),
        (9, "上级编码"),
        (10, "名称"),
        (10, "中心纬度"),
        (10, "中心经度"),
    ]
    assert not Place.objects.exists() and not PlaceEvent.objects.exists()


def test_children_of_a_refused_row_are_not_also_told_their_parent_is_missing(db):
    rows = [
        *BASE,
        ["GC.C02", "GC", "社区", "", "", "", ""],
        ["GC.C02.G01", "GC.C02", "网格", "一格"],
    ]
    rows[-1] += ["", "", ""]
    assert [(row, column) for row, column, _ in problems_of(csv_bytes(rows))] == [(8, "名称")]


def test_problems_are_in_chinese_by_default(db):
    (problem,) = problems_of_in_chinese(
        csv_bytes([["GC.C02.G01", "GC.C02", "网格", "无主网格", "", "", ""]])
    )
    assert problem == (2, "上级编码", "没有上级编码为 GC.C02 的地点。")


def problems_of_in_chinese(data: bytes) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as refused:
        import_places("places.csv", data)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_gbk_file_is_refused_with_the_line_that_fails(db):
    header_in_english = "code,parent_code,kind,name\nGC,,county,Guangchang\n"
    data = header_in_english.encode() + "GC.C01,GC,社区,旴江社区\n".encode("gbk")
    ((row, _column, message),) = problems_of_in_chinese(data)
    assert row == 3
    assert "GBK" in message and "CSV UTF-8" in message and "XLSX" in message


def test_an_excel_gbk_csv_fails_on_its_chinese_header(db):
    data = csv_bytes(COUNTY).decode().encode("gbk")
    ((row, _column, message),) = problems_of(data)
    assert row == 1 and "GBK" in message


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("places.csv", xlsx_bytes(COUNTY)),  # a workbook renamed .csv
        ("places.xlsx", csv_bytes(COUNTY)),  # a CSV renamed .xlsx
        ("places.xlsx", b"PK\x03\x04 a zip that is no workbook"),
        ("places.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        ("places.pdf", b"%PDF-1.4"),
        ("places", csv_bytes(COUNTY)),
    ],
)
def test_a_file_that_is_not_a_csv_or_xlsx_is_refused(db, name, data):
    ((row, column, message),) = problems_of(data, name)
    assert (row, column, message) == (0, "", "Upload a CSV (UTF-8) or an XLSX file.")


def test_an_empty_file_or_a_header_alone_is_refused(db):
    assert problems_of(b"") == [(1, "", "The file is empty.")]
    assert problems_of(b"\xef\xbb\xbf\r\n,,,\r\n") == [(1, "", "The file is empty.")]
    assert problems_of(csv_bytes([])) == [(2, "", "The file has a header but no places.")]
    assert problems_of(xlsx_bytes([]), "p.xlsx") == [
        (2, "", "The file has a header but no places.")
    ]


def test_missing_columns_are_named(db):
    ((row, _column, message),) = problems_of("编码,名称\nGC,广昌县\n".encode())
    assert row == 1 and "上级编码" in message and "类型" in message


def test_an_existing_code_of_another_kind_is_refused(county: County):
    rows = [["GC.C01.G01", "GC.C01", "楼栋", "第一网格", "", "", ""]]
    ((row, column, message),) = problems_of(csv_bytes(rows))
    assert (row, column, message) == (2, "类型", "The code is already used by a Grid.")


def test_the_old_code_of_a_moved_place_is_never_used_again(county: County):
    move_place(county.building_a2, county.grid_b)  # GC.C01.G01.B02 is now an old code
    rows = [["GC.C01.G01.B02", "GC.C01.G01", "楼栋", "新2栋", "", "", ""]]
    ((row, column, message),) = problems_of(csv_bytes(rows))
    assert (row, column) == (2, "编码") and "codes are never reused" in message
    assert Place.objects.get(code="GC.C01.G02.B02").name == "2栋"


def test_no_new_place_goes_under_a_retired_place(county: County):
    retire_place(county.unit_b1_1)
    grid = Place.objects.create(
        parent=county.community, kind="grid", code="GC.C01.G09", depth=2, name="旧格"
    )
    retire_place(grid)
    rows = [["GC.C01.G09.B01", "GC.C01.G09", "楼栋", "1栋", "", "", ""]]
    ((row, column, message),) = problems_of(csv_bytes(rows))
    assert (row, column, message) == (2, "上级编码", "The parent place GC.C01.G09 is retired.")


def test_a_refused_import_leaves_a_refused_audit_row(db):
    with pytest.raises(ImportRefused):
        import_places("bad.csv", csv_bytes([["GC.C02", "", "社区", "x", "", "", ""]]))
    event = AuditEvent.objects.get(action="places.imported")
    assert (event.outcome, event.detail) == ("refused", {"file": "bad.csv", "problems": 1})


def test_checking_only_refuses_like_importing_and_leaves_no_audit_row(db):
    with pytest.raises(ImportRefused):
        import_places("bad.csv", csv_bytes([["GC.C02", "", "社区", "x", "", "", ""]]), dry_run=True)
    assert not AuditEvent.objects.exists()
