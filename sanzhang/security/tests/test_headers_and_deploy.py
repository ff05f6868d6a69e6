"""Secure headers, CSRF, and `check --deploy` clean with production settings (promise 22)."""

import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from django.test import Client

from sanzhang.conftest import County

ROOT = Path(__file__).resolve().parents[3]


def test_pages_carry_the_security_headers(county: County):
    response = Client().get("/board/GC/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_post_without_csrf_token_is_refused(county: County, county_officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_officer)
    response = client.post(f"/places/{county.grid_a.code}/edit/", {"action": "rename"})
    assert response.status_code == 403


def test_check_deploy_is_clean_with_production_settings(tmp_path):
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
    # A migrated database, so the checks that read it (no superuser, audit triggers) run.
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, capture_output=True
    )
    assert migrate.returncode == 0, migrate.stderr
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
