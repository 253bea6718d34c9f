"""Request bodies take each value in its field's JSON type: DRF's fields would also read
text from a number, a number from text and a boolean from "yes", which a JSON client following
the schema never sends and a form (all text) must still be able to."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from rest_framework import serializers

from core.api.serializers import (
    NOT_A_BOOLEAN,
    NOT_A_STRING,
    NOT_AN_INTEGER,
    InputSerializer,
)


class SampleInputSerializer(InputSerializer):
    name = serializers.CharField(required=False, max_length=5)
    count = serializers.IntegerField(required=False)
    active = serializers.BooleanField(required=False)
    member_id = serializers.UUIDField(required=False)
    note = serializers.CharField(required=False, allow_null=True)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": 0}, "name", NOT_A_STRING),
        ({"name": Decimal("1.5")}, "name", NOT_A_STRING),
        ({"count": "5"}, "count", NOT_AN_INTEGER),
        ({"count": True}, "count", NOT_AN_INTEGER),
        ({"active": "yes"}, "active", NOT_A_BOOLEAN),
        ({"active": 1}, "active", NOT_A_BOOLEAN),
        ({"member_id": 5}, "member_id", NOT_A_STRING),
    ],
)
def test_a_json_value_of_another_type_is_refused(data, field, message):
    serializer = SampleInputSerializer(data=data)

    assert not serializer.is_valid()
    assert serializer.errors == {field: [message]}
    assert serializer.errors[field][0].code == "invalid"


def test_text_is_measured_as_sent_before_its_whitespace_is_trimmed():
    serializer = SampleInputSerializer(data={"name": "abc\r\r\r"})

    assert not serializer.is_valid()
    assert serializer.errors == {"name": ["Ensure this field has no more than 5 characters."]}
    assert serializer.errors["name"][0].code == "max_length"


def test_json_values_of_their_types_are_read():
    data = {
        "name": "Umoja",
        "count": 5,
        "active": False,
        "member_id": "7d9f6cde-4b5a-4c1e-9a59-2f7d1c0b8e21",
        "note": None,
    }
    serializer = SampleInputSerializer(data={**data, "count": Decimal("5.0")})

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data["count"] == 5


def test_a_form_or_query_string_is_text_and_read_as_before():
    serializer = SampleInputSerializer(data=QueryDict("count=5&active=yes&name=Umoja"))

    assert serializer.is_valid(), serializer.errors
    assert serializer.validated_data == {"count": 5, "active": True, "name": "Umoja"}
