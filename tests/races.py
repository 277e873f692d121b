"""Races on PostgreSQL: several requests started at once, each on its own connection.

A race test asks for ``pg_race`` (tests/conftest.py) FIRST and then ``transactional_db`` (before ``world``):
the threads must see committed data, so the test cannot run inside the usual
rolled-back transaction. The transactional test empties every table when it ends;
``pg_race`` then puts back the reference data other tests rely on (geography, the
default categories). On SQLite the race tests are skipped: SQLite has no row locks
and serialises all writes, so there is no race to show; the sequential tests next to
them check the same messages on SQLite.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections

from tryggnav.incidents import counts as rollup

TIMEOUT_S = 60


def race(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start together (a barrier); each thread has its
    own database connection. Returns each call's result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=TIMEOUT_S)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - handed back to the test to assert on
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert not any(t.is_alive() for t in threads), "a racing request did not finish"
    return results


def assert_rollup_consistent() -> None:
    """The weekly counts equal a full recount from the incidents."""
    assert rollup.snapshot() == rollup.recount()
