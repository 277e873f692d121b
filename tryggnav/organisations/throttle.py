"""Login throttling: every attempt is counted before its password is checked.

An attempt is counted against the account at the client's address (``pair``), the
address across all accounts (``address``) and the account across all addresses
(``account``); from a known device (a signed cookie set when its user logged in
there) only against that device (``device``), so a correct password from the
owner's own browser gets through whatever others do. Each counter allows some
attempts freely; then every further attempt waits a delay that doubles per attempt
up to a cap. A counter starts over after a quiet window. Attempts refused while
waiting are not counted, so an attacker lengthens only their own wait.

The counters of one attempt are locked (SELECT … FOR UPDATE on PostgreSQL; SQLite
takes the database write lock when the transaction begins) and checked and raised
in one transaction, so parallel attempts can never evaluate more than the limit.
"""

from __future__ import annotations

import ipaddress
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from tryggnav.organisations.models import LoginThrottle

ACCOUNT, ADDRESS, PAIR, DEVICE = "account", "address", "pair", "device"
KNOWN_DEVICE_COOKIE = "tryggnav_device"
_DEVICE_SALT = "tryggnav.organisations.known-device"
# Delays double per attempt; past this many doublings every delay is the cap.
_MAX_DOUBLINGS = 30


@dataclass
class Attempt:
    username: str
    address: str | None
    device: str | None = None
    refused: bool = False
    retry_after: int = 0
    # This attempt brought the account's own counters to their limit.
    at_limit: bool = False


def normalise(username: str) -> str:
    return username.strip().lower()[:254]


