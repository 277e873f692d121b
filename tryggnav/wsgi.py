import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tryggnav.settings")
application = get_wsgi_application()


def _load_code() -> None:
    """Import the URLconf, and with it every view and the statistics they use, as the
    worker starts (once, with gunicorn's ``--preload``) instead of in its first request:
    numpy and scipy (``scipy.signal`` alone about a second) took 4–8 s of the first
    lägesbild a worker served."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - loading is the point


_load_code()
