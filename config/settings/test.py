"""Test profile: fast hashing, in-memory e-mail, tasks run through the real code paths."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "notifications.sms.backends.locmem.SmsBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "complaints.attachments.PrivateStorage"},
}
DEBUG = False
AXES_VERBOSE = False
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing

# Without REDIS_URL the tests keep queued tasks in memory instead of writing them into
# var/celery, where a `make run` worker on the same checkout would pick them up.
if not REDIS_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}

# A "replica" alias that mirrors the test database, so a test can show which queries
# the read-replica router sends there (tests/config/test_routers.py); the router stays
# off unless a test turns it on, so every other test reads and writes "default" only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = []

# Evidence files written by the tests go to a temporary directory, not var/private.
import tempfile  # noqa: E402

PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="complaints-private-"))
