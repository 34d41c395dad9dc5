"""Test profile: fast hashing, in-memory e-mail, tasks run through the real code paths."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DEBUG = False
AXES_VERBOSE = False
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise warns when it is missing

# Without REDIS_URL the tests keep queued tasks in memory instead of writing them into
# var/celery, where a `make run` worker on the same checkout would pick them up.
if not REDIS_URL:
    CELERY_BROKER_URL = "memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
