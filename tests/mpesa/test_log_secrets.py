"""No log line carries a secret: passwords, tokens, the passkey, the initiator's password or
the SecurityCredential, the consumer secret, or the callback path's token — whatever is
logged at any level while members sign in, prompts and payouts go to Daraja and callbacks
are refused."""

import base64
import logging

import pytest

from mpesa.choices import CallbackKind
from mpesa.client import DarajaClient
from mpesa.simulator import DarajaSimulator
from tests.factories import PASSWORD, UserFactory
from tests.mpesa.daraja import deliver
from tests.mpesa.test_client import pay_out, push

pytestmark = pytest.mark.django_db


def test_nothing_secret_is_logged(api, client, settings, daraja_simulator: DarajaSimulator, caplog):
    settings.MPESA_CALLBACK_TOKEN = "cb-" + "k" * 40
    user = UserFactory()
    caplog.set_level(logging.DEBUG)

    signed_in = api.post("/api/v1/auth/token/", {"login": user.phone, "password": PASSWORD})
    api.post("/api/v1/auth/token/", {"login": user.phone, "password": "wrong-" + PASSWORD})
    daraja = DarajaClient.from_settings()
    push(daraja)
    pay_out(daraja)
    refused = deliver(client, CallbackKind.STK, None, raw=b"{not json")
    missing = client.post("/hooks/daraja/" + settings.MPESA_CALLBACK_TOKEN + "/nowhere/")

    stk = daraja_simulator.last_stk_request
    (b2c,) = daraja_simulator.requests_to("/mpesa/b2c/v3/paymentrequest")
    secrets = {
        "the member's password": PASSWORD,
        "the access token": signed_in.json()["access"],
        "the refresh token": signed_in.json()["refresh"],
        "the consumer secret": settings.MPESA_CONSUMER_SECRET,
        "the passkey": settings.MPESA_PASSKEY,
        "the STK password": stk["Password"],
        "the initiator's password": settings.MPESA_INITIATOR_PASSWORD,
        "the SecurityCredential": b2c.body["SecurityCredential"],
        "the callback token": settings.MPESA_CALLBACK_TOKEN,
        "the basic credentials": base64.b64encode(
            f"{settings.MPESA_CONSUMER_KEY}:{settings.MPESA_CONSUMER_SECRET}".encode()
        ).decode(),
    }
    logged = caplog.text

    assert (signed_in.status_code, refused.status_code, missing.status_code) == (200, 400, 404)
    assert "Bad Request: /hooks/daraja/***/stk/" in logged  # the refusal is still logged
    assert [name for name, value in secrets.items() if value in logged] == []
