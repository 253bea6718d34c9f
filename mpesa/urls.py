"""Daraja's callback URLs (see mpesa.callbacks for the rules a callback URL must follow)."""

from django.urls import path

from mpesa.callbacks import ROUTE_NAMES
from mpesa.choices import CallbackKind
from mpesa.views import daraja_callback

PATHS = {
    CallbackKind.STK: "stk/",
    CallbackKind.C2B_VALIDATION: "c2b/validation/",
    CallbackKind.C2B_CONFIRMATION: "c2b/confirmation/",
    CallbackKind.B2C_RESULT: "b2c/result/",
    CallbackKind.B2C_TIMEOUT: "b2c/timeout/",
    CallbackKind.STATUS_RESULT: "status/result/",
    CallbackKind.STATUS_TIMEOUT: "status/timeout/",
}

# /hooks/daraja/<token>/stk/, …/c2b/validation/, …/c2b/confirmation/, …/b2c/result/,
# …/b2c/timeout/, …/status/result/, …/status/timeout/
urlpatterns = [
    path(f"<str:token>/{suffix}", daraja_callback, {"kind": kind}, name=ROUTE_NAMES[kind])
    for kind, suffix in PATHS.items()
]
