"""Every error, from DRF or not, comes back in the one shape with a stable code."""

import json

import pytest
from django.test import RequestFactory

from core.api.errors import server_error
from tests.factories import UserFactory


def only_error(response):
    body = response.json()
    assert len(body["errors"]) == 1, body
    return body["type"], body["errors"][0]


@pytest.mark.django_db
def test_unknown_api_path_is_a_json_404(api):
    response = api.get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert only_error(response) == (
        "client_error",
        {"code": "not_found", "detail": "Not found.", "attr": None},
    )


@pytest.mark.django_db
def test_malformed_chama_id_is_a_json_404(client_for):
    response = client_for(UserFactory()).get("/api/v1/chamas/not-a-uuid/members/")

    assert response.status_code == 404
    assert only_error(response)[1]["code"] == "not_found"


@pytest.mark.django_db
def test_malformed_json_is_refused_as_malformed_json(api):
    response = api.post("/api/v1/auth/token/", data="{not json", content_type="application/json")

    assert response.status_code == 400
    error_type, error = only_error(response)
    assert error_type == "client_error"
    assert error["code"] == "malformed_json"


@pytest.mark.django_db
def test_unsupported_media_type(api):
    response = api.post("/api/v1/auth/token/", data="login=x", content_type="text/plain")

    assert response.status_code == 415
    assert only_error(response)[1]["code"] == "unsupported_media_type"


@pytest.mark.django_db
def test_method_not_allowed(client_for):
    response = client_for(UserFactory()).delete("/api/v1/chamas/")

    assert response.status_code == 405
    assert only_error(response)[1]["code"] == "method_not_allowed"


def test_server_error_view_answers_api_paths_in_the_error_shape():
    request = RequestFactory().get("/api/v1/chamas/")

    response = server_error(request)

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "type": "server_error",
        "errors": [{"code": "error", "detail": "A server error occurred.", "attr": None}],
    }
