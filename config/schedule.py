"""Periodic tasks, declared in code and installed by `manage.py setup_schedule` into
django-celery-beat, where administrators may change them afterwards (the command
never overwrites an existing entry's timing)."""

# (name shown in the admin, task path, interval in seconds)
PERIODIC_TASKS: list[tuple[str, str, int]] = []
