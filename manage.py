#!/usr/bin/env python
import sys


def main() -> None:
    # DJANGO_ENV=production selects the production profile without a second entry point
    # (the same choice as the WSGI/ASGI applications and the Celery app make).
    from config.profile import use_default_settings

    use_default_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
