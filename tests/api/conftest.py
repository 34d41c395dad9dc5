"""API test fixtures: token-authenticated clients for the county's users.

The complaint fixtures (taxonomy, categories, calendar, intake) are the ones the
complaints tests use, so both doors are exercised with the same data."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.complaints.conftest import calendar, categories, intake, taxonomy  # noqa: F401


@pytest.fixture
def api(db):
    """``api(user)``: a JSON client sending ``Authorization: Token …`` for ``user``."""

    def _client(user=None) -> APIClient:
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _client


VALID_ID = "110101199003074573"  # passes the GB 11643 check the intake form applies


@pytest.fixture
def intake_json(intake):  # noqa: F811 - the fixture imported above
    """The intake payload as a JSON body for POST /api/v1/complaints/."""

    def _body(**overrides) -> dict:
        data = intake(id_number=VALID_ID, **overrides)
        return {k: getattr(v, "pk", v) for k, v in data.items() if v is not None}

    return _body
