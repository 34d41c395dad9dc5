"""Schema-driven fuzzing (schemathesis) of the whole API, in-process through WSGI.

Every operation of the published schema (OPTIONS included: api/schema.py publishes
it) gets generated requests, valid and invalid, sent as bank A's complaint manager.
Checks: every check schemathesis has that applies to a single call (no server error,
status codes, content types, headers and bodies as documented, invalid data refused,
the Allow header of OPTIONS, authentication not ignored), and the same request with
bank B's token answers the JSON 404 on every object URL (nothing of bank A is
reachable from bank B). Bounded: a few examples per operation, about a minute.

The operations are driven by a plain loop rather than ``schemathesis.pytest``'s
lazy fixture loader, which does not run under pytest 9 (it sets ``node._nodeid``).
"""

from collections import Counter

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.config import SchemathesisConfig

from tests.complaints.helpers import complaint_in_state

STATES = ["registered", "assigned", "in_progress", "resolved", "answered"]
MAX_EXAMPLES = 20  # per operation, valid and invalid data mixed
# Checks that need a stateful run (links between operations): nothing to check here.
STATEFUL = {"use_after_free", "ensure_resource_availability"}


@pytest.fixture
def keep_test_connection():
    """The fuzzer calls the WSGI app directly, not through Django's test client, so
    Django's end-of-request housekeeping would close the test's database connection
    (it is inside the test transaction). Do what the test client does: detach it."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def world(county, intake, keep_test_connection):
    complaints = [
        complaint_in_state(county, intake(complainant_phone=f"1390000{i:04d}"), state)
        for i, state in enumerate(STATES)
    ]
    return {
        "token": Token.objects.create(user=county.a_manager).key,
        "other_token": Token.objects.create(user=county.b_manager).key,
        "complaint_ids": [c.pk for c in complaints],
        "institution_ids": [county.bank_a.pk, county.a_out1.pk, county.a_out2.pk],
    }


# Schema-valid data the API may still refuse, by rules no JSON Schema can state: a
# duplicate complaint, an ID number's check digit, an action the state or the caller's
# role does not allow, a stale version, a wrong password. Valid data must never get
# 405, 406, 413, 415 or a 5xx.
POSITIVE_STATUSES = ["2xx", "400", "401", "403", "404", "409", "412", "422", "429"]
# Invalid data may also be stopped before its body is read: a stale If-Match (412), a
# body over the upload limit (413).
NEGATIVE_STATUSES = ["400", "401", "403", "404", "405", "406", "409", "412", "413", "415"]
NEGATIVE_STATUSES += ["422", "428", "429"]
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {"expected-statuses": POSITIVE_STATUSES},
            "negative_data_rejection": {"expected-statuses": NEGATIVE_STATUSES},
        }
    }
)


def load_schema(world):
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json", WSGIHandler(), config=CONFIG
    )

    @schema.hook("before_generate_path_parameters")
    def mostly_real_ids(context, strategy):
        # Random ids are (correctly) 404: aim at bank A's real objects as well.
        if "{id}" not in context.operation.path:
            return strategy
        key = "complaint_ids" if "/complaints/" in context.operation.path else "institution_ids"
        real = {"id": st.sampled_from(world[key])}
        if "{attachment_pk}" in context.operation.path:  # a file of the complaint
            real["attachment_pk"] = st.integers(min_value=1, max_value=2**31)
        return st.one_of(st.fixed_dictionaries(real), strategy)

    return schema


def other_bank_gets_404(world):
    def check(ctx, response, case):
        """Bank B replays an object URL: the plain JSON 404, whatever bank A got.
        (Not OPTIONS: it describes the endpoint and reads no object, for any id.)"""
        if case.method.upper() == "OPTIONS":
            return None
        if (case.path_parameters or {}).get("id") not in world["complaint_ids"] + world[
            "institution_ids"
        ]:
            return None  # a random id: not found for anybody
        other = case.call(headers={"Authorization": f"Token {world['other_token']}"})
        assert other.status_code == 404, f"bank B got {other.status_code}: {other.text[:200]}"
        assert other.json()["code"] == "not_found"
        return None

    return check


def all_checks() -> list:
    load_all_checks()
    return [c for c in CHECKS.get_all() if c.__name__ not in STATEFUL]


@pytest.mark.slow
def test_api_survives_schema_driven_fuzzing(world):
    schema = load_schema(world)
    headers = {"Authorization": f"Token {world['token']}"}
    checks = [*all_checks(), other_bank_gets_404(world)]
    calls, statuses, failures = Counter(), Counter(), {}
    operations = [result.ok() for result in schema.get_all_operations()]

    for operation in operations:
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, hooks=schema.hooks),
            operation.as_strategy(GenerationMode.NEGATIVE, hooks=schema.hooks),
        )

        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case):
            response = case.call_and_validate(headers=headers, checks=checks)
            calls[case.operation.label] += 1
            statuses[response.status_code] += 1

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # collect: report every broken operation
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:2000]

    assert not failures, "\n\n".join(f"{op}\n{why}" for op, why in failures.items())
    assert set(calls) == {op.label for op in operations}  # every operation was exercised
    assert min(statuses[200], statuses[400], statuses[404]) > 0  # reached the objects
    print(f"schemathesis: {sum(calls.values())} calls over {len(calls)} operations; {statuses}")
