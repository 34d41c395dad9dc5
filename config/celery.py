"""The Celery application.

Broker and schedule come from settings (``CELERY_*``); see ``config/settings/base.py``
for why the default broker is kombu's filesystem transport.
"""

from celery import Celery

from config.profile import use_default_settings

use_default_settings()

app = Celery("complaints_system")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
