"""The import page and command: who may use them, and what they show."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import load_workbook

from sanzhang.audit.models import AuditEvent
from sanzhang.conftest import County
from sanzhang.places.models import Place

GOOD = "编码,上级编码,类型,名称\nGC.C01.G03,GC.C01,网格,第三网格\n".encode()
BAD = "编码,上级编码,类型,名称\nGC.C09.G01,GC.C09,网格,无主网格\n".encode()


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_county_office_imports_through_the_page(county: County, county_officer):
    upload = SimpleUploadedFile("places.csv", GOOD, content_type="text/csv")
    response = logged_in(county_officer).post("/places/import/", {"file": upload})
    assert "导入完成" in response.content.decode()
    assert Place.objects.filter(code="GC.C01.G03").exists()
    assert AuditEvent.objects.filter(action="places.imported", actor=county_officer).count() == 1


def test_a_bad_file_shows_the_problem_table_and_imports_nothing(county: County, county_officer):
    upload = SimpleUploadedFile("places.csv", BAD, content_type="text/csv")
    body = logged_in(county_officer).post("/places/import/", {"file": upload}).content.decode()
    assert "文件未导入" in body and "没有上级编码为 GC.C09 的地点" in body
    assert not Place.objects.filter(code="GC.C09.G01").exists()


def test_check_only_changes_nothing(county: County, county_officer):
    upload = SimpleUploadedFile("places.csv", GOOD, content_type="text/csv")
    body = (
        logged_in(county_officer)
        .post("/places/import/", {"file": upload, "check_only": "on"})
        .content.decode()
    )
    assert "文件检查无误" in body
    assert not Place.objects.filter(code="GC.C01.G03").exists()


def test_only_the_county_office_reaches_the_import_page(
    county: County, unit_leader, community_staff
):
    assert Client().get("/places/import/").status_code == 302
    assert logged_in(unit_leader).get("/places/import/").status_code == 404
    assert logged_in(community_staff).get("/places/import/").status_code == 404


def test_templates_download_in_csv_with_bom_and_in_xlsx(county: County, county_officer):
    client = logged_in(county_officer)
    csv_body = client.get("/places/import/template.csv").content
    assert csv_body.startswith(b"\xef\xbb\xbf\xe7\xbc\x96\xe7\xa0\x81")  # BOM, then 编码
    xlsx = client.get("/places/import/template.xlsx").content
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert [cell.value for cell in sheet[1]][:4] == ["编码", "上级编码", "类型", "名称"]


def test_the_template_itself_imports_cleanly(db, tmp_path):
    from sanzhang.places.import_template import template_csv

    path = tmp_path / "template.csv"
    path.write_bytes(template_csv())
    call_command("import_places", str(path))
    assert Place.objects.count() == 8


def test_the_command_exits_non_zero_on_a_bad_file_and_lists_problems(db, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD)
    with pytest.raises(CommandError):
        call_command("import_places", str(path))
    assert "row 2" in capsys.readouterr().err
