"""Secure headers, CSRF, and `check --deploy` clean with production settings (promise 22),
failing when a superuser is active or an audit trigger is missing (promises 7, 9)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.test import Client

from sanzhang.conftest import County
from sanzhang.security import tokens

ROOT = Path(__file__).resolve().parents[3]


def test_pages_carry_the_security_headers(county: County):
    response = Client().get("/board/GC/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_every_answer_carries_the_permissions_policy(county: County, county_officer):
    signed_in = Client()
    signed_in.force_login(county_officer)
    for answer in [
        Client().get("/board/GC/"),
        Client().get("/accounts/login/"),
        Client().get("/static/core/site.js"),
        signed_in.get("/console/"),
    ]:
        policy = answer["Permissions-Policy"]
        # The report page reads the phone's position and photos may come from the camera.
        assert "geolocation=(self)" in policy and "camera=(self)" in policy
        assert {"microphone=()", "payment=()", "usb=()"} <= set(policy.split(", "))


def test_a_signed_in_page_is_not_stored_even_on_the_board(county: County, county_officer):
    client = Client()
    client.force_login(county_officer)
    assert client.get("/console/")["Cache-Control"] == "no-store"
    # A signed-in visitor of the public board sees their name in its header.
    assert client.get("/board/GC/")["Cache-Control"] == "no-store"


def test_an_api_answer_to_a_bearer_token_is_not_stored(county: County, county_officer):
    _token, secret = tokens.issue(county_officer, name="x")
    answer = Client().get("/api/places/", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"


def test_a_views_own_no_store_policy_is_kept(county: County, county_officer):
    """The login page is never_cache's (no-store among its words); it stays as Django set it."""
    policy = Client().get("/accounts/login/")["Cache-Control"]
    assert policy.startswith("max-age=0") and "no-store" in policy


def test_the_public_board_and_static_files_stay_cacheable(county: County, county_officer):
    assert "Cache-Control" not in Client().get("/board/GC/")
    signed_in = Client()
    signed_in.force_login(county_officer)
    for client in [Client(), signed_in]:
        static = client.get("/static/core/site.js")
        assert static.status_code == 200
        assert "no-store" not in static.get("Cache-Control", "")


def test_an_anonymous_answer_off_the_board_is_not_stored(county: County):
    assert Client().get("/signup/")["Cache-Control"] == "no-store"


def test_a_post_without_csrf_token_is_refused(county: County, county_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_officer)
    response = client.post(f"/places/{county.grid_a.code}/edit/", {"action": "rename"})
    assert response.status_code == 403


def production(tmp_path: Path) -> dict[str, str]:
    """The environment of a production server, with a migrated SQLite database in tmp_path."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "x" * 20 + Fernet.generate_key().decode() + "y" * 10,
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "FIELD_HASH_KEY": "z" * 40,
        "ALLOWED_HOSTS": "sanzhang.example",
        "VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    # Migrated, so the checks that read the database (superusers, audit triggers) run.
    assert manage(env, "migrate", "-v0").returncode == 0
    return env


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "manage.py", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


def check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return manage(env, "check", "--deploy", "--fail-level", "WARNING")


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = check_deploy(production(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_with_an_active_superuser_or_a_dropped_audit_trigger(tmp_path):
    env = production(tmp_path)
    make_root = (
        "from sanzhang.people.models import User\n"
        "User.objects.create_user('root', is_superuser=True)"
    )
    assert manage(env, "shell", "-c", make_root).returncode == 0
    with sqlite3.connect(tmp_path / "sanzhang.sqlite3") as db:
        db.execute("DROP TRIGGER audit_no_delete")
    result = check_deploy(env)
    assert result.returncode == 1
    assert "security.E001" in result.stderr and "audit.E001" in result.stderr
