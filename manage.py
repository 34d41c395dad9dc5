#!/usr/bin/env python
import os
import sys


def main() -> None:
    # DJANGO_ENV=production selects the production profile without a second entry point.
    profile = "production" if os.environ.get("DJANGO_ENV") == "production" else "local"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"config.settings.{profile}")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
