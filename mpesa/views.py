"""The endpoints Daraja calls back: /hooks/daraja/<secret-token>/….

Each callback is stored raw before anything reads it, then processed; the answer is Daraja's
``{"ResultCode", "ResultDesc"}``. A wrong token is a 404 and an address outside the allowlist a
403: neither is stored (they are not from Safaricom) and neither can credit anything.
"""

import hmac
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.api.errors import error_response
from core.exceptions import CoreError
from core.net import client_ip
from mpesa.choices import CallbackKind, CallbackOutcome
from mpesa.exceptions import MpesaError
from mpesa.models import DarajaCallback
from mpesa.services.intake import callback_process, callback_store, source_ip_allowed

logger = logging.getLogger(__name__)


def _read_body(request: HttpRequest) -> tuple[bytes, int]:
    """At most MAX_BODY + 1 bytes (enough to know it was too large), and the declared size."""
    body = request.read(DarajaCallback.MAX_BODY + 1)
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    return body, max(declared, len(body))


def _answer(kind: str, outcome: str, answer: str, detail: str) -> HttpResponse:
    if kind == CallbackKind.C2B_VALIDATION:
        desc = "Accepted" if answer == "0" else "Rejected"
        return JsonResponse({"ResultCode": answer, "ResultDesc": desc})
    if outcome == CallbackOutcome.INVALID and kind != CallbackKind.C2B_CONFIRMATION:
        return error_response(400, MpesaError.INVALID_CALLBACK, detail)
    # A confirmation is always acknowledged: the money has moved whatever we answer.
    return JsonResponse({"ResultCode": 0, "ResultDesc": "Accepted"})


@csrf_exempt
@require_POST
def daraja_callback(request: HttpRequest, token: str, kind: CallbackKind) -> HttpResponse:
    if not hmac.compare_digest(token.encode(), settings.MPESA_CALLBACK_TOKEN.encode()):
        return error_response(404, CoreError.NOT_FOUND)
    ip = client_ip(request)
    if not source_ip_allowed(ip):
        logger.warning("Daraja %s callback refused from %s", kind, ip)
        return error_response(403, MpesaError.CALLBACK_FORBIDDEN)
    body, size = _read_body(request)
    callback = callback_store(
        kind=kind, body=body, body_size=size, headers=request.headers, source_ip=ip
    )
    try:
        processed = callback_process(callback=callback)
    except Exception:
        # Stored and left "received": mpesa_reconcile processes it again. Daraja still gets
        # its answer (a validation is refused, since we could not check it).
        logger.exception("Daraja callback %s could not be processed", callback.pk)
        answer = "C2B00016" if kind == CallbackKind.C2B_VALIDATION else "0"
        return _answer(kind, CallbackOutcome.RECEIVED, answer, "")
    return _answer(kind, processed.outcome, processed.answer, processed.detail)
