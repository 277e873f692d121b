"""Start-up recovery: what a worker (and ``run_scheduled``) sets right before new work.

An app whose tasks can be cut off by a restart registers a function here from its
``AppConfig.ready()``; it returns one line per thing it set right. The background app
knows nothing of the apps (the incidents register their interrupted imports).
"""

from __future__ import annotations

from collections.abc import Callable

Recoverer = Callable[[], list[str]]
_RECOVERERS: list[Recoverer] = []


def register(recoverer: Recoverer) -> None:
    if recoverer not in _RECOVERERS:
        _RECOVERERS.append(recoverer)


def recover_all() -> list[str]:
    """Run every registered recovery; the lines they report."""
    return [line for recoverer in _RECOVERERS for line in recoverer()]
