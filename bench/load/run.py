"""The load test on several nodes: `python -m bench.load.run` (or `make load-test`).

Starts, on this machine, what a province runs on several: PostgreSQL (a database of its own,
`sanzhang_load`, with the demo county loaded once), two gunicorn processes as two application
nodes on two ports behind one address (HAProxy, Debian's package, installed if missing), RQ
workers and the scheduler on Redis (TASKS_ENGINE=redis; the rate-limit counters there too), and
the media in a private bucket of moto's S3 server. All in production settings (DEBUG off). Then
Locust drives the mix of bench/load/locustfile.py headless for a fixed time, and this prints
p50/p95 latency, errors and throughput per request kind from Locust's CSV, and exits non-zero
on any error (a failed request or a failed background job).

Options: --users N (40), --seconds S (90), --spawn-rate R (4), --fresh (drop the database and
load the demo again), --keep DIR (keep the logs and CSV there). PostgreSQL is reached at
LOAD_PG_URL (default postgres://postgres@127.0.0.1:5432) and Redis at LOAD_REDIS_URL (default
redis://127.0.0.1:6379; started here if nothing answers there).
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parents[2]
PY = sys.executable
DB_NAME = "sanzhang_load"
BUCKET = "sanzhang-media"
S3_KEY = "load-test"  # moto's server takes any key
DEV_SECRET_KEY = "dev-only-insecure-key-never-use-in-production-0123456789abcdef"  # noqa: S105
# Redis databases of their own: the queue, the rate-limit counters (an earlier run's keys
# removed at the start).
QUEUE_DB, COUNTERS_DB = 11, 12
NODE_WORKERS, NODE_THREADS, RQ_WORKERS = 2, 4, 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_port(port: int, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{what} did not open port {port} in {seconds:.0f} s")


def _dev_key(label: str) -> str:
    """The key development mode derives (sanzhang.core.crypto._derived_key): the county is
    loaded in development mode, and the production processes read its encrypted fields."""
    digest = hashlib.sha256(f"{label}:{DEV_SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode()


class Processes:
    """The children started here, ended in reverse order at the end, whatever happens."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
        self.started.append((name, process))
        return process

    def check_alive(self) -> None:
        for name, process in self.started:
            if process.poll() is not None:
                self.tail(name)
                raise SystemExit(f"{name} stopped (exit {process.returncode})")

    def tail(self, name: str, lines: int = 30) -> None:
        text = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()
        print(f"--- last lines of {name}.log ---", *text[-lines:], sep="\n", file=sys.stderr)

    def stop_all(self) -> None:
        for _name, process in reversed(self.started):
            if process.poll() is None:
                process.terminate()
        for _name, process in reversed(self.started):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _busy(times: Any) -> float:
    """The machine's busy CPU seconds (guest time is already counted in user time)."""
    fields = ("user", "nice", "system", "irq", "softirq", "steal")
    return sum(getattr(times, field, 0.0) for field in fields)


class Meter(threading.Thread):
    """While Locust runs, every second: the CPU time of each part (the processes started here
    and their children, and this database's PostgreSQL backends), and how many of this
    database's connections are busy on a query. Where the time goes says what to scale."""

    def __init__(self, parts: dict[str, list[int]], database: str) -> None:
        super().__init__(daemon=True)
        self.parts, self.database = parts, database
        self.first: dict[int, float] = {}
        self.last: dict[int, tuple[str, float]] = {}
        self.busy: list[int] = []
        self.done = threading.Event()
        self.machine = self.machine_end = psutil.cpu_times()
        self.started = self.ended = time.perf_counter()

    def _note(self, part: str, process: psutil.Process) -> None:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return
        # With the children it waited for: an RQ worker forks a process for each job.
        total = times.user + times.system + times.children_user + times.children_system
        self.first.setdefault(process.pid, total)
        self.last[process.pid] = (part, total)

    def sample(self, conn: Any) -> None:
        for part, roots in self.parts.items():
            for root in roots:
                try:
                    top = psutil.Process(root)
                    family = [top, *top.children(recursive=True)]
                except psutil.Error:
                    continue
                for process in family:
                    self._note(part, process)
        for process in psutil.process_iter(["cmdline"]):
            if f" {DB_NAME} " in " ".join(process.info["cmdline"] or []):
                self._note("PostgreSQL", process)
        query = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = 'active' "
            "AND pid <> pg_backend_pid()"
        )
        self.busy.append(conn.execute(query, [DB_NAME]).fetchone()[0])

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.database, autocommit=True) as conn:
            while not self.done.wait(1.0):
                self.sample(conn)
        self.machine_end, self.ended = psutil.cpu_times(), time.perf_counter()

    def report(self) -> str:
        seconds = max(self.ended - self.started, 1e-9)
        spent: dict[str, float] = {}
        for pid, (part, total) in self.last.items():
            spent[part] = spent.get(part, 0.0) + total - self.first[pid]
        machine = _busy(self.machine_end) - _busy(self.machine)
        parts = ", ".join(f"{part} {cpu / seconds:.2f}" for part, cpu in spent.items())
        busy = sum(self.busy) / max(len(self.busy), 1)
        return (
            f"cores busy on average: {parts}; the whole machine {machine / seconds:.2f} of "
            f"{psutil.cpu_count()} (other work shares it); busy database connections on "
            f"average {busy:.2f} (at most {max(self.busy, default=0)})"
        )


