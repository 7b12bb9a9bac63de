"""Schemathesis against the service's own OpenAPI schema, over a live loopback server.

For every operation, generated requests (valid ones, and for the POST routes
invalid ones too: wrong types, missing fields, odd strings) must never get a
server error, and every answer must be one the schema documents: its status
code, content type and body shape (the error envelope included).
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
from service_helpers import LiveServer

pytestmark = pytest.mark.slow  # schemathesis: minutes

TOKEN = "schema-token"
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(tiny_model, tmp_path_factory):
    db = tmp_path_factory.mktemp("schema") / "feedback.db"
    app = create_app(Settings(feedback_db=str(db), api_token=TOKEN, model=str(tiny_model)))
    with LiveServer(app) as url:
        yield schemathesis.openapi.from_url(f"{url}/openapi.json")


OPERATIONS = [
    ("POST", "/v1/analyze"), ("POST", "/v1/analyze/batch"), ("POST", "/v1/classify"), ("POST", "/v1/feedback"),
    ("GET", "/v1/model"), ("POST", "/v1/model/reload"), ("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"),
]


def test_every_operation_is_fuzzed(api_schema):
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize("method, path", OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_server_errors_and_answers_match_the_schema(api_schema, method, path):
    operation = api_schema[path][method]
    modes = [GenerationMode.POSITIVE] + ([GenerationMode.NEGATIVE] if method == "POST" else [])

    @given(case=st.one_of([operation.as_strategy(mode) for mode in modes]))
    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def fuzz(case):
        case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN}"}, checks=CHECKS)

    fuzz()
