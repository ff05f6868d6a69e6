"""The import page in a real browser, at phone size: a good file imports, a bad one is refused."""

import pytest

from sanzhang.conftest import build_county, log_in, make_staff
from sanzhang.people.models import Role
from sanzhang.places.models import Place
from sanzhang.places.tests.data.files import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GOOD = [["GC.C01.G03", "GC.C01", "网格", "第三网格", "", "", ""]]
GBK = csv_bytes([["GC.C01.G04", "GC.C01", "网格", "第四网格", "", "", ""]]).decode().encode("gbk")


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_county_officer_uploads_a_file_then_a_bad_one(browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 740})
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    (tmp_path / "good.csv").write_bytes(csv_bytes(GOOD))
    (tmp_path / "bad.csv").write_bytes(GBK)

    log_in(page, "office")
    page.click("#menu summary")  # on a phone the rest of the menu is behind one button
    page.click("#menu nav >> text=导入")
    page.set_input_files("input[type=file]", str(tmp_path / "good.csv"))
    page.click("button[type=submit] >> text=上传")
    assert "新增 1" in page.inner_text("#import-result")
    assert Place.objects.filter(code="GC.C01.G03").exists()
    assert fits_the_screen(page)

    page.set_input_files("input[type=file]", str(tmp_path / "bad.csv"))
    page.click("button[type=submit] >> text=上传")
    problems = page.inner_text("#import-problems")
    assert "文件未导入" in problems and "GBK" in problems
    assert page.inner_text("#import-problems td >> nth=0") == "1"  # the header line
    assert not Place.objects.filter(code="GC.C01.G04").exists()
    assert fits_the_screen(page)
