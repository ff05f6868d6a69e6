"""The import page in a real browser."""

import pytest

from sanzhang.conftest import build_county, log_in, make_staff
from sanzhang.people.models import Role
from sanzhang.places.models import Place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_county_officer_uploads_a_file_then_a_bad_one(browser_page, tmp_path):
    page = browser_page
    county = build_county()
    make_staff("office", Role.COUNTY_OFFICE, county.county, "county_office")
    good = tmp_path / "good.csv"
    good.write_text("编码,上级编码,类型,名称\nGC.C01.G03,GC.C01,网格,第三网格\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_bytes("编码,上级编码,类型,名称\nGC.C01.G04,GC.C01,网格,第四网格\n".encode("gbk"))

    log_in(page, "office")
    page.click("nav.nav >> text=导入")
    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit] >> text=上传")
    assert "新增 1" in page.inner_text("#import-result")
    assert Place.objects.filter(code="GC.C01.G03").exists()

    page.set_input_files("input[type=file]", str(bad))
    page.click("button[type=submit] >> text=上传")
    problems = page.inner_text("#import-problems")
    assert "GBK" in problems and "文件未导入" in problems
    assert not Place.objects.filter(code="GC.C01.G04").exists()
