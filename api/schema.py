"""Post-processing of the published OpenAPI schema (drf-spectacular's
POSTPROCESSING_HOOKS): what every operation can answer whatever its view says.

* ``OPTIONS`` is published for every path: clients (and schemathesis, which tests only
  what the schema lists) see it, with the metadata body ``api.metadata`` answers.
* Every operation that takes a JSON body can answer 400 (bad JSON, wrong types),
  413 (body over the upload limit) and 415 (not JSON); every operation behind
  authentication can answer 401; every path with ``{id}`` can answer 404 for an id
  that is not a number (the route does not match), and every paginated list 404 for
  a page past the end.
* An optional query parameter may be sent empty (``?page=``): Django and django-filter
  read it as not given, and the schema says so (``allowEmptyValue``).
"""

from __future__ import annotations

from .views.base import ERROR_TEXT

METHODS = ("get", "put", "post", "patch", "delete")

METADATA = {
    "type": "object",
    "description": "What OPTIONS answers (api.metadata.ApiMetadata).",
    "properties": {
        "name": {"type": "string"},
        "description": {"type": "string"},
        "renders": {"type": "array", "items": {"type": "string"}},
        "parses": {"type": "array", "items": {"type": "string"}},
        "actions": {
            "type": "object",
            "description": "POST: the request body's fields, for a caller allowed to send it",
            "additionalProperties": {"type": "object"},
        },
    },
    "required": ["name", "description", "renders", "parses"],
}
ERROR_REF = {"$ref": "#/components/schemas/Error"}
METADATA_REF = {"$ref": "#/components/schemas/Metadata"}


def _error(status: int) -> dict:
    return {
        "content": {"application/json": {"schema": ERROR_REF}},
        "description": ERROR_TEXT[status],
    }


def _add_errors(operation: dict, *statuses: int) -> None:
    for status in statuses:
        operation["responses"].setdefault(str(status), _error(status))


def _options(path: str, operations: dict) -> dict:
    first = next(operations[m] for m in METHODS if m in operations)
    params = [p for p in first.get("parameters", []) if p.get("in") == "path"]
    op = {
        "operationId": f"{first['operationId']}_options",
        "summary": "OPTIONS",
        "description": "The endpoint's name, media types and, for POST, its request body.",
        "tags": first.get("tags", []),
        "responses": {
            "200": {
                "content": {
                    "application/json": {"schema": {"$ref": "#/components/schemas/Metadata"}}
                },
                "description": "",
            }
        },
    }
    if params:
        op["parameters"] = params
    if "security" in first:
        op["security"] = first["security"]
    return op


def postprocess(result: dict, generator, request, public) -> dict:
    result.setdefault("components", {}).setdefault("schemas", {})["Metadata"] = METADATA
    for path, operations in result.get("paths", {}).items():
        operations["options"] = _options(path, operations)
        for method, op in operations.items():
            if method not in (*METHODS, "options"):
                continue
            authenticated = {} not in op.get("security", [{}])
            if authenticated:
                _add_errors(op, 401)
            query = set()
            for param in op.get("parameters", []):
                if param.get("in") == "query":
                    query.add(param["name"])
                    # ?page=&unread= is "not given", as Django reads an empty value.
                    param.setdefault("allowEmptyValue", not param.get("required", False))
            if "{id}" in path or "page" in query:  # a page past the end is 404 too
                _add_errors(op, 404)
            if "requestBody" in op:
                _add_errors(op, 400, 413, 415)
    return result
