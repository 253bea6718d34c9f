"""A thin client for Safaricom's Daraja API (token, STK Push and query, C2B, B2C, status).

Every web and worker process shares one OAuth token through the Django cache, because each new
Daraja token invalidates the previous one: a process that fetched its own would break the others'
calls with "Invalid Access Token". Calls that Daraja's gateway refuses for load (spike arrest,
quota) are retried with capped exponential back-off; a call that was sent but not answered raises
`DarajaTimeout` and is never resent here, since its outcome is unknown. See mpesa/DARAJA.md.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import re
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import requests
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from urllib3.exceptions import ConnectTimeoutError

from core.phone import normalize_phone

logger = logging.getLogger("mpesa.client")

NAIROBI = ZoneInfo("Africa/Nairobi")

# Gateway error codes (the {"requestId", "errorCode", "errorMessage"} envelope).
INVALID_ACCESS_TOKEN = "404.001.03"  # noqa: S105 (an error code, not a secret)
SPIKE_ARREST = "500.003.02"
QUOTA_VIOLATION = "500.003.03"
BACK_OFF_CODES = frozenset({SPIKE_ARREST, QUOTA_VIOLATION})
# The STK status query answers this code while the member is still on the prompt, and the
# same code with "Wrong credentials" when the Password is wrong: only the first is pending.
STK_QUERY_PROCESSING = "500.001.1001"
# Newer gateways answer a completed query with ResultCode 4999 while the payment is still
# being processed.
STK_QUERY_STILL_PROCESSING_RESULT = 4999

# What B2C and status queries carry as SecurityCredential in the simulator environment, where
# there is no Safaricom certificate to encrypt the initiator password with. The simulator
# accepts exactly this value.
SIMULATOR_SECURITY_CREDENTIAL = "hazina-simulator-security-credential"

STK_AMOUNT_RANGE = (1, 250_000)
B2C_AMOUNT_RANGE = (10, 250_000)
C2B_AMOUNT_RANGE = (1, 250_000)
ACCOUNT_REFERENCE_MAX = 12
TRANSACTION_DESC_MAX = 13
REMARKS_MAX = 100
C2B_RESPONSE_TYPES = ("Completed", "Cancelled")

REDACTED = "***"
SECRET_FIELDS = frozenset({"Password", "SecurityCredential", "access_token"})
SECRET_HEADERS = frozenset({"authorization"})


class DarajaError(Exception):
    """Daraja refused or failed a call.

    `code` is Daraja's error or response code (or one of ours: `connection_error`,
    `invalid_response`, `token_unavailable`, `unsupported`, `http_<status>`); `retryable` says
    whether sending the same request again later is safe and may succeed.
    """

    code: str
    message: str
    status: int | None
    retryable: bool

    def __init__(
        self, code: str, message: str, *, status: int | None = None, retryable: bool = False
    ) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.retryable = retryable


class DarajaTimeout(DarajaError):
    """The request went out but no answer came in time: its outcome is unknown.

    Never resend a B2C payment after this: query its status instead.
    """


@dataclass(frozen=True)
class StkPushAck:
    merchant_request_id: str
    checkout_request_id: str
    customer_message: str


@dataclass(frozen=True)
class StkQueryResult:
    """`pending` while the member is still on the prompt; otherwise Daraja's result code."""

    pending: bool
    result_code: int | None
    result_desc: str


@dataclass(frozen=True)
class B2CAck:
    conversation_id: str
    originator_conversation_id: str


@dataclass(frozen=True)
class DarajaConfig:
    environment: str
    base_url: str
    consumer_key: str
    consumer_secret: str
    stk_shortcode: str
    passkey: str
    c2b_shortcode: str
    b2c_shortcode: str
    initiator_name: str
    initiator_password: str
    certificate_path: str
    timeout_seconds: float

    @classmethod
    def from_settings(cls) -> DarajaConfig:
        return cls(
            environment=settings.MPESA_ENVIRONMENT,
            base_url=settings.MPESA_BASE_URL,
            consumer_key=settings.MPESA_CONSUMER_KEY,
            consumer_secret=settings.MPESA_CONSUMER_SECRET,
            stk_shortcode=settings.MPESA_STK_SHORTCODE,
            passkey=settings.MPESA_PASSKEY,
            c2b_shortcode=settings.MPESA_C2B_SHORTCODE,
            b2c_shortcode=settings.MPESA_B2C_SHORTCODE,
            initiator_name=settings.MPESA_INITIATOR_NAME,
            initiator_password=settings.MPESA_INITIATOR_PASSWORD,
            certificate_path=settings.MPESA_CERTIFICATE_PATH,
            timeout_seconds=settings.MPESA_TIMEOUT_SECONDS,
        )


