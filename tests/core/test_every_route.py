"""OPTIONS and HEAD on every API route, as an official of a real chama, answer without a
server error; what they refuse is refused in the one error shape."""

import uuid

import pytest
from drf_spectacular.generators import EndpointEnumerator

from tests.finance.api.conftest import make_books

pytestmark = pytest.mark.django_db


@pytest.fixture
def books(client_for):
    return make_books(client_for)


def api_paths():
    return sorted({path for path, *_ in EndpointEnumerator().get_api_endpoints()})


def concrete(path, books):
    known = {
        "{chama_id}": str(books["chama"].pk),
        "{round_id}": str(books["round1"].pk),
        "{number}": "1",  # a constitution version
    }
    for name, value in known.items():
        path = path.replace(name, value)
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + str(uuid.uuid4()) + path[end + 1 :]
    return path


def test_every_route_is_enumerated():
    paths = api_paths()

    assert len(paths) > 50
    assert "/api/v1/chamas/{chama_id}/rounds/{round_id}/payout/" in paths


@pytest.mark.parametrize("method", ["options", "head"])
def test_options_and_head_never_fail_on_any_route(books, method):
    client = books["clients"]["chair"]
    answers = {}
    for path in api_paths():
        response = getattr(client, method)(concrete(path, books))
        answers[path] = response.status_code
        if response.status_code >= 400 and method == "options":
            assert set(response.json()) == {"type", "errors"}, path

    assert [p for p, status in answers.items() if status >= 500] == []
    if method == "options":
        assert all(status == 200 for status in answers.values()), answers


def test_options_names_the_methods_of_a_write_action(books):
    response = books["clients"]["chair"].options(
        f"{books['base']}/rounds/{books['round1'].pk}/payout/"
    )

    assert response.status_code == 200
    assert response.json()["allowed_methods"] == ["OPTIONS", "POST"]
