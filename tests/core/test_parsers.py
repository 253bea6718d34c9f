"""Whatever a client sends, the API answers in the error shape with a 4xx and writes nothing:
bodies nested too deep, too large, not JSON, not UTF-8."""

import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/auth/register/"


def post_raw(api, body: bytes):
    return api.generic("POST", REGISTER, body, content_type="application/json")


def only_error(response):
    [error] = response.json()["errors"]
    return response.status_code, error["code"]


@pytest.mark.parametrize(
    "body",
    [
        b"[" * 2000 + b"]" * 2000,  # the decoder's own recursion would fail at about 1,000
        b'{"a": ' * 65 + b"1" + b"}" * 65,  # past the API's limit of 64
        b'{"email": "a@example.com",',
        b"\xff\xfe not utf-8",
        b'{"amount": NaN}',
        b'{"amount": Infinity}',
    ],
)
def test_unreadable_json_is_400_malformed_json(api, body):
    response = post_raw(api, body)

    assert only_error(response) == (400, "malformed_json")
    assert User.objects.count() == 0


def test_nesting_within_the_limit_is_read(api):
    # 64 levels is allowed: the answer is about the fields, not the JSON
    response = post_raw(api, b'{"a": ' * 63 + b"1" + b"}" * 63)

    assert response.status_code == 400
    assert "malformed_json" not in {e["code"] for e in response.json()["errors"]}


def test_brackets_inside_strings_do_not_count_as_nesting(api):
    response = post_raw(api, b'{"full_name": "' + b"[" * 500 + b'\\"{"}')

    assert "malformed_json" not in {e["code"] for e in response.json()["errors"]}


def test_a_body_over_the_limit_is_413(api, settings):
    body = b'{"full_name": "' + b"x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1) + b'"}'

    response = post_raw(api, body)

    assert only_error(response) == (413, "payload_too_large")
    assert "At most 2,621,440 bytes." in response.json()["errors"][0]["detail"]
    assert User.objects.count() == 0
