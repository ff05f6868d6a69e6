"""The register import page in a real browser at phone size, as community staff use it: from
the residents' page to the import, a real file uploaded, then a file with mistakes refused with
every problem listed; both templates download."""

from __future__ import annotations

import os

import pytest

from sanzhang.conftest import build_county, log_in, make_staff
from sanzhang.core.crypto import keyed_hash
from sanzhang.people.models import Household, Person, Role, Tag

from .test_register_import import CHEN, WANG, WRONG_CHECK, csv_file

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SANZHANG_SHOTS", "")


def fits_the_screen(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_import_their_communitys_register_from_a_real_file(browser_page, tmp_path):
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    county = build_county()
    # A transactional test's flush empties the migration's default groups: put one back.
    Tag.objects.get_or_create(place=None, name="独居老人")
    make_staff("staff", Role.COMMUNITY_STAFF, county.community, "committee")
    unit = county.unit_a1_1.code
    good = tmp_path / "住户名册.csv"
    good.write_bytes(
        b"\xef\xbb\xbf"
        + csv_file(
            f"H001,{unit},101,莲花社区1栋1单元101室,王秀英,{WANG},13700001234,户主,独居老人",
            f"H001,{unit},101,,陈大山,{CHEN},,配偶,",
        )
    )
    bad = tmp_path / "有错.csv"
    bad.write_bytes(csv_file(f"H002,{county.rural_grid.code},1,,,{WRONG_CHECK},,户主,"))

    log_in(page, "staff")
    page.goto("/people/")
    page.click("text=导入住户名册")
    assert page.url.endswith("/register/import/")
    for link in ("XLSX", "CSV (UTF-8)"):
        with page.expect_download() as download:
            page.click(f"main a >> text={link}")
        assert download.value.suggested_filename.startswith("register-template.")

    page.set_input_files("input[type=file]", str(good))
    page.click("button[type=submit] >> text=上传")
    result = page.inner_text("#import-result")
    assert "住户：新增 1" in result and "居民：新增 2" in result
    assert fits_the_screen(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/register-imported.png", full_page=True)
    wang = Person.objects.get(id_number_hash=keyed_hash(WANG))
    assert wang.household.ref == "H001" and list(wang.tags.values_list("name", flat=True)) == [
        "独居老人"
    ]

    page.set_input_files("input[type=file]", str(bad))
    page.click("button[type=submit] >> text=上传")
    problems = page.inner_text("#import-problems")
    assert "文件未导入" in problems
    assert "请填写居民姓名" in problems and "校验码" in problems
    assert "不在您的辖区内" in problems  # the village grid is not the community's
    assert fits_the_screen(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/register-refused.png", full_page=True)
    assert Household.objects.count() == 1
