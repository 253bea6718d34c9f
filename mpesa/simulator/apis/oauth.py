"""OAuth: the access token (GET /oauth/v1/generate) and the bearer check of every other API."""

from __future__ import annotations

import base64
import binascii
import secrets
import string
import time
from urllib.parse import parse_qs

from mpesa.simulator import payloads
from mpesa.simulator.gateway import Gateway, Reply

PATH = "/oauth/v1/generate"
TOKEN_LIFETIME_SECONDS = 3599
TOKEN_ALPHABET = string.ascii_letters + string.digits


def generate(gateway: Gateway, query: str, authorization: str) -> Reply:
    if parse_qs(query).get("grant_type") != ["client_credentials"]:
        return payloads.gateway_error("400.008.02", "Invalid grant type passed")
    scheme, _, encoded = authorization.partition(" ")
    try:
        credentials = base64.b64decode(encoded, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        credentials = ""
    if scheme != "Basic" or credentials != f"{gateway.consumer_key}:{gateway.consumer_secret}":
        return payloads.gateway_error("400.008.01", "Invalid Authentication passed")
    token = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(28))
    with gateway.lock:
        # Daraja keeps one live token per app: a new one invalidates the previous one.
        gateway.token = token
        gateway.token_expires = time.monotonic() + TOKEN_LIFETIME_SECONDS
    return 200, {"access_token": token, "expires_in": str(TOKEN_LIFETIME_SECONDS)}


def bearer_refusal(gateway: Gateway, authorization: str) -> Reply | None:
    scheme, _, token = authorization.partition(" ")
    if scheme != "Bearer" or not token:
        return payloads.gateway_error("404.001.04", "Invalid Authentication Header")
    with gateway.lock:
        live = token == gateway.token and time.monotonic() < gateway.token_expires
    if not live:
        return payloads.gateway_error("404.001.03", "Invalid Access Token")
    return None
