"""The downloadable import templates (CSV with a BOM so Excel reads Chinese, and XLSX)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = ["编码", "上级编码", "类型", "名称", "中心纬度", "中心经度", "边界"]
EXAMPLES = [
    ["GC", "", "县", "广昌县", "26.838", "116.325", ""],
    ["GC.C01", "GC", "社区", "旴江社区", "", "", ""],
    ["GC.C01.G01", "GC.C01", "网格", "第一网格", "", "", ""],
    ["GC.C01.G01.B001", "GC.C01.G01", "楼栋", "1栋", "", "", ""],
    ["GC.C01.G01.B001.U1", "GC.C01.G01.B001", "单元", "1单元", "", "", ""],
    ["GC.D01", "GC", "大区", "旴江镇", "", "", ""],
    ["GC.D01.A01", "GC.D01", "片区", "高坊村", "", "", ""],
    ["GC.D01.A01.G01", "GC.D01.A01", "网格", "上屋一组", "", "", ""],
]


def template_csv() -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(EXAMPLES)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "地点"
    sheet.append(HEADER)
    for row in EXAMPLES:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (24, 20, 8, 14, 10, 10, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
