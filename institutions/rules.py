"""Imported by django-rules' autodiscovery at start-up: registers every permission
declared in the access-policy package."""

import importlib
import pkgutil

from . import access

for _module in pkgutil.iter_modules(access.__path__):
    importlib.import_module(f"{access.__name__}.{_module.name}")
