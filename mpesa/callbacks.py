"""Where Daraja calls us back. The secret token in the path is the first defence (Daraja signs
nothing); the path must not contain "mpesa", "safaricom", "query", "sql", "exec" or "cmd", which
Safaricom refuses."""

from django.conf import settings
from django.urls import reverse

from mpesa.choices import CallbackKind

ROUTE_NAMES = {
    CallbackKind.STK: "daraja-stk",
    CallbackKind.C2B_VALIDATION: "daraja-c2b-validation",
    CallbackKind.C2B_CONFIRMATION: "daraja-c2b-confirmation",
    CallbackKind.B2C_RESULT: "daraja-b2c-result",
    CallbackKind.B2C_TIMEOUT: "daraja-b2c-timeout",
    CallbackKind.STATUS_RESULT: "daraja-status-result",
    CallbackKind.STATUS_TIMEOUT: "daraja-status-timeout",
}


def callback_url(kind: CallbackKind) -> str:
    path = reverse(ROUTE_NAMES[kind], kwargs={"token": settings.MPESA_CALLBACK_TOKEN})
    return str(settings.MPESA_CALLBACK_BASE_URL).rstrip("/") + path
