"""Schemathesis against the service's own OpenAPI schema, over a live loopback server.

For every operation, generated requests (valid ones, and for the POST routes
invalid ones too: wrong types, missing fields, odd strings) must never get a
server error, and every answer must be one the schema documents: its status
code, content type and body shape (the error envelope included). The hostile
cases of issue 18 (offsets past any integer SQLite holds, an empty reload
path, the wrong Content-Type, admin without a token) go through the same checks.
"""
from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_schema_conformance, status_code_conformance,
)

from service.app import create_app
from service.settings import Settings
from tests.service_helpers import LiveServer

pytestmark = pytest.mark.slow  # schemathesis: minutes

TOKEN = "schema-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _schema_of(model, db, token: str | None):
    app = create_app(Settings(feedback_db=str(db), api_token=token, model=str(model)))
    with LiveServer(app) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json")


@pytest.fixture(scope="module")
def api_schema(tiny_model, tmp_path_factory):
    yield from _schema_of(tiny_model, tmp_path_factory.mktemp("schema") / "feedback.db", TOKEN)


@pytest.fixture(scope="module")
def open_schema(tiny_model, tmp_path_factory):
    """The same service without an API token (the default)."""
    yield from _schema_of(tiny_model, tmp_path_factory.mktemp("open") / "feedback.db", None)


OPERATIONS = [
    ("POST", "/v1/analyze"), ("POST", "/v1/analyze/batch"), ("POST", "/v1/classify"), ("POST", "/v1/feedback"),
    ("GET", "/v1/model"), ("POST", "/v1/model/reload"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
]


def test_every_operation_is_fuzzed(api_schema):
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_errors_and_answers_match_the_schema(api_schema, method, path):
    operation = api_schema[path][method]
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if method == "POST" else [])

    @given(case=st.one_of([operation.as_strategy(mode) for mode in modes]))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

    fuzz()


FEEDBACK = {"text": "It is Poland's fault", "frame": "blame", "target": "Poland", "stance": "against"}
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON_AS_TEXT = ("text/plain", '{"text": "“We will stay,” the mayor said."}')
# (method, path, body, media type, headers, the documented answer): issue 18's hostile inputs.
HOSTILE = [
    ("POST", "/v1/feedback", {"quotes": [dict(FEEDBACK, start=9223372036854775808)]}, None, AUTH, 422),
    ("POST", "/v1/feedback", {"quotes": [dict(FEEDBACK, end=-1)]}, None, AUTH, 422),
    ("POST", "/v1/model/reload", {"model": ""}, None, AUTH, 422),
    ("POST", "/v1/model/reload", {"model": "/no/such/folder"}, None, AUTH, 422),
    ("POST", "/v1/model/reload", {"model": "models/other"}, None, {}, 401),
    ("POST", "/v1/analyze", JSON_AS_TEXT[1], JSON_AS_TEXT[0], {}, 415),
    ("POST", "/v1/feedback", '{"quotes": []}', "text/plain", AUTH, 415),
    ("POST", "/v1/model/reload", "{}", "application/x-www-form-urlencoded", AUTH, 415),
]


@pytest.mark.slow
@pytest.mark.parametrize("method, path, body, media_type, headers, status", HOSTILE,
                         ids=[f"{m} {p} {s}" for m, p, _, _, _, s in HOSTILE])
def test_hostile_cases_get_their_documented_4xx(api_schema, method, path, body, media_type, headers, status):
    case = api_schema[path][method].Case(body=body, media_type=media_type, headers=headers)
    response = case.call_and_validate(checks=CHECKS)
    assert response.status_code == status, response.text


@pytest.mark.slow
def test_admin_without_a_configured_token_is_a_documented_403(open_schema):
    operation = open_schema["/v1/model/reload"]["POST"]
    for headers in ({}, {"Authorization": "Bearer guess"}):
        response = operation.Case(body={"model": "models/other"}, headers=headers).call_and_validate(checks=CHECKS)
        assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
