"""The Celery application.

Broker and schedule come from settings (``CELERY_*``); see ``config/settings/base.py``
for why the default broker is kombu's filesystem transport.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("complaints_system")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
