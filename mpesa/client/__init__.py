"""A thin client for Safaricom's Daraja API (token, STK Push and query, C2B, B2C, status).

Every web and worker process shares one OAuth token through the Django cache, because each new
Daraja token invalidates the previous one: a process that fetched its own would break the others'
calls with "Invalid Access Token". Calls that Daraja's gateway refuses for load (spike arrest,
quota) are retried with capped exponential back-off; a call that was sent but not answered raises
`DarajaTimeout` and is never resent here, since its outcome is unknown. See mpesa/DARAJA.md.

The package by seam: `apis` (DarajaClient, one method per API), `transport` (the shared token,
retries, logging), `answers` (the acknowledgements and DarajaError), `fields` (our values as
Daraja's request fields), `security` (the SecurityCredential), `config` (the MPESA_* settings).
Import from `mpesa.client`.
"""

from mpesa.client.answers import (
    BACK_OFF_CODES,
    INVALID_ACCESS_TOKEN,
    QUOTA_VIOLATION,
    SPIKE_ARREST,
    B2CAck,
    DarajaError,
    DarajaTimeout,
    StkPushAck,
    StkQueryResult,
)
from mpesa.client.apis import (
    STK_QUERY_PROCESSING,
    STK_QUERY_STILL_PROCESSING_RESULT,
    DarajaClient,
)
from mpesa.client.config import DarajaConfig
from mpesa.client.fields import (
    ACCOUNT_REFERENCE_MAX,
    B2C_AMOUNT_RANGE,
    C2B_AMOUNT_RANGE,
    C2B_RESPONSE_TYPES,
    NAIROBI,
    REMARKS_MAX,
    STK_AMOUNT_RANGE,
    TRANSACTION_DESC_MAX,
    daraja_phone,
    daraja_reference,
    daraja_timestamp,
    stk_password,
)
from mpesa.client.security import SIMULATOR_SECURITY_CREDENTIAL, encrypt_initiator_password
from mpesa.client.transport import (
    REDACTED,
    SECRET_FIELDS,
    SECRET_HEADERS,
    UNANSWERED,
    redact,
)

__all__ = [
    "ACCOUNT_REFERENCE_MAX",
    "B2C_AMOUNT_RANGE",
    "BACK_OFF_CODES",
    "C2B_AMOUNT_RANGE",
    "C2B_RESPONSE_TYPES",
    "INVALID_ACCESS_TOKEN",
    "NAIROBI",
    "QUOTA_VIOLATION",
    "REDACTED",
    "REMARKS_MAX",
    "SECRET_FIELDS",
    "SECRET_HEADERS",
    "SIMULATOR_SECURITY_CREDENTIAL",
    "SPIKE_ARREST",
    "STK_AMOUNT_RANGE",
    "STK_QUERY_PROCESSING",
    "STK_QUERY_STILL_PROCESSING_RESULT",
    "TRANSACTION_DESC_MAX",
    "UNANSWERED",
    "B2CAck",
    "DarajaClient",
    "DarajaConfig",
    "DarajaError",
    "DarajaTimeout",
    "StkPushAck",
    "StkQueryResult",
    "daraja_phone",
    "daraja_reference",
    "daraja_timestamp",
    "encrypt_initiator_password",
    "redact",
    "stk_password",
]
