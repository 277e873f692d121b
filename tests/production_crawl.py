"""Crawl a running production-configured Tryggnav as every demo persona.

Used by `.ci/production-check` against gunicorn with DEBUG off, PostgreSQL and the
collected, hashed static files: the configuration `docs/deployment.md` describes.
It signs in as each demo user (and browses anonymously), follows the links of every
page it reaches (GET only, bounded per persona), fetches every static file a page
refers to, and exits 1 if any response is a server error or a static file is
missing. The requests carry `X-Forwarded-Proto: https`, as the TLS proxy in front
of gunicorn would, so the HTTPS settings stay on.

    python -m tests.production_crawl --base http://127.0.0.1:8765
"""

from __future__ import annotations

import argparse
import http.client
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

DEMO_PASSWORD = "tryggnav-demo"  # noqa: S105 - the demo's published password
LOGIN_PATH = "/konto/logga-in/"
SKIP_PATH_PARTS = ("logga-ut",)


class _Links(HTMLParser):
    """The links, static assets and the CSRF token of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.assets: list[str] = []
        self.csrf = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        elif tag == "script" and values.get("src"):
            self.assets.append(values["src"])
        elif tag == "link" and values.get("rel") in {"stylesheet", "icon"} and values.get("href"):
            self.assets.append(values["href"])
        elif tag == "input" and values.get("name") == "csrfmiddlewaretoken":
            self.csrf = values.get("value", "")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Session:
    """A minimal HTTP client that keeps cookies, including `Secure` ones."""

    host: str
    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(
        self, method: str, path: str, body: str = "", extra: dict | None = None
    ) -> Response:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        headers = {"X-Forwarded-Proto": "https", "Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers.update(extra or {})
        connection.request(method, path, body=body.encode(), headers=headers)
        raw = connection.getresponse()
        response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
        for name, value in raw.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response

    def login(self, email: str) -> None:
        form = _parse(self.request("GET", LOGIN_PATH).body)
        origin = f"https://{self.host}:{self.port}"
        body = "&".join(
            [f"csrfmiddlewaretoken={form.csrf}", f"username={email}", f"password={DEMO_PASSWORD}"]
        )
        response = self.request(
            "POST",
            LOGIN_PATH,
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}{LOGIN_PATH}",
            },
        )
        if response.status != 302:
            raise SystemExit(
                f"Inloggningen misslyckades / login failed for {email}: {response.status}"
            )


def _parse(body: bytes) -> _Links:
    parser = _Links()
    parser.feed(body.decode("utf-8", errors="replace"))
    return parser


@dataclass
class Report:
    pages: int = 0
    assets: int = 0
    server_errors: list[str] = field(default_factory=list)
    missing_assets: list[str] = field(default_factory=list)
    client_errors: list[str] = field(default_factory=list)


def _same_site_path(base_path: str, href: str) -> str | None:
    target = urldefrag(urljoin(f"https://site{base_path}", href))[0]
    parts = urlsplit(target)
    if parts.netloc != "site" or any(part in parts.path for part in SKIP_PATH_PARTS):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(session: Session, who: str, limit: int, report: Report, seen_assets: set[str]) -> None:
    """Breadth-first over the links reachable from the start page, GET only."""
    queue: deque[str] = deque(["/"])
    seen: set[str] = set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen:
            continue
        seen.add(path)
        response = session.request("GET", path)
        report.pages += 1
        if response.status >= 500:
            report.server_errors.append(f"{who} {path} → {response.status}")
        elif response.status >= 400:
            report.client_errors.append(f"{who} {path} → {response.status}")
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        page = _parse(response.body)
        for href in page.links:
            target = _same_site_path(path.split("?")[0], href)
            if target and target not in seen:
                queue.append(target)
        _check_assets(session, path, page.assets, report, seen_assets)


def _check_assets(
    session: Session, path: str, assets: list[str], report: Report, seen: set[str]
) -> None:
    for href in assets:
        target = _same_site_path(path.split("?")[0], href)
        if target is None or target in seen:
            continue
        seen.add(target)
        report.assets += 1
        status = session.request("GET", target).status
        if status != 200:
            report.missing_assets.append(f"{target} → {status} (på / on {path})")


def _personas() -> list[str]:
    # Django is set up only here: the crawl itself talks HTTP to the server.
    import django

    django.setup()
    from tryggnav.demo.foundation import USERS

    return [user.email for user in USERS]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--pages-per-persona", type=int, default=40)
    args = parser.parse_args()
    base = urlsplit(args.base)
    host, port = base.hostname or "127.0.0.1", base.port or 80
    report, started = Report(), time.monotonic()
    assets: set[str] = set()
    crawl(Session(host, port), "anonym", 10, report, assets)
    for email in _personas():
        session = Session(host, port)
        session.login(email)
        crawl(session, email, args.pages_per_persona, report, assets)
    return _print(report, time.monotonic() - started)


def _print(report: Report, seconds: float) -> int:
    print(
        f"{report.pages} sidor och {report.assets} statiska filer på {seconds:.0f} s: "
        f"{len(report.server_errors)} serverfel, {len(report.missing_assets)} saknade filer, "
        f"{len(report.client_errors)} svar 4xx / {report.pages} pages and {report.assets} "
        f"static files: {len(report.server_errors)} server errors"
    )
    for line in report.client_errors[:20]:
        print(f"  4xx: {line}")
    for line in report.server_errors + report.missing_assets:
        print(f"  FEL / ERROR: {line}")
    return 1 if report.server_errors or report.missing_assets else 0


if __name__ == "__main__":
    sys.exit(main())
