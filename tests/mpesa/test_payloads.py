"""Every sample message reads to the values it carries, whatever types Safaricom used."""

from datetime import datetime
from decimal import Decimal

import pytest

from mpesa.payloads import (
    NAIROBI,
    PayloadInvalid,
    b2c_result_parse,
    c2b_notice_parse,
    payload_load,
    stk_result_parse,
    transfer_status_parse,
)
from tests.mpesa.daraja import payload


def test_stk_success_reads_items_by_name_with_numbers_and_a_valueless_balance():
    result = stk_result_parse(payload("stk_callback_success"))

    assert result.checkout_request_id == "ws_CO_15092024143013452712345678"
    assert result.result_code == 0
    assert result.amount == Decimal("500.00")
    assert result.receipt == "SIF3XK7P2Q"
    assert result.paid_at == datetime(2024, 9, 15, 14, 30, 41, tzinfo=NAIROBI)
    assert result.phone == "254712345678"


def test_stk_items_in_another_order_and_strings_for_numbers_read_the_same():
    data = payload("stk_callback_success")
    items = data["Body"]["stkCallback"]["CallbackMetadata"]["Item"]
    items.reverse()
    for item in items:
        if "Value" in item:
            item["Value"] = str(item["Value"])
    data["Body"]["stkCallback"]["ResultCode"] = "0"

    result = stk_result_parse(data)

    assert (result.amount, result.receipt, result.phone) == (
        Decimal("500.00"),
        "SIF3XK7P2Q",
        "254712345678",
    )
    assert result.paid_at == datetime(2024, 9, 15, 14, 30, 41, tzinfo=NAIROBI)


@pytest.mark.parametrize(
    ("name", "code", "desc"),
    [
        ("stk_callback_cancelled", 1032, "Request cancelled by user"),
        ("stk_callback_timeout", 1037, "DS timeout user cannot be reached"),
    ],
)
def test_stk_failures_have_no_metadata(name, code, desc):
    result = stk_result_parse(payload(name))

    assert (result.result_code, result.result_desc) == (code, desc)
    assert result.amount is None
    assert result.receipt is None


def test_c2b_v2_confirmation_with_a_masked_msisdn():
    notice = c2b_notice_parse(payload("c2b_confirmation"))

    assert notice.trans_id == "SIF4QW8M1B"
    assert notice.amount == Decimal("1500.00")
    assert notice.bill_ref_number == "CHM042M017"
    assert notice.msisdn == "2547 ***** 678"
    assert notice.payer_name == "WANJIKU"
    assert notice.trans_time == datetime(2024, 9, 15, 17, 2, 11, tzinfo=NAIROBI)


def test_c2b_v1_confirmation_with_a_hashed_msisdn():
    notice = c2b_notice_parse(payload("c2b_confirmation_v1_hashed_msisdn"))

    assert notice.trans_id == "SIF4QX2N9C"
    assert notice.amount == Decimal("2000.00")
    assert notice.bill_ref_number == "CHM042M021"
    assert len(notice.msisdn) == 64
    assert notice.payer_name == "PETER"


def test_c2b_validation_payload_reads_like_a_confirmation():
    notice = c2b_notice_parse(payload("c2b_validation"))

    assert notice.bill_ref_number == "CHM042M017"
    assert notice.amount > 0


def test_b2c_success_result():
    result = b2c_result_parse(payload("b2c_result_success"))

    assert result.originator_conversation_id == "chm042-loan-000731-a1"
    assert result.result_code == 0
    assert result.receipt == "SIF5LN2D7K"
    assert result.amount == Decimal("25000.00")
    assert result.completed_at == datetime(2024, 9, 15, 17, 48, 52, tzinfo=NAIROBI)


def test_b2c_failure_result_has_no_parameters():
    result = b2c_result_parse(payload("b2c_result_failure"))

    assert (result.result_code, result.receipt, result.amount) == (1, None, None)
    assert result.result_desc == "The balance is insufficient for the transaction."


def test_b2c_timeout_reads_as_a_non_zero_result():
    result = b2c_result_parse(payload("b2c_timeout"))

    assert result.originator_conversation_id == "chm042-loan-000733-a1"
    assert result.result_code == 1


def test_transaction_status_names_the_transfer_it_was_asked_about():
    status = transfer_status_parse(payload("transaction_status_result_b2c"))

    assert status.originator_conversation_id == "chm042-loan-000731-a1"
    assert status.completed
    assert status.receipt == "SIF5LN2D7K"
    assert status.amount == Decimal("25000.00")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"{not json", "Not JSON"),
        (b"[1, 2]", "Not a JSON object."),
        (b'{"Body": {}}', "Missing Body.stkCallback."),
        (
            b'{"Body": {"stkCallback": {"CheckoutRequestID": "x", "ResultCode": "zero"}}}',
            "ResultCode is not a whole number",
        ),
        (
            b'{"Body": {"stkCallback": {"CheckoutRequestID": "x", "ResultCode": 0}}}',
            "Missing CallbackMetadata",
        ),
        (
            b'{"Body": {"stkCallback": {"CheckoutRequestID": "", "ResultCode": 0}}}',
            "CheckoutRequestID is empty.",
        ),
    ],
)
def test_unreadable_stk_callbacks_say_why(body, reason):
    with pytest.raises(PayloadInvalid, match=reason):
        stk_result_parse(payload_load(body))


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("TransAmount", "abc", "TransAmount is not an amount"),
        ("TransAmount", "-5.00", "TransAmount is out of range"),
        ("TransAmount", "10.005", "TransAmount has more than two decimals"),
        ("TransAmount", True, "TransAmount is not an amount"),
        ("TransID", "short", "TransID is not an M-Pesa receipt"),
        ("TransTime", "yesterday", "TransTime is not a time"),
    ],
)
def test_unreadable_c2b_fields_say_why(field, value, reason):
    data = payload("c2b_confirmation")
    data[field] = value

    with pytest.raises(PayloadInvalid, match=reason):
        c2b_notice_parse(data)