def daraja_phone(phone: str) -> str:
    """+2547XXXXXXXX (or any form core.phone accepts) → 2547XXXXXXXX, as Daraja wants it."""
    return normalize_phone(phone)


def daraja_reference(text: str, max_length: int) -> str:
    """Keep Daraja's safe characters [A-Za-z0-9-]: spaces become dashes, others are dropped."""
    kept = re.sub(r"[^A-Za-z0-9\s-]", "", text)
    cleaned = re.sub(r"[\s-]+", "-", kept.strip())[:max_length].strip("-")
    if not cleaned:
        raise ValueError(f"{text!r} has no letters or digits to send to M-Pesa.")
    return cleaned


def daraja_timestamp() -> str:
    """YYYYMMDDHHmmss in Kenyan time, as the STK Password and Timestamp need."""
    return timezone.now().astimezone(NAIROBI).strftime("%Y%m%d%H%M%S")


def stk_password(shortcode: str, passkey: str, timestamp: str) -> str:
    return base64.b64encode(f"{shortcode}{passkey}{timestamp}".encode()).decode()


def encrypt_initiator_password(password: str, certificate: bytes) -> str:
    """base64(RSA PKCS#1 v1.5 encryption of the password with the certificate's public key)."""
    if b"-----BEGIN" in certificate:
        cert = x509.load_pem_x509_certificate(certificate)
    else:
        cert = x509.load_der_x509_certificate(certificate)
    public_key = cert.public_key()
    if not isinstance(public_key, RSAPublicKey):
        raise ImproperlyConfigured("The M-Pesa certificate must hold an RSA public key.")
    return base64.b64encode(public_key.encrypt(password.encode(), padding.PKCS1v15())).decode()


def redact(value: Any) -> Any:
    """A copy of a JSON payload with secret fields replaced, for logging."""
    if isinstance(value, Mapping):
        return {
            key: REDACTED if key in SECRET_FIELDS else redact(item) for key, item in value.items()
        }
    if isinstance(value, list):
        return [redact(item) for item in value]
    return value


