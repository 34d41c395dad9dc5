"""What ``OPTIONS`` answers under /api/ (REST_FRAMEWORK["DEFAULT_METADATA_CLASS"]).

DRF's ``SimpleMetadata`` describes the POST body with the view's
``get_serializer()``, which asserts when a view has no ``serializer_class`` (the
transition views validate with the browser's forms, not a serializer): every
``OPTIONS`` on them was a 500. Here the POST body is described by the view's
``input_serializer_class`` (the request body published in the schema; None for a
POST without a body) when it declares one, by its ``serializer_class`` otherwise, and
left out when it has neither.
OPTIONS reads nothing of the complaint: it answers the same for any id.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.metadata import SimpleMetadata
from rest_framework.request import clone_request


class ApiMetadata(SimpleMetadata):
    def determine_actions(self, request, view) -> dict:
        if hasattr(view, "input_serializer_class"):  # None: POST takes no body
            serializer_class = view.input_serializer_class
        else:
            serializer_class = getattr(view, "serializer_class", None)
        if serializer_class is None:
            return {}
        actions = {}
        for method in {"PUT", "POST"} & set(view.allowed_methods):
            view.request = clone_request(request, method)
            try:
                view.check_permissions(view.request)
            except (exceptions.APIException, PermissionDenied, Http404):
                continue
            finally:
                view.request = request
            actions[method] = self.get_serializer_info(serializer_class())
        return actions
