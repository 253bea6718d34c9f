"""`DarajaClient`: one method per Daraja API (STK Push and query, C2B, B2C, transaction status),
each building Daraja's request from our values and reading its acknowledgement."""

from __future__ import annotations

from typing import Any

from mpesa.client.answers import (
    B2CAck,
    DarajaError,
    StkPushAck,
    StkQueryResult,
    check_accepted,
)
from mpesa.client.config import DarajaConfig
from mpesa.client.fields import (
    ACCOUNT_REFERENCE_MAX,
    B2C_AMOUNT_RANGE,
    C2B_AMOUNT_RANGE,
    C2B_RESPONSE_TYPES,
    REMARKS_MAX,
    STK_AMOUNT_RANGE,
    TRANSACTION_DESC_MAX,
    checked_amount,
    daraja_phone,
    daraja_reference,
    daraja_remarks,
    daraja_timestamp,
    stk_password,
)
from mpesa.client.security import security_credential
from mpesa.client.transport import Transport

# The STK status query answers this code while the member is still on the prompt, and the
# same code with "Wrong credentials" when the Password is wrong: only the first is pending.
STK_QUERY_PROCESSING = "500.001.1001"
# Newer gateways answer a completed query with ResultCode 4999 while the payment is still
# being processed.
STK_QUERY_STILL_PROCESSING_RESULT = 4999


class DarajaClient(Transport):
    """One client per process (or per call): the token lives in the shared cache."""

    @classmethod
    def from_settings(cls, **options: Any) -> DarajaClient:
        """A client for the configured environment; `options` tune retries (tests)."""
        return cls(DarajaConfig.from_settings(), **options)

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
                "Amount": str(checked_amount(amount, STK_AMOUNT_RANGE)),
                "PartyA": msisdn,
                "PartyB": shortcode,
                "PhoneNumber": msisdn,
                "CallBackURL": callback_url,
                "AccountReference": daraja_reference(account_reference, ACCOUNT_REFERENCE_MAX),
                "TransactionDesc": daraja_reference(description, TRANSACTION_DESC_MAX),
            },
            idempotent=False,
        )
        check_accepted(body)
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
        check_accepted(body)
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
        check_accepted(body)
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
                "Amount": checked_amount(amount, C2B_AMOUNT_RANGE),
                "Msisdn": daraja_phone(phone),
                "BillRefNumber": account_reference,
            },
            idempotent=False,
        )
        check_accepted(body)
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
                "Amount": str(checked_amount(amount, B2C_AMOUNT_RANGE)),
                "PartyA": self.config.b2c_shortcode,
                "PartyB": daraja_phone(phone),
                "Remarks": daraja_remarks(remarks, "Payout"),
                "QueueTimeOutURL": timeout_url,
                "ResultURL": result_url,
                "Occassion": occasion[:REMARKS_MAX],  # sic: Safaricom's spelling
            },
            idempotent=False,
        )
        check_accepted(body)
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
            "Remarks": daraja_remarks(remarks, "Status query"),
            "Occasion": "",
        }
        if transaction_id:
            payload["TransactionID"] = transaction_id
        if originator_conversation_id:
            payload["OriginatorConversationID"] = originator_conversation_id
        body = self._api("/mpesa/transactionstatus/v1/query", payload, idempotent=True)
        check_accepted(body)
        return body

    def security_credential(self) -> str:
        """The initiator password encrypted with Safaricom's certificate (a fresh ciphertext
        each time: PKCS#1 v1.5 padding is random)."""
        return security_credential(self.config)