def _check_amount(amount: int, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise ValueError(f"The amount must be whole shillings, not {amount!r}.")
    if not low <= amount <= high:
        raise ValueError(f"The amount must be between {low:,} and {high:,} shillings.")
    return amount


# Failures after the request went out (a read timeout, a dropped connection, a cut-off reply):
# Daraja may have acted on it.
UNANSWERED = (requests.Timeout, requests.ConnectionError, requests.exceptions.ChunkedEncodingError)


def _not_sent(exc: requests.RequestException) -> bool:
    """True when the connection failed before any byte of the request reached Daraja."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    if not isinstance(exc, requests.ConnectionError):
        return False
    # requests wraps urllib3's MaxRetryError, whose reason is NewConnectionError (refused,
    # DNS) or ConnectTimeoutError; NewConnectionError subclasses ConnectTimeoutError.
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ConnectTimeoutError)


class DarajaClient:
    """One client per process (or per call): the token lives in the shared cache."""

    TOKEN_SAFETY_MARGIN_SECONDS = 60
    TOKEN_LOCK_POLL_SECONDS = 0.05

    def __init__(
        self,
        config: DarajaConfig,
        *,
        retries: int = 3,
        backoff_seconds: float = 0.5,
        backoff_cap_seconds: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.base_url = config.base_url.rstrip("/")
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.backoff_cap_seconds = backoff_cap_seconds
        self._sleep = sleep
        self._local = threading.local()
        self._token_key = f"mpesa:daraja-token:{config.consumer_key}"
        self._lock_key = f"{self._token_key}:lock"
        # Long enough for one token request with its back-off; short enough that a crashed
        # holder blocks the others only briefly.
        self._lock_seconds = int(config.timeout_seconds) + 5

    @classmethod
    def from_settings(cls, **options: Any) -> DarajaClient:
        """A client for the configured environment; `options` tune retries (tests)."""
        return cls(DarajaConfig.from_settings(), **options)

    # --- OAuth ---------------------------------------------------------------------------

    def access_token(self, *, replacing: str | None = None) -> str:
        """The shared token, fetched by one process at a time.

        `replacing` is a token Daraja just refused: it is dropped only if the cache still holds
        it (another process may already have stored its successor), under the refresh lock.
        """
        deadline = time.monotonic() + self._lock_seconds + 1
        while True:
            token = cache.get(self._token_key)
            if token and token != replacing:
                return str(token)
            owner = uuid.uuid4().hex
            if cache.add(self._lock_key, owner, self._lock_seconds):
                try:
                    token = cache.get(self._token_key)
                    if token and token != replacing:
                        return str(token)
                    return self._fetch_token()
                finally:
                    if cache.get(self._lock_key) == owner:
                        cache.delete(self._lock_key)
            if time.monotonic() >= deadline:
                raise DarajaError(
                    "token_unavailable",
                    "Another process is fetching the Daraja token and has not finished.",
                    retryable=True,
                )
            time.sleep(self.TOKEN_LOCK_POLL_SECONDS)

    def _fetch_token(self) -> str:
        body = self._request(
            "GET",
            "/oauth/v1/generate?grant_type=client_credentials",
            auth=(self.config.consumer_key, self.config.consumer_secret),
            idempotent=True,
        )
        try:
            token = str(body["access_token"])
            # expires_in arrives as a number or as a string ("3599").
            expires_in = int(float(body["expires_in"]))
        except (KeyError, TypeError, ValueError) as exc:
            raise DarajaError("invalid_response", "The token reply has no usable token.") from exc
        lifetime = max(expires_in - self.TOKEN_SAFETY_MARGIN_SECONDS, 1)
        cache.set(self._token_key, token, lifetime)
        return token

    # --- STK Push (Lipa na M-Pesa Online) -------------------------------------------------

    def stk_push(
        self,
        *,
        phone: str,
        amount: int,
        account_reference: str,
        description: str,
        callback_url: str,
    ) -> StkPushAck:
        """Send the PIN prompt. The ack only means "prompt sent": the result comes by callback."""
        msisdn = daraja_phone(phone)
        shortcode = self.config.stk_shortcode
        timestamp = daraja_timestamp()
        body = self._api(
            "/mpesa/stkpush/v1/processrequest",
            {
                "BusinessShortCode": int(shortcode),
                "Password": stk_password(shortcode, self.config.passkey, timestamp),
                "Timestamp": timestamp,
                "TransactionType": "CustomerPayBillOnline",
                "Amount": str(_check_amount(amount, STK_AMOUNT_RANGE)),
                "PartyA": msisdn,
                "PartyB": shortcode,
                "PhoneNumber": msisdn,
                "CallBackURL": callback_url,
                "AccountReference": daraja_reference(account_reference, ACCOUNT_REFERENCE_MAX),
                "TransactionDesc": daraja_reference(description, TRANSACTION_DESC_MAX),
            },
            idempotent=False,
        )
        _check_accepted(body)
        return StkPushAck(
            merchant_request_id=str(body["MerchantRequestID"]),
            checkout_request_id=str(body["CheckoutRequestID"]),
            customer_message=str(body.get("CustomerMessage", "")),
        )

    def stk_query(self, *, checkout_request_id: str) -> StkQueryResult:
        shortcode = self.config.stk_shortcode
        timestamp = daraja_timestamp()
        try:
            body = self._api(
                "/mpesa/stkpushquery/v1/query",
                {
                    "BusinessShortCode": int(shortcode),
                    "Password": stk_password(shortcode, self.config.passkey, timestamp),
                    "Timestamp": timestamp,
                    "CheckoutRequestID": checkout_request_id,
                },
                idempotent=True,
            )
        except DarajaError as exc:
            if exc.code == STK_QUERY_PROCESSING and "process" in exc.message.lower():
                return StkQueryResult(pending=True, result_code=None, result_desc=exc.message)
            raise
        _check_accepted(body)
        # ResultCode is a string in the query reply (a number in the callback).
        raw_code = body.get("ResultCode")
        try:
            result_code = int(raw_code) if raw_code is not None else None
        except (TypeError, ValueError):
            result_code = None
        pending = result_code in (None, STK_QUERY_STILL_PROCESSING_RESULT)
        return StkQueryResult(
            pending=pending,
            result_code=None if pending else result_code,
            result_desc=str(body.get("ResultDesc", "")),
        )

    # --- C2B (paybill from the M-Pesa menu) -----------------------------------------------

    def c2b_register_urls(
        self, *, validation_url: str, confirmation_url: str, response_type: str = "Completed"
    ) -> dict:
        """`response_type` is what happens when validation does not answer in time."""
        if response_type not in C2B_RESPONSE_TYPES:
            raise ValueError(f"response_type must be one of {', '.join(C2B_RESPONSE_TYPES)}.")
        body = self._api(
            "/mpesa/c2b/v1/registerurl",
            {
                "ShortCode": self.config.c2b_shortcode,
                "ResponseType": response_type,
                "ConfirmationURL": confirmation_url,
                "ValidationURL": validation_url,
            },
            idempotent=True,
        )
        _check_accepted(body)
        return body

    def c2b_simulate(self, *, amount: int, account_reference: str, phone: str) -> dict:
        """Pretend a member paid the paybill (the simulator and the sandbox only)."""
        if self.config.environment == "production":
            raise DarajaError("unsupported", "C2B simulate exists only in the sandbox.")
        body = self._api(
            "/mpesa/c2b/v1/simulate",
            {
                "ShortCode": self.config.c2b_shortcode,
                "CommandID": "CustomerPayBillOnline",
                "Amount": _check_amount(amount, C2B_AMOUNT_RANGE),
                "Msisdn": daraja_phone(phone),
                "BillRefNumber": account_reference,
            },
            idempotent=False,
        )
        _check_accepted(body)
        return body

    # --- B2C and transaction status -------------------------------------------------------

    def b2c_payment(
        self,
        *,
        originator_conversation_id: str,
        phone: str,
        amount: int,
        remarks: str,
        occasion: str,
        result_url: str,
        timeout_url: str,
    ) -> B2CAck:
        """Pay a member. `originator_conversation_id` is the payout's idempotency key: Daraja
        refuses a repeat. On DarajaTimeout the payment may have gone: query, never resend."""
        body = self._api(
            "/mpesa/b2c/v3/paymentrequest",
            {
                "OriginatorConversationID": originator_conversation_id,
                "InitiatorName": self.config.initiator_name,
                "SecurityCredential": self.security_credential(),
                "CommandID": "BusinessPayment",
                "Amount": str(_check_amount(amount, B2C_AMOUNT_RANGE)),
                "PartyA": self.config.b2c_shortcode,
                "PartyB": daraja_phone(phone),
                "Remarks": _remarks(remarks, "Payout"),
                "QueueTimeOutURL": timeout_url,
                "ResultURL": result_url,
                "Occassion": occasion[:REMARKS_MAX],  # sic: Safaricom's spelling
            },
            idempotent=False,
        )
        _check_accepted(body)
        return B2CAck(
            conversation_id=str(body["ConversationID"]),
            originator_conversation_id=str(
                body.get("OriginatorConversationID", originator_conversation_id)
            ),
        )

    def transaction_status(
        self,
        *,
        transaction_id: str = "",
        originator_conversation_id: str = "",
        result_url: str,
        timeout_url: str,
        remarks: str = "",
    ) -> dict:
        """Ask for a transaction's outcome by receipt or by our OriginatorConversationID; the
        answer comes to `result_url`. Returns Daraja's acknowledgement."""
        if not (transaction_id or originator_conversation_id):
            raise ValueError("Give a transaction_id or an originator_conversation_id.")
        payload: dict[str, Any] = {
            "Initiator": self.config.initiator_name,
            "SecurityCredential": self.security_credential(),
            "CommandID": "TransactionStatusQuery",
            "PartyA": self.config.b2c_shortcode,
            "IdentifierType": "4",  # an organisation shortcode
            "ResultURL": result_url,
            "QueueTimeOutURL": timeout_url,
            "Remarks": _remarks(remarks, "Status query"),
            "Occasion": "",
        }
        if transaction_id:
            payload["TransactionID"] = transaction_id
        if originator_conversation_id:
            payload["OriginatorConversationID"] = originator_conversation_id
        body = self._api("/mpesa/transactionstatus/v1/query", payload, idempotent=True)
        _check_accepted(body)
        return body

    def security_credential(self) -> str:
        """The initiator password encrypted with Safaricom's certificate (a fresh ciphertext
        each time: PKCS#1 v1.5 padding is random)."""
        path = self.config.certificate_path
        if path:
            try:
                certificate = Path(path).read_bytes()
            except OSError as exc:
                raise ImproperlyConfigured(f"Cannot read MPESA_CERTIFICATE_PATH {path}.") from exc
            return encrypt_initiator_password(self.config.initiator_password, certificate)
        if self.config.environment == "simulator":
            return SIMULATOR_SECURITY_CREDENTIAL
        raise ImproperlyConfigured(
            "MPESA_CERTIFICATE_PATH must point at Safaricom's certificate for B2C and status "
            "queries outside the simulator (see mpesa/DARAJA.md)."
        )

    # --- HTTP ----------------------------------------------------------------------------

    def _api(self, path: str, payload: dict[str, Any], *, idempotent: bool) -> dict[str, Any]:
        """POST with the shared bearer token; a refused token is replaced and the call retried
        once (Daraja refuses a token as soon as anyone fetches a new one)."""
        token = self.access_token()
        try:
            return self._request(
                "POST", path, json_body=payload, token=token, idempotent=idempotent
            )
        except DarajaError as exc:
            if exc.code != INVALID_ACCESS_TOKEN:
                raise
        token = self.access_token(replacing=token)
        return self._request("POST", path, json_body=payload, token=token, idempotent=idempotent)

    def _session(self) -> requests.Session:
        # Sessions pool connections but are not documented as thread-safe: one per thread.
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session

    def _backoff(self, attempt: int) -> None:
        delay = min(self.backoff_cap_seconds, self.backoff_seconds * 2 ** (attempt - 1))
        # Jitter spreads the retries of many workers refused at the same moment.
        self._sleep(delay * random.uniform(0.5, 1.0))  # noqa: S311 - not for secrets

    def _request(
        self,
        method: str,
        path: str,
        *,
        json_body: dict[str, Any] | None = None,
        token: str | None = None,
        auth: tuple[str, str] | None = None,
        idempotent: bool,
    ) -> dict[str, Any]:
        url = f"{self.base_url}{path}"
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        attempt = 0
        while True:
            logger.info(
                "Daraja request %s %s headers=%s body=%s",
                method,
                path,
                _redact_headers(headers, basic=auth is not None),
                json.dumps(redact(json_body)) if json_body is not None else "",
            )
            started = time.monotonic()
            try:
                response = self._session().request(
                    method,
                    url,
                    json=json_body,
                    headers=headers,
                    auth=auth,
                    timeout=self.config.timeout_seconds,
                )
            except requests.RequestException as exc:
                if _not_sent(exc):
                    logger.warning("Daraja %s %s not sent: %s", method, path, exc)
                    if attempt < self.retries:
                        attempt += 1
                        self._backoff(attempt)
                        continue
                    raise DarajaError(
                        "connection_error", f"Could not reach Daraja: {exc}", retryable=True
                    ) from exc
                if isinstance(exc, requests.exceptions.SSLError):
                    raise DarajaError(
                        "connection_error", f"TLS with Daraja failed: {exc}", retryable=True
                    ) from exc
                if not isinstance(exc, UNANSWERED):
                    raise DarajaError("request_error", f"Cannot send to Daraja: {exc}") from exc
                logger.warning("Daraja %s %s sent but not answered: %s", method, path, exc)
                raise DarajaTimeout(
                    "timeout",
                    f"Daraja did not answer {path} in time; the outcome is unknown.",
                    retryable=idempotent,
                ) from exc
            body = _json_or_none(response)
            logger.info(
                "Daraja response %s %s status=%s in %.0f ms body=%s",
                method,
                path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                json.dumps(redact(body)) if body is not None else response.text[:500],
            )
            error = _gateway_error(response, body)
            if error is None:
                assert body is not None
                return body
            if error.code in BACK_OFF_CODES and attempt < self.retries:
                attempt += 1
                self._backoff(attempt)
                continue
            raise error


def _remarks(text: str, default: str) -> str:
    # Daraja wants 2 to 100 characters.
    text = text.strip()[:REMARKS_MAX]
    return text if len(text) >= 2 else default


def _redact_headers(headers: Mapping[str, str], *, basic: bool) -> dict[str, str]:
    shown = {
        key: REDACTED if key.lower() in SECRET_HEADERS else value for key, value in headers.items()
    }
    if basic:
        shown["Authorization"] = f"Basic {REDACTED}"
    return shown


def _json_or_none(response: requests.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _gateway_error(response: requests.Response, body: dict[str, Any] | None) -> DarajaError | None:
    status = response.status_code
    if body is not None and "errorCode" in body:
        code = str(body["errorCode"])
        return DarajaError(
            code,
            str(body.get("errorMessage", "")),
            status=status,
            retryable=code in BACK_OFF_CODES,
        )
    if status >= 400:
        return DarajaError(f"http_{status}", response.text[:200] or response.reason, status=status)
    if body is None:
        return DarajaError(
            "invalid_response", "Daraja answered without a JSON object.", status=status
        )
    return None


def _check_accepted(body: dict[str, Any]) -> None:
    """A 200 reply can still refuse the request with a non-zero ResponseCode."""
    code = body.get("ResponseCode")
    if code is not None and str(code) != "0":
        raise DarajaError(str(code), str(body.get("ResponseDescription", "")), status=200)
