"""The published OpenAPI schema: valid, documented offline, and enough on its own for a
script to register and answer a complaint."""

import re

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from complaints.forms import ACTION_FORMS, FILE_ACTIONS, IntakeForm
from complaints.models import Complaint

from .conftest import VALID_ID


def test_schema_validates_without_warnings(tmp_path):
    # Raises (SchemaGenerationError / validation error) on any warning or invalid schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "s.yml"))
    assert "complaints_transition_answer" in (tmp_path / "s.yml").read_text()


def test_docs_page_uses_only_local_assets(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    # favicon, css, bundle, preset from the sidecar; our css; the set-up script
    assert len(assets) == 6
    for url in assets[:-1]:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert assets[-1] == "/api/docs/?script="
    script = client.get(assets[-1])
    assert script["Content-Type"] == "application/javascript"
    assert "SwaggerUIBundle" in script.content.decode()
    assert not re.search(r"https?://", html)
    assert "<style" not in html
    assert not re.search(r"<script>", html)  # no inline script: the CSP refuses it


def test_request_bodies_describe_the_browser_forms(client):
    spec = client.get("/api/schema/?format=json").json()
    components = spec["components"]["schemas"]
    for name, form_class in [("ComplaintCreateRequest", IntakeForm)] + [
        (f"{''.join(p.title() for p in a.split('_'))}TransitionRequest", f)
        for a, f in ACTION_FORMS.items()
        if a not in FILE_ACTIONS  # multipart: complaints_attachments_create
    ]:
        schema = components[name]
        assert list(schema["properties"]) == list(form_class.base_fields), name
        required = {n for n, f in form_class.base_fields.items() if f.required} - {"version"}
        assert set(schema.get("required", [])) == required, name


# --- a client that knows nothing but the schema ---------------------------------------


def _nullable(schema):
    """OpenAPI 3.0 ``nullable`` as JSON Schema, so jsonschema can check responses."""
    if isinstance(schema, list):
        return [_nullable(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {k: _nullable(v) for k, v in schema.items()}
    if schema.pop("nullable", False):
        return {"anyOf": [schema, {"type": "null"}]}
    return schema


class SchemaClient:
    """Calls operations by operationId and checks bodies both ways against the schema."""

    def __init__(self, spec: dict, token: str = ""):
        self.spec = _nullable(spec)
        self.ops = {
            op["operationId"]: (method, path, op)
            for path, item in spec["paths"].items()
            for method, op in item.items()
        }
        self.http = APIClient()
        if token:
            self.http.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    def as_user(self, username: str, password: str) -> "SchemaClient":
        token = self.call("auth_token_create", body={"username": username, "password": password})
        return SchemaClient(self.spec, token.json()["token"])

    def _check(self, instance, schema):
        jsonschema.Draft4Validator({**schema, "components": self.spec["components"]}).validate(
            instance
        )

    def request_schema(self, op_id: str) -> dict:
        return self.ops[op_id][2]["requestBody"]["content"]["application/json"]["schema"]

    def call(self, op_id: str, *, body=None, query=None, headers=None, **path_params):
        method, path, op = self.ops[op_id]
        if body is not None:
            self._check(body, self.request_schema(op_id))
        url = re.sub(r"{(\w+)}", lambda m: str(path_params[m[1]]), path)
        response = getattr(self.http, method)(
            url,
            body if body is not None else query,
            format="json" if body is not None else None,
            headers=headers or {},
        )
        documented = op["responses"][str(response.status_code)]
        self._check(response.json(), documented["content"]["application/json"]["schema"])
        return response


def test_a_script_with_only_the_schema_registers_and_answers_a_complaint(
    county, categories, calendar
):
    spec = APIClient().get("/api/schema/?format=json").json()
    anonymous = SchemaClient(spec)
    teller = anonymous.as_user("a_tel", "pw-Secret-123")
    manager = anonymous.as_user("a_mgr", "pw-Secret-123")
    handler = anonymous.as_user("a1_hdl", "pw-Secret-123")

    # Reference data, through the schema's operations.
    categories = {c["name"]: c["id"] for c in teller.call("categories_list").json()}
    outlet = next(
        i for i in teller.call("institutions_list").json()["results"] if i["code"] == "A-OUT1"
    )
    body = {
        "intake_source": "phone",
        "kind": "complaint",
        "complainant_name": "王五",
        "complainant_phone": "13800001234",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "answer_preference": "phone",
        "description": "ATM 吞卡后网点未及时处理",
        "demand": "尽快退还银行卡",
        "complained_institution": outlet["id"],
        "category": categories["工作失误"],
    }
    created = teller.call("complaints_create", body=body)
    assert created.status_code == 201
    pk, etag = created.json()["id"], created["ETag"]

    handlers = manager.call("institutions_handlers", id=outlet["id"]).json()["results"]
    steps = [
        (manager, "assign", {"institution": outlet["id"], "handler": handlers[0]["id"]}),
        (handler, "start", {}),
        (
            handler,
            "resolve",
            {
                "findings": "监控显示吞卡属实",
                "is_valid": True,
                "measures": "当日退卡并致歉",
                "money_recovered": "0",
            },
        ),
        (handler, "answer", {"method": "phone", "satisfaction": "satisfied"}),
    ]
    for who, action, fields in steps:
        offered = [t["operation_id"] for t in who.call("complaints_transitions_list", id=pk).json()]
        op_id = f"complaints_transition_{action}"
        assert op_id in offered
        response = who.call(op_id, id=pk, body=fields, headers={"If-Match": etag})
        assert response.status_code == 200, response.json()
        etag = response["ETag"]

    final = teller.call("complaints_retrieve", id=pk).json()
    assert (final["status"], final["satisfaction"], final["version"]) == (
        "answered",
        "satisfied",
        5,
    )
    timeline = teller.call("complaints_timeline", id=pk).json()["results"]
    assert [e["action"] for e in timeline] == ["register", "assign", "start", "resolve", "answer"]
    assert Complaint.objects.get(pk=pk).answered_at is not None


@pytest.mark.parametrize("op_id", ["complaints_list", "complaints_retrieve"])
def test_error_bodies_match_the_schema(county, op_id):
    spec = APIClient().get("/api/schema/?format=json").json()
    response = SchemaClient(spec).call(op_id, id=1)  # anonymous: documented 401
    assert response.status_code == 401
