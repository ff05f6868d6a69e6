"""Importing places: all or nothing, every problem by row and column, idempotent."""

import io

import pytest
from openpyxl import Workbook

from sanzhang.places.importing import ImportRefused, import_places
from sanzhang.places.models import Place, PlaceEvent
from sanzhang.places.services import create_place, move_place

HEADER = "编码,上级编码,类型,名称,中心纬度,中心经度,边界"
POLYGON = (
    '"{""type"": ""Polygon"", ""coordinates"": '
    '[[[116.3, 26.8], [116.31, 26.8], [116.31, 26.81], [116.3, 26.8]]]}"'
)
COUNTY = [
    "GC,,县,广昌县,26.838,116.325,",
    "GC.C01,GC,社区,旴江社区,,,",
    "GC.C01.G01,GC.C01,网格,第一网格,,,",
    "GC.C01.G01.B001,GC.C01.G01,楼栋,1栋,,,",
    "GC.C01.G01.B001.U1,GC.C01.G01.B001,单元,1单元,,,",
    "GC.D01,GC,大区,旴江镇,,,",
    "GC.D01.A01,GC.D01,片区,高坊村,,,",
    "GC.D01.A01.G01,GC.D01.A01,网格,上屋一组,,," + POLYGON,
]  # fmt: skip


def csv_bytes(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode("utf-8")


def problems_of(data: bytes, name: str = "places.csv") -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRefused) as refused:
        import_places(name, data)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_a_county_imports_from_csv_with_rural_and_urban_branches(db):
    result = import_places("places.csv", csv_bytes(*COUNTY))
    assert (result.rows, result.created, result.updated, result.unchanged) == (8, 8, 0, 0)
    assert Place.objects.get(code="GC.D01.A01.G01").is_rural
    assert Place.objects.get(code="GC.D01.A01.G01").boundary["type"] == "Polygon"
    assert Place.objects.get(code="GC").centre_lat == pytest.approx(26.838)


def test_rows_may_come_in_any_order_and_with_english_headers(db):
    header = "code,parent_code,kind,name"
    lines = ["GC.C01,GC,community,旴江社区", "GC,,county,广昌县"]
    assert import_places("p.csv", csv_bytes(*lines, header=header)).created == 2


def test_reimporting_the_same_file_changes_nothing(db):
    data = csv_bytes(*COUNTY)
    import_places("places.csv", data)
    events = PlaceEvent.objects.count()
    result = import_places("places.csv", data)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 8)
    assert PlaceEvent.objects.count() == events
    assert Place.objects.count() == 8


def test_a_changed_name_renames_and_is_recorded(db):
    import_places("places.csv", csv_bytes(*COUNTY))
    renamed = [line.replace("第一网格", "幸福网格") for line in COUNTY]
    result = import_places("places.csv", csv_bytes(*renamed))
    assert (result.updated, result.unchanged) == (1, 7)
    grid = Place.objects.get(code="GC.C01.G01")
    assert grid.name == "幸福网格"
    assert grid.events.filter(action="renamed").exists()


def test_an_xlsx_file_imports_like_the_csv(db):
    book = Workbook()
    sheet = book.active
    for line in [HEADER, *COUNTY[:5]]:
        sheet.append(next(iter([line.split(",")[:4]])))
    buffer = io.BytesIO()
    book.save(buffer)
    assert import_places("places.xlsx", buffer.getvalue()).created == 5


def test_every_problem_is_listed_with_its_row_and_column_and_nothing_is_written(db):
    problems = problems_of(
        csv_bytes(
            "GC,,县,广昌县,,,",
            "GC.C01,GC,社区,旴江社区,,,",
            "GC.C01,GC,社区,重复社区,,,",  # row 4: duplicate code
            "GC.C02.G01,GC.C02,网格,无主网格,,,",  # row 5: missing parent
            "GC.C01.U1,GC.C01,单元,单元挂社区,,,",  # row 6: wrong kind under a community
            "GC.D01,GC,大区,旴江镇,,,",
            "GC.D01.A01,GC.D01,片区,高坊村,,,",
            "GC.D01.A01.G01,GC.D01.A01,网格,上屋组,,,",
            "GC.D01.A01.G01.B1,GC.D01.A01.G01,楼栋,农村楼栋,,,",  # row 10: rural grid
            "GC.C01.G09,GC.C01,网格,,,,",  # row 11: no name
            "GC.C01.G10,GC.C01,小区,第十网格,,,",  # row 12: unknown kind
            "GC.X.Y,GC,社区,错码,,,",  # row 13: not parent + one segment
            "GC.C01.G11,GC.C01,网格,坐标错,95,116,",  # row 14: bad latitude
            'GC.C01.G12,GC.C01,网格,边界错,,,"{""type"": ""Point""}"',  # row 15
        )
    )
    assert [(row, column) for row, column, _ in problems] == [
        (4, "编码"),
        (5, "上级编码"),
        (6, "类型"),
        (10, "类型"),
        (11, "名称"),
        (12, "类型"),
        (13, "编码"),
        (14, "中心纬度"),
        (15, "边界"),
    ]
    assert "第 3 行" in problems[0][2] or "3" in problems[0][2]
    assert "GC.C02" in problems[1][2]
    assert not Place.objects.exists()


def test_messages_are_in_chinese(db):
    (problem,) = problems_of(csv_bytes("GC.C02.G01,GC.C02,网格,无主网格,,,"))
    assert problem[2] == "没有上级编码为 GC.C02 的地点。"


def test_a_gbk_file_is_refused_with_the_line_that_fails(db):
    data = (HEADER + "\nGC,,县,广昌县,,,\nGC.C01,GC,社区,旴江社区,,,\n").encode("gbk")
    ((row, _column, message),) = problems_of(data)
    assert row == 1  # the Chinese header is the first line that is not UTF-8
    assert "UTF-8" in message and "GBK" in message


def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(db):
    ((_row, _column, message),) = problems_of(b"PK\x03\x04not really a workbook", "x.csv")
    assert "CSV" in message
    assert problems_of(b"", "empty.csv")[0][2] == "文件是空的。"


def test_missing_columns_are_named(db):
    ((row, _column, message),) = problems_of("编码,名称\nGC,广昌县\n".encode())
    assert row == 1 and "上级编码" in message and "类型" in message


def test_an_existing_code_with_another_kind_or_parent_is_refused(db):
    import_places("places.csv", csv_bytes(*COUNTY[:4]))
    problems = problems_of(
        csv_bytes("GC.C01.G01,GC.C01,楼栋,第一网格,,,", header=HEADER)
        + b"GC.C01.G01.B001,GC.C01.G01,\xe6\xa5\xbc\xe6\xa0\x8b,1\xe6\xa0\x8b,,,\n"
    )
    assert [(row, column) for row, column, _ in problems][:1] == [(2, "类型")]


def test_the_old_code_of_a_moved_place_cannot_be_imported_again(db):
    import_places("places.csv", csv_bytes(*COUNTY[:4]))
    other = create_place(
        parent=Place.objects.get(code="GC.C01"), kind="grid", segment="G02", name="第二网格"
    )
    move_place(Place.objects.get(code="GC.C01.G01.B001"), other)
    ((row, column, message),) = problems_of(csv_bytes("GC.C01.G01.B001,GC.C01.G01,楼栋,新1栋,,,"))
    assert (row, column) == (2, "编码") and "不会重复使用" in message


def test_dry_run_checks_and_writes_nothing(db):
    result = import_places("places.csv", csv_bytes(*COUNTY), dry_run=True)
    assert result.created == 8
    assert not Place.objects.exists()
