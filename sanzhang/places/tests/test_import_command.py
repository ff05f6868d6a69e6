"""`manage.py import_places`: counts on success, every problem and a non-zero exit on a bad file."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from sanzhang.places.models import Place
from sanzhang.places.tests.data.files import COUNTY, csv_bytes, xlsx_bytes

ROOT = Path(__file__).resolve().parents[3]
BAD = [
    ["GC.C09.G01", "GC.C09", "网格", "无主网格", "", "", ""],
    ["GC.C09.G02", "GC.C09", "小区", "", "", "", ""],
]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_the_command_imports_a_file_and_prints_the_counts(db, tmp_path, capsys):
    call_command("import_places", write(tmp_path, "county.xlsx", xlsx_bytes(COUNTY)))
    assert "新增 8" in capsys.readouterr().out
    assert Place.objects.count() == 8
    call_command("import_places", write(tmp_path, "county.csv", csv_bytes(COUNTY)))
    assert "未变 8" in capsys.readouterr().out


def test_the_import_names_each_stage_and_no_bar_is_drawn_off_a_terminal(db, tmp_path, capsys):
    from sanzhang.places.importing import STAGES, import_places

    seen: list[str] = []
    import_places("county.csv", csv_bytes(COUNTY), stage=seen.append)
    assert seen == STAGES
    call_command("import_places", write(tmp_path, "county.csv", csv_bytes(COUNTY)))
    printed = capsys.readouterr()
    assert "未变 8" in printed.out and printed.err == ""  # tqdm stays silent where no TTY


def test_a_dry_run_prints_what_would_change_and_writes_nothing(db, tmp_path, capsys):
    call_command("import_places", write(tmp_path, "county.csv", csv_bytes(COUNTY)), "--dry-run")
    assert "文件检查无误" in capsys.readouterr().out
    assert not Place.objects.exists()


def test_a_bad_file_lists_every_problem_and_fails(db, tmp_path, capsys):
    with pytest.raises(CommandError, match="3"):
        call_command("import_places", write(tmp_path, "bad.csv", csv_bytes(BAD)))
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "行\t列\t问题"
    assert lines[1] == "2\t上级编码\t没有上级编码为 GC.C09 的地点。"
    assert [line.split("\t")[:2] for line in lines[2:]] == [["3", "类型"], ["3", "名称"]]
    assert not Place.objects.exists()


def test_a_missing_file_fails_with_its_name(db, tmp_path):
    with pytest.raises(CommandError, match=r"nothing\.csv"):
        call_command("import_places", str(tmp_path / "nothing.csv"))


def test_the_exit_code_is_zero_on_success_and_one_on_a_bad_file(tmp_path):
    # A real process, as an operator runs it, on a throw-away SQLite database of its own
    # (never the DATABASE_URL of the run: that would be the developer's database).
    env = {**os.environ, "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)

    def manage(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "manage.py", *args]
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    assert manage("migrate", "-v0").returncode == 0
    good = manage("import_places", write(tmp_path, "county.csv", csv_bytes(COUNTY)))
    assert (good.returncode, good.stderr) == (0, "")
    bad = manage("import_places", write(tmp_path, "bad.csv", csv_bytes(BAD)))
    assert bad.returncode == 1
    assert "没有上级编码为 GC.C09 的地点" in bad.stderr
