"""core.net.client_ip: the one client address, X-Forwarded-For trusted only behind proxies."""

import pytest
from django.test import RequestFactory

from core.net import client_ip


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "10.0.0.2"),
        (0, "1.2.3.4", "10.0.0.2"),  # no proxy: the header is the client's own words
        (1, None, "10.0.0.2"),
        (1, "1.2.3.4", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "1.2.3.4"),  # the forged left end is ignored
        (2, "6.6.6.6, 1.2.3.4, 10.1.1.1", "1.2.3.4"),
        (2, "1.2.3.4", "10.0.0.2"),  # fewer hops than proxies: the socket's address
    ],
)
def test_client_ip(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **headers)

    assert client_ip(request) == expected
