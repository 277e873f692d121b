"""Load benchmark: N concurrent users against gunicorn on 127.0.0.1 for T seconds.

Run: ``.venv/bin/python bench/bench_load.py [--database-url URL] [--users 50] [--seconds 60]``

Uses the data of ``bench_lagesbild.py`` (its group and coordinator; the incidents are
generated when missing). Starts gunicorn with the production settings (DEBUG off, a
random SECRET_KEY shared with the signed-in session it makes; static files served without the hashed manifest), signs the bench
coordinator in, and lets ``--users`` threads request the group's lägesbild, the
incident list, the incident map's GeoJSON and the API list in turn until the time is
up. Traffic goes to the loopback address only; the run stops by itself. The load
generator shares the machine with the server, as the target says. gunicorn runs as
``docs/deployment.md`` says (sync workers, 2 × cores + 1, ``--workers``/``--threads``
to compare) without keep-alive, as behind its nginx, which opens a connection to
gunicorn per request.

Prints p50, p95 and the error count, and exits 1 when p95 is over the target
(1 s) or any request failed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import tryggnav  # noqa: E402, F401, I001 - limits BLAS threads before numpy loads
import bench_lagesbild as base  # noqa: E402

TARGET_P95_S = 1.0
HOST = "127.0.0.1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _server_env(database_url: str, secret_key: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRYGGNAV_")}
    env.update(
        {
            "DEBUG": "0",
            # The key the session below is signed with.
            "SECRET_KEY": secret_key,
            "DATABASE_URL": database_url,
            "ALLOWED_HOSTS": HOST,
            "TRYGGNAV_HTTPS": "0",
            "TRYGGNAV_MANIFEST_STATIC": "0",
            "DJANGO_SETTINGS_MODULE": "tryggnav.settings",
        }
    )
    return env


def _start_server(
    database_url: str, port: int, workers: tuple[int, int], secret_key: str
) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "tryggnav.wsgi:application", "--bind", f"{HOST}:{port}"]
        + ["--workers", str(workers[0]), "--threads", str(workers[1]), "--timeout", "120"]
        + ["--keep-alive", "0", "--log-level", "warning"],
        cwd=HERE.parent,
        env=_server_env(database_url, secret_key),
    )
    for _ in range(120):
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/halsa/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def _session_cookie(user) -> str:
    """A signed-in session for the bench coordinator, written to the database."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.seconds: list[float] = []
        self.errors: list[str] = []
        self.by_path: dict[str, list[float]] = {}

    def add(self, seconds: float, error: str | None, path: str = "") -> None:
        with self.lock:
            self.seconds.append(seconds)
            self.by_path.setdefault(path, []).append(seconds)
            if error:
                self.errors.append(error)


def _user(
    port: int, requests: list[tuple[str, dict[str, str]]], until: float, out: Results, offset: int
) -> None:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    i = offset
    while time.monotonic() < until:
        path, headers = requests[i % len(requests)]
        i += 1
        start = time.monotonic()
        error = None
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:  # a redirect to the login page is a failure too
                error = f"{path} → {response.status}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{path} → {type(exc).__name__}"
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=60)
        out.add(time.monotonic() - start, error, path)
    connection.close()


def _requests(group_slug: str, cookie: str, token: str) -> list[tuple[str, dict[str, str]]]:
    page = {"Cookie": cookie}
    api = {"Authorization": f"Bearer {token}"}
    return [
        (f"/lagesbild/{group_slug}/", page),
        ("/handelser/", page),
        ("/handelser/karta.geojson", page),
        ("/api/v1/incidents", api),
    ]


def _percentiles(seconds: list[float]) -> tuple[float, float]:
    times = sorted(seconds)
    if not times:
        return float("nan"), float("nan")
    return statistics.median(times), times[int(0.95 * (len(times) - 1))]


def _report(out: Results, users: int, seconds: float) -> int:
    times = out.seconds
    p50, p95 = _percentiles(times)
    for path, taken in sorted(out.by_path.items()):
        each50, each95 = _percentiles(taken)
        print(f"  {path}: {len(taken)} requests, p50 {each50:.3f} s, p95 {each95:.3f} s")
    print(
        f"{users} users for {seconds:.0f} s: {len(times)} requests "
        f"({len(times) / seconds:.1f}/s), p50 {p50:.3f} s, p95 {p95:.3f} s "
        f"(target <= {TARGET_P95_S} s), errors {len(out.errors)}",
        flush=True,
    )
    for line in sorted(set(out.errors))[:10]:
        print(f"  error: {line}")
    return 0 if times and p95 <= TARGET_P95_S and not out.errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{base.ROOT / 'var' / 'bench_lagesbild.sqlite3'}"
    )
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    # As docs/deployment.md runs it: sync workers (one request each), 2 × cores + 1.
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=0, help="loopback port (0: any free one)")
    args = parser.parse_args()
    args.seconds = min(args.seconds, 600.0)  # bounded in time whatever is asked
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(64)  # before the settings load
    base.setup_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command

    from tryggnav.organisations.models import ApiToken

    base.prepare(args.incidents, False)
    group, _partner, user = base.world()
    call_command("createcachetable", verbosity=0)
    cookie = _session_cookie(user)
    _token, key = ApiToken.issue(user=user, name="load")
    port = args.port or _free_port()
    server = _start_server(
        args.database_url, port, (args.workers, args.threads), settings.SECRET_KEY
    )
    try:
        out = Results()
        requests = _requests(group.slug, cookie, key)
        for path, headers in requests:  # warm each worker's caches once
            _user(port, [(path, headers)], time.monotonic() + 0.1, Results(), 0)
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=_user, args=(port, requests, until, out, i))
            for i in range(args.users)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=args.seconds + 120)
        print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        return _report(out, args.users, args.seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
