"""Request helpers without a domain."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address. Behind ``TRYGGNAV_PROXY_COUNT`` reverse proxies it is the
    address the outermost proxy saw, taken from the right of X-Forwarded-For: entries
    further left are whatever the client chose to send."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRYGGNAV_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) < proxies or not forwarded[-proxies]:
        return remote
    try:
        return str(ipaddress.ip_address(forwarded[-proxies]))
    except ValueError:
        return remote
