"""Helpers for benches: throwaway SQLite databases and a Django in a subprocess per database."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def report(name: str, value: float, unit: str) -> None:
    print(f"bench: {name} = {value:.3g} {unit}", flush=True)


def new_var_dir(label: str) -> Path:
    return Path(tempfile.mkdtemp(prefix=f"sanzhang-bench-{label}-"))


def manage(var_dir: Path, *args: str) -> str:
    """Run manage.py against the SQLite database in `var_dir`; returns its stdout."""
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return result.stdout


def run_module(var_dir: Path, module: str, *args: str) -> dict:
    """Run `python -m module args` with Django on `var_dir`'s database; parse its JSON output."""
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "true"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", module, *args],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(result.stdout.strip().splitlines()[-1])


def median_seconds(action: Callable[[], object], repeat: int = 15) -> float:
    action()  # warm the caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def force_login(client: Any, user: Any) -> None:
    """`client.force_login`, and for the county office and administrators a session that
    passed its second factor, as production serves their pages (the device's lookup included)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from sanzhang.security.otp import totp_required

    client.force_login(user)
    if totp_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
