"""The `tryggnav` console script: Django's manage.py for this project."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tryggnav.settings")
    # Django is imported once DJANGO_SETTINGS_MODULE is set above.
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        # Read the settings first: a configuration error is one sentence, no traceback.
        settings.INSTALLED_APPS  # noqa: B018 - the access loads the settings
    except ImproperlyConfigured as error:
        print(f"tryggnav: {error}", file=sys.stderr)
        sys.exit(2)
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
