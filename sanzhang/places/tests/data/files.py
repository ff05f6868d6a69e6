"""Import files for tests: a small county as CSV or XLSX rows, built the way Excel saves them."""

from __future__ import annotations

import io

from openpyxl import Workbook

HEADER = ["编码", "上级编码", "类型", "名称", "中心纬度", "中心经度", "边界"]
SQUARE = (
    '{"type": "Polygon", "coordinates": '
    "[[[116.3, 26.8], [116.31, 26.8], [116.31, 26.81], [116.3, 26.8]]]}"
)
# Rows 2-9 as Excel numbers them: a county with a town branch down to a unit and a village
# branch down to a rural grid (with a boundary).
COUNTY = [
    ["GC", "", "县", "广昌县", "26.838", "116.325", ""],
    ["GC.C01", "GC", "社区", "旴江社区", "", "", ""],
    ["GC.C01.G01", "GC.C01", "网格", "第一网格", "", "", ""],
    ["GC.C01.G01.B001", "GC.C01.G01", "楼栋", "1栋", "", "", ""],
    ["GC.C01.G01.B001.U1", "GC.C01.G01.B001", "单元", "1单元", "", "", ""],
    ["GC.D01", "GC", "大区", "旴江镇", "", "", ""],
    ["GC.D01.A01", "GC.D01", "片区", "高坊村", "", "", ""],
    ["GC.D01.A01.G01", "GC.D01.A01", "网格", "上屋一组", "", "", SQUARE],
]


def csv_text(rows: list[list[str]], header: list[str] = HEADER) -> str:
    import csv

    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue()


def csv_bytes(rows: list[list[str]], header: list[str] = HEADER, *, bom: bool = False) -> bytes:
    return (b"\xef\xbb\xbf" if bom else b"") + csv_text(rows, header).encode("utf-8")


def xlsx_bytes(rows: list[list[object]], header: list[str] = HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append([None if cell == "" else cell for cell in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def big_county_rows() -> list[list[str]]:
    """About the size of Guangchang's tree (4,911 places): 10 communities, 11 townships."""
    rows = [["GC", "", "县", "广昌县", "26.838", "116.325", ""]]
    for c in range(1, 11):
        community = f"GC.C{c:02d}"
        rows.append([community, "GC", "社区", f"第{c}社区", "", "", ""])
        for g in range(1, 8):
            grid = f"{community}.G{g:02d}"
            rows.append([grid, community, "网格", f"第{g}网格", "", "", ""])
            for b in range(1, 10):
                building = f"{grid}.B{b:03d}"
                rows.append([building, grid, "楼栋", f"{b}栋", "", "", ""])
                rows += [
                    [f"{building}.U{u}", building, "单元", f"{u}单元", "", "", ""]
                    for u in (1, 2, 3)
                ]
    for d in range(1, 12):
        district = f"GC.D{d:02d}"
        rows.append([district, "GC", "大区", f"第{d}大区", "", "", ""])
        for a in range(1, 12):
            area = f"{district}.A{a:02d}"
            rows.append([area, district, "片区", f"第{a}村", "", "", ""])
            rows += [
                [f"{area}.G{g:02d}", area, "网格", f"{g}组", "26.8", "116.3", ""]
                for g in range(1, 19)
            ]
    return rows
