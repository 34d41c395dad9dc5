"""Imported by django-rules' autodiscovery at start-up (as is each app's ``rules``
module): registers the permissions of the core scope in ``institutions.access``."""

from . import access  # noqa: F401 - registers the predicates declared there