def _address_key(address: str | None) -> str | None:
    """An IPv6 client usually holds a whole /64, so that is what is counted."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _keys(attempt: Attempt) -> list[tuple[str, str]]:
    if attempt.device:
        return [(DEVICE, attempt.device)]
    address = _address_key(attempt.address)
    keys = [(ACCOUNT, attempt.username), (PAIR, f"{attempt.username} {address or '-'}")]
    if address:
        keys.append((ADDRESS, address))
    # One lock order for every attempt, so concurrent attempts cannot deadlock.
    return sorted(keys)


def _matching(keys: list[tuple[str, str]]) -> Q:
    match = Q(pk__in=[])
    for scope, key in keys:
        match |= Q(scope=scope, key=key)
    return match


def _free(scope: str) -> int:
    if scope == ACCOUNT:
        return settings.LOGIN_THROTTLE_ACCOUNT_ATTEMPTS
    if scope == ADDRESS:
        return settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS
    return settings.LOGIN_THROTTLE_ATTEMPTS


def _delay(row: LoginThrottle) -> timedelta:
    """The wait after the last attempt: none below the limit, then base, 2·base, 4·base, …
    up to the cap."""
    over = row.attempts - _free(row.scope)
    if over < 0:
        return timedelta(0)
    cap = settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS
    base = settings.LOGIN_THROTTLE_DELAY_SECONDS * 2 ** min(over, _MAX_DOUBLINGS)
    return timedelta(seconds=min(cap, base))


def _start_over(row: LoginThrottle, now: datetime) -> None:
    quiet = now - row.last_attempt
    window = timedelta(seconds=settings.LOGIN_THROTTLE_WINDOW_SECONDS)
    if quiet >= _delay(row) + window:
        row.attempts = 0
    # The owner's episode lasts while some address may still wait the longest delay,
    # so a slow attack at the capped delay is one episode, told once.
    if quiet >= window + timedelta(seconds=settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS):
        row.notified = False


def _count(attempt: Attempt, rows: list[LoginThrottle], now: datetime) -> None:
    for row in rows:
        _start_over(row, now)
    wait = max(row.last_attempt + _delay(row) - now for row in rows)
    if wait > timedelta(0):
        attempt.refused = True
        attempt.retry_after = math.ceil(wait.total_seconds())
        return
    for row in rows:
        row.attempts += 1
        row.last_attempt = now
        row.save(update_fields=["attempts", "last_attempt", "notified"])
        if row.scope in (ACCOUNT, PAIR) and row.attempts >= _free(row.scope):
            attempt.at_limit = True


def attempt_count(*, username: str, address: str | None, device: str | None) -> Attempt:
    """Count one login attempt before its password is checked, or refuse it (``refused``,
    with ``retry_after`` seconds) while one of its counters waits."""
    attempt = Attempt(username=normalise(username), address=address, device=device)
    keys = _keys(attempt)
    # A counter deleted (by a successful login) between creating and locking it is
    # created again on the next round.
    for _round in range(5):
        LoginThrottle.objects.bulk_create(
            [
                LoginThrottle(scope=scope, key=key, last_attempt=timezone.now())
                for scope, key in keys
            ],
            ignore_conflicts=True,
        )
        with transaction.atomic():
            rows = list(
                LoginThrottle.objects.select_for_update()
                .filter(_matching(keys))
                .order_by("scope", "key")
            )
            # The time is taken under the lock: an attempt that waited for another one
            # must not look older than it, or it would seem to arrive before the other
            # attempt's last_attempt and be refused within its free attempts.
            now = timezone.now()
            if len(rows) == len(keys):
                _count(attempt, rows, now)
                return attempt
    raise RuntimeError("Login throttle counters keep disappearing.")


def prune() -> None:
    """Counters untouched for a day have started over anyway; keep the table small."""
    idle = settings.LOGIN_THROTTLE_WINDOW_SECONDS + settings.LOGIN_THROTTLE_MAX_DELAY_SECONDS
    horizon = timezone.now() - timedelta(days=1, seconds=idle)
    LoginThrottle.objects.filter(last_attempt__lt=horizon).delete()


def attempt_succeeded(attempt: Attempt) -> None:
    """The password was right: the account starts over, and the address gets its attempt
    back (an office where many log in is not slowed by their successes)."""
    forget = [(ACCOUNT, attempt.username), (DEVICE, attempt.device or "")]
    address = _address_key(attempt.address)
    if not attempt.device:
        forget.append((PAIR, f"{attempt.username} {address or '-'}"))
        if address:
            LoginThrottle.objects.filter(scope=ADDRESS, key=address, attempts__gt=0).update(
                attempts=F("attempts") - 1
            )
    LoginThrottle.objects.filter(_matching(forget)).delete()


def account_forget(*, username: str) -> None:
    """The owner proved they hold the account (a new password): its counters start over."""
    username = normalise(username)
    LoginThrottle.objects.filter(
        Q(scope=ACCOUNT, key=username) | Q(scope=PAIR, key__startswith=f"{username} ")
    ).delete()


def owner_notify_once(*, username: str) -> bool:
    """True once per throttle episode of the account: whether to tell its owner now."""
    marked = LoginThrottle.objects.filter(
        scope=ACCOUNT, key=normalise(username), notified=False
    ).update(notified=True)
    return marked == 1


def known_device(request: HttpRequest, username: str) -> str | None:
    """The device id from a valid known-device cookie of the user logging in, or None."""
    value = request.COOKIES.get(KNOWN_DEVICE_COOKIE)
    if not value:
        return None
    try:
        data: Any = signing.loads(
            value, salt=_DEVICE_SALT, max_age=timedelta(days=settings.LOGIN_KNOWN_DEVICE_DAYS)
        )
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, device = data.get("u"), data.get("d")
    if not isinstance(user_id, int) or not isinstance(device, str):
        return None
    users = get_user_model().objects.filter(
        pk=user_id, email__iexact=username.strip(), is_active=True
    )
    return device if users.exists() else None


def remember_device(response: HttpResponse, *, user: Any, device: str | None) -> None:
    """Mark this browser as a known device of ``user`` (keeping its id if it had one)."""
    value = signing.dumps(
        {"u": user.pk, "d": device or secrets.token_urlsafe(16)}, salt=_DEVICE_SALT
    )
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        value,
        max_age=settings.LOGIN_KNOWN_DEVICE_DAYS * 24 * 3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
