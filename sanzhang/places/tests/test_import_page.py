"""The import page: only the county office reaches it; it shows the counts or the problem table."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County
from sanzhang.places.importing import import_places
from sanzhang.places.models import Place
from sanzhang.places.tests.data.files import csv_bytes, xlsx_bytes

URL = "/places/import/"
NEW_GRID = [["GC.C01.G03", "GC.C01", "网格", "第三网格", "", "", ""]]
BAD = [["GC.C09.G01", "GC.C09", "网格", "无主网格", "", "", ""]]


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(user, name: str, data: bytes, **fields) -> str:
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    response = logged_in(user).post(URL, {"file": upload, **fields})
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_county_office_reaches_the_import_page(
    county: County, county_officer, unit_leader, community_staff
):
    assert logged_in(county_officer).get(URL).status_code == 200
    assert logged_in(unit_leader).get(URL).status_code == 404
    assert logged_in(community_staff).get(URL).status_code == 404
    assert logged_in(unit_leader).post(URL).status_code == 404
    assert logged_in(unit_leader).get(URL + "template.csv").status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(db):
    for url in (URL, URL + "template.xlsx"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_page_offers_both_templates_and_a_check_only_option(county: County, county_officer):
    body = logged_in(county_officer).get(URL).content.decode()
    assert 'href="/places/import/template.xlsx"' in body
    assert 'href="/places/import/template.csv"' in body
    assert 'name="check_only"' in body and 'accept=".csv,.xlsx"' in body


def test_county_office_imports_a_csv_through_the_page(county: County, county_officer):
    body = post(county_officer, "places.csv", csv_bytes(NEW_GRID))
    assert "导入完成" in body and "新增 1" in body
    assert Place.objects.filter(code="GC.C01.G03").exists()
    audit = AuditEvent.objects.get(action="places.imported")
    assert (audit.actor, audit.ip, audit.detail["created"]) == (county_officer, "127.0.0.1", 1)


def test_county_office_imports_an_xlsx_through_the_page(county: County, county_officer):
    assert "新增 1" in post(county_officer, "places.xlsx", xlsx_bytes(NEW_GRID))
    assert Place.objects.filter(code="GC.C01.G03").exists()


def test_a_bad_file_shows_the_problem_table_and_imports_nothing(county: County, county_officer):
    body = post(county_officer, "places.csv", csv_bytes(BAD))
    assert "文件未导入" in body
    assert "<td>2</td><td>上级编码</td><td>没有上级编码为 GC.C09 的地点。</td>" in body
    assert not Place.objects.filter(code="GC.C09.G01").exists()


def test_a_wholly_wrong_file_lists_the_first_thousand_problems(county: County, county_officer):
    orphans = [[f"GC.C09.G{n}", "GC.C09", "网格", "无主网格", "", "", ""] for n in range(1200)]
    body = post(county_officer, "places.csv", csv_bytes(orphans))
    assert "发现 1200 处问题" in body
    assert body.count("没有上级编码为 GC.C09 的地点") == 1000


def test_a_workbook_named_csv_is_refused_by_its_content(county: County, county_officer):
    assert "请上传 CSV（UTF-8）或 XLSX 文件。" in post(
        county_officer, "places.csv", xlsx_bytes(NEW_GRID)
    )


def test_a_file_over_10_mb_is_refused_before_it_is_read(county: County, county_officer):
    big = csv_bytes(NEW_GRID) + b"\n" * (10 * 1024 * 1024)
    assert "文件超过 10 MB。" in post(county_officer, "places.csv", big)
    assert not Place.objects.filter(code="GC.C01.G03").exists()


def test_check_only_shows_the_counts_and_changes_nothing(county: County, county_officer):
    body = post(county_officer, "places.csv", csv_bytes(NEW_GRID), check_only="on")
    assert "文件检查无误" in body and "新增 1" in body
    assert not Place.objects.filter(code="GC.C01.G03").exists()


def test_the_csv_template_has_a_bom_for_excel_and_imports_cleanly(db, county_officer):
    response = logged_in(county_officer).get(URL + "template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff编码,上级编码,类型,名称".encode())


def test_the_xlsx_template_has_chinese_headers_and_example_rows_that_import(db, county_officer):
    content = logged_in(county_officer).get(URL + "template.xlsx").content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("编码", "上级编码", "类型", "名称", "中心纬度", "中心经度", "边界")
    assert import_places("template.xlsx", content, dry_run=True).rows == len(rows) - 1 >= 2


def test_an_unknown_template_format_is_not_found(db, county_officer):
    assert logged_in(county_officer).get(URL + "template.pdf").status_code == 404