def _haproxy() -> str:
    found = shutil.which("haproxy") or (Path("/usr/sbin/haproxy").exists() and "/usr/sbin/haproxy")
    if found:
        return str(found)
    if os.geteuid() != 0:
        raise SystemExit("HAProxy is missing: apt-get install haproxy (as root), then run again")
    print("load: installing HAProxy from Debian's packages", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "haproxy"], check=True)
    return "/usr/sbin/haproxy"


def _redis(processes: Processes) -> str:
    url = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379")
    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1).close()
        return url
    except OSError:
        port = _free_port()
        server = shutil.which("redis-server")
        if not server:
            raise SystemExit("Redis answers nowhere and redis-server is missing") from None
        args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
        processes.start("redis", args, dict(os.environ))
        _wait_port(port, "redis-server")
        return f"redis://127.0.0.1:{port}"


def _database(pg: str, fresh: bool, var_dir: Path) -> str:
    import psycopg

    with psycopg.connect(f"{pg}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if fresh and exists:
            conn.execute(f'DROP DATABASE "{DB_NAME}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    url = f"{pg}/{DB_NAME}"
    # Loaded in development mode, as `make demo` does; the demo's own files (receipts, licences)
    # stay on this run's disk: the mix never opens them.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "true", "VAR_DIR": str(var_dir)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    manage = [PY, "manage.py"]
    started = time.perf_counter()
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True)
    subprocess.run([*manage, "load_demo"], env=env, cwd=ROOT, check=True)
    # The planner's statistics after the bulk load (autovacuum gets there later): without
    # them the office's console home took 16 s on one query, 31 ms after (measured).
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")
    print(f"load: database {DB_NAME} ready in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _production_env(var_dir: Path, database: str, redis: str, s3: str) -> dict[str, str]:
    env = {**os.environ, "VAR_DIR": str(var_dir), "DEBUG": "false"}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.load.settings",
        SECRET_KEY=DEV_SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=_dev_key("field-encryption"),
        FIELD_HASH_KEY=_dev_key("field-hash"),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        TRUSTED_PROXIES="1",  # HAProxy adds the client's address to X-Forwarded-For
        DATABASE_URL=database,
        DB_CONN_MAX_AGE="60",
        TASKS_ENGINE="redis",
        REDIS_URL=f"{redis}/{QUEUE_DB}",
        RATELIMIT_REDIS_URL=f"{redis}/{COUNTERS_DB}",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=s3,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID=S3_KEY,
        AWS_SECRET_ACCESS_KEY=S3_KEY,
        AWS_S3_ADDRESSING_STYLE="path",
        LOG_LEVEL="WARNING",
        # The demo has one resident login, which all resident clients share, from one
        # address: the report and upload limits are raised out of the way; their counters
        # still run on every request, in Redis, as in production.
        RATE_REPORT_PER_ACCOUNT="1000000/h",
        RATE_REPORT_PER_ADDRESS="1000000/h",
        RATE_UPLOAD_PER_ACCOUNT="1000000/h",
    )
    return env


def _haproxy_config(path: Path, port: int, nodes: list[int]) -> None:
    servers = "\n".join(
        f"  server node{n} 127.0.0.1:{p} check inter 5s fall 3 rise 2"
        for n, p in enumerate(nodes, 1)
    )
    path.write_text(
        f"""global
  maxconn 4096
  log stdout format raw local0
defaults
  mode http
  log global
  option httplog
  option forwardfor
  option http-keep-alive
  timeout connect 5s
  timeout client 120s
  timeout server 120s
  # A busy node answers its check late (the check waits behind the requests in the node's
  # queue): with the default (the check interval, 2 s) both nodes were taken out at once
  # under load on this shared machine (measured).
  timeout check 20s
  # A node closing an idle kept-alive connection just as the balancer sends a request on it
  # answers nothing, and the client's connection is closed without a response (4 GETs in a
  # run with gunicorn's default of 2 s, measured): gunicorn keeps them longer (--keep-alive
  # below) than the balancer keeps its idle connections to the nodes.
frontend web
  bind 127.0.0.1:{port}
  default_backend nodes
backend nodes
  balance leastconn
  option httpchk
  http-check send meth GET uri /accounts/login/ ver HTTP/1.1 hdr Host 127.0.0.1
  http-check expect status 200
{servers}
"""
    )


def _stats(prefix: Path) -> list[dict[str, str]]:
    with (prefix.parent / f"{prefix.name}_stats.csv").open(newline="") as handle:
        return list(csv.DictReader(handle))


def _print_stats(rows: list[dict[str, str]], seconds: float) -> int:
    head = ("request kind", "count", "errors", "p50 ms", "p95 ms", "req/s")
    print("\n{:<44} {:>6} {:>6} {:>7} {:>7} {:>6}".format(*head))
    errors = 0
    for row in rows:
        name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
        count, failed = int(row["Request Count"]), int(row["Failure Count"])
        errors += failed if row["Name"] != "Aggregated" else 0
        print(
            f"{name:<44} {count:>6} {failed:>6} {row['50%']:>7} {row['95%']:>7} "
            f"{count / seconds:>6.2f}"
        )
    return errors


def _jobs(redis: str) -> tuple[int, int, int]:
    """Jobs done (their results are kept 500 s, longer than a run), left waiting, and failed
    in the queue's Redis database."""
    import redis as redis_client

    conn = redis_client.Redis.from_url(f"{redis}/{QUEUE_DB}")
    return (
        int(conn.zcard("rq:finished:default")),
        int(conn.llen("rq:queue:default")),
        int(conn.zcard("rq:failed:default")),
    )


def _s3_client(s3: str):  # type: ignore[no-untyped-def]
    import boto3

    return boto3.client(
        "s3", endpoint_url=s3, region_name="us-east-1",
        aws_access_key_id=S3_KEY, aws_secret_access_key=S3_KEY,
    )  # fmt: skip


def _bucket_objects(s3: str) -> int:
    pages = _s3_client(s3).get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return sum(page.get("KeyCount", 0) for page in pages)


def _status(port: int, path: str) -> int:
    """The answer's status, or 0 for none in time (a node still starting on a busy machine)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": "127.0.0.1"})
        return conn.getresponse().status
    except OSError:
        return 0
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=int, default=90)
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--keep", type=Path)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="sanzhang-load-"))
    logs = options.keep or work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = Processes(logs)
    try:
        haproxy = _haproxy()
        pg = os.environ.get("LOAD_PG_URL", "postgres://postgres@127.0.0.1:5432")
        database = _database(pg, options.fresh, work / "demo-var")
        redis = _redis(processes)
        import redis as redis_client

        # On a Redis that was already running, only RQ's keys and the rate limits' keys in the
        # load test's two databases are removed (an earlier run's), never the databases whole.
        for db, pattern in ((QUEUE_DB, "rq:*"), (COUNTERS_DB, ":1:rl:*")):
            conn = redis_client.Redis.from_url(f"{redis}/{db}")
            for key in conn.scan_iter(match=pattern, count=1000):
                conn.delete(key)

        s3_port = _free_port()
        processes.start(
            "s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ)
        )
        _wait_port(s3_port, "moto's S3 server")
        s3 = f"http://127.0.0.1:{s3_port}"
        _s3_client(s3).create_bucket(Bucket=BUCKET)

        var_dir = work / "var"
        env = _production_env(var_dir, database, redis, s3)
        manage = [PY, "manage.py"]
        subprocess.run(
            [*manage, "collectstatic", "--no-input", "-v", "0"], env=env, cwd=ROOT, check=True
        )
        prepared = subprocess.run(
            [PY, "-m", "bench.load.prepare"], env=env, cwd=ROOT, check=True,
            capture_output=True, text=True,
        )  # fmt: skip
        login = json.loads(prepared.stdout.strip().splitlines()[-1])

        nodes = [_free_port(), _free_port()]
        for n, port in enumerate(nodes, 1):
            processes.start(
                f"node{n}",
                [PY, "-m", "gunicorn", "sanzhang.wsgi", "-w", str(NODE_WORKERS),
                 "--threads", str(NODE_THREADS), "-b", f"127.0.0.1:{port}", "--keep-alive", "75",
                 "--log-level", "warning", "--access-logfile", str(logs / f"node{n}-access.log"),
                 "--access-logformat", '%(t)s "%(r)s" %(s)s %(b)s %(M)sms'],
                env,
            )  # fmt: skip
        for n in range(1, RQ_WORKERS + 1):
            processes.start(
                f"worker{n}",
                [*manage, "rqworker", "--job-class", "django_tasks_rq.Job", "default"],
                env,
            )
        processes.start("scheduler", [*manage, "scheduler"], env)  # one is enough
        for n, port in enumerate(nodes, 1):
            _wait_port(port, f"node{n}")
        balancer = _free_port()
        _haproxy_config(work / "haproxy.cfg", balancer, nodes)

        def answered(port: int) -> None:
            deadline = time.monotonic() + 120  # a node still loading Django on a busy machine
            while (status := _status(port, "/accounts/login/")) != 200:
                processes.check_alive()
                if time.monotonic() > deadline:
                    raise SystemExit(f"http://127.0.0.1:{port}/accounts/login/ answered {status}")
                time.sleep(0.5)

        for port in nodes:  # before the balancer, so that its first checks find them up
            answered(port)
        processes.start("haproxy", [haproxy, "-f", str(work / "haproxy.cfg"), "-db"], env)
        _wait_port(balancer, "HAProxy")
        host = f"http://127.0.0.1:{balancer}"
        answered(balancer)
        processes.check_alive()

        print(
            f"load: 2 nodes ({NODE_WORKERS} workers x {NODE_THREADS} threads each) behind "
            f"HAProxy at {host}, {RQ_WORKERS} RQ workers, PostgreSQL {DB_NAME}, media on {s3}; "
            f"Locust: {options.users} users for {options.seconds} s",
            flush=True,
        )
        prefix = logs / "locust"
        locust_env = {
            **os.environ,
            "LOAD_OFFICE_CODES": ",".join(login["office_codes"]),
            "LOAD_COUNTY": login["county"],
        }
        started = time.perf_counter()
        locust = subprocess.Popen(
            [PY, "-m", "locust", "-f", str(ROOT / "bench/load/locustfile.py"), "--headless",
             "-u", str(options.users), "-r", str(options.spawn_rate),
             "-t", f"{options.seconds}s", "--host", host, "--csv", str(prefix),
             "--only-summary", "--stop-timeout", "30", "--exit-code-on-error", "1"],
            env=locust_env, cwd=ROOT, stdout=(logs / "locust.log").open("wb"),
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        pids = {name: process.pid for name, process in processes.started}
        meter = Meter(
            {
                "app nodes": [pids["node1"], pids["node2"]],
                "RQ workers and scheduler": [pids[f"worker{n}"] for n in range(1, RQ_WORKERS + 1)]
                + [pids["scheduler"]],
                "S3 (moto)": [pids["s3"]],
                "HAProxy": [pids["haproxy"]],
                "Locust": [locust.pid],
            },
            database,
        )
        meter.start()
        locust.wait()
        meter.done.set()
        meter.join()
        elapsed = time.perf_counter() - started
        seconds = min(elapsed, float(options.seconds))
        time.sleep(3)  # the last reports' notices and events, queued just now
        processes.check_alive()

        errors = _print_stats(_stats(prefix), seconds)
        finished, waiting, failed_jobs = _jobs(redis)
        served = {
            n: sum(1 for _ in (logs / f"node{n}-access.log").open()) for n in (1, 2)
        }  # fmt: skip
        print(
            f"\nnode1 served {served[1]} requests, node2 {served[2]}; background jobs done: "
            f"{finished}, failed: {failed_jobs}, still queued: {waiting}; objects in the media "
            f"bucket: {_bucket_objects(s3)}"
        )
        print(meter.report())
        failures = prefix.parent / f"{prefix.name}_failures.csv"
        if errors:
            print(failures.read_text(), file=sys.stderr)
        print(f"logs and Locust's CSV: {logs}")
        if errors or failed_jobs or locust.returncode:
            print(f"load: FAILED ({errors} request errors, {failed_jobs} failed jobs, "
                  f"locust exit {locust.returncode})", file=sys.stderr)  # fmt: skip
            return 1
        return 0
    finally:
        processes.stop_all()
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
