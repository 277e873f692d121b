"""PostgreSQL connections run without JIT compilation (issue 16): the planner turned it
on for scans of the large incidents table, and compiling took 1.7 s of a 5 s map query."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_do_not_jit_compile():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
