"""Excel exports: typed cells, and text typed by people never turns into a formula."""

from __future__ import annotations

import datetime
import io

from openpyxl import load_workbook

from sanzhang.core.xlsx import Column, Sheet, workbook


def test_cells_keep_their_types_and_text_stays_text() -> None:
    content = workbook(
        [
            Sheet(
                "表",
                [Column("文字"), Column("数", kind="int"), Column("日期", kind="date")],
                [
                    ['=HYPERLINK("http://x/")', 3, datetime.date(2026, 11, 25)],
                    ["@SUM(A1)", 4, None],
                    ["普通文字", 5, None],
                ],
            )
        ]
    )
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'=")
    assert sheet["A3"].value == "'@SUM(A1)" and sheet["A4"].value == "普通文字"
    assert sheet["B2"].value == 3 and sheet["B2"].number_format == "0"
    assert sheet["C2"].value == datetime.datetime(2026, 11, 25)
    assert sheet.freeze_panes == "A2"
