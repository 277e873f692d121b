#!/usr/bin/env python
"""Same as the `tryggnav` console script, for those who expect manage.py."""

from tryggnav.__main__ import main

if __name__ == "__main__":
    main()
