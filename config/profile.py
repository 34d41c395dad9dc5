"""Which settings profile a process runs when DJANGO_SETTINGS_MODULE is not set.

``DJANGO_ENV=production`` selects ``config.settings.production``; anything else the
developer profile ``config.settings.local``. manage.py, the WSGI and ASGI applications
and the Celery app all ask here, so gunicorn, the worker and beat run the same profile
as the management commands (before, only manage.py read DJANGO_ENV and the servers
silently ran the developer profile with DEBUG on).
"""

import os


def use_default_settings() -> None:
    """Set DJANGO_SETTINGS_MODULE from DJANGO_ENV unless it is already set."""
    profile = "production" if os.environ.get("DJANGO_ENV") == "production" else "local"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", f"config.settings.{profile}")
