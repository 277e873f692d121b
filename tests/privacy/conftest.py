from tests.incidents.conftest import categories  # noqa: F401  (the fixture, shared)
