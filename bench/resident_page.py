"""resident_page_kb: the resident's report page with all it loads, as a phone's browser receives
it (compressed where the server compresses), through gunicorn with production settings and the
static files collected (hashed, compressed by WhiteNoise). Measured in headless Chromium from
each response's transferred size; printed beside the same page's uncompressed weight.
Goal: at most 60 KB."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from .common import ROOT, report
from .intake import _free_port, _production_env, run_module_env


def _weigh(port: int, session: str, compressed: bool) -> tuple[int, int]:
    """(bytes transferred, number of responses) loading /r/ as the signed-in resident."""
    from playwright.sync_api import sync_playwright

    total, count = 0, 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu"],
        )
        headers = {} if compressed else {"Accept-Encoding": "identity"}
        context = browser.new_context(extra_http_headers=headers)
        context.add_cookies(
            [{"name": "sessionid", "value": session, "domain": "127.0.0.1", "path": "/"}]
        )
        page = context.new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"http://127.0.0.1:{port}/r/", wait_until="networkidle")
        if "report-form" not in page.content():
            raise RuntimeError("the report page did not open for the demo resident")
        for response in responses:
            sizes = response.request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            count += 1
        browser.close()
    return total, count


def bench_resident_page(var_dir: Path) -> None:
    env = _production_env(var_dir)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v", "0"],
        env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    login = run_module_env(var_dir, env, "bench.intake_session")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "sanzhang.wsgi", "-w", "1",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        sent, count = _weigh(port, login["session"], compressed=True)
        plain, _count = _weigh(port, login["session"], compressed=False)
    finally:
        server.terminate()
        server.wait(timeout=10)
    report("resident_page_kb", sent / 1024, f"KB ({count} responses; goal <= 60)")
    report("resident_page_uncompressed_kb", plain / 1024, "KB")
