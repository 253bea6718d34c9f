from collections.abc import Iterable
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import Currency, MoneyField
from core.phone import PhoneField
from groups.choices import (
    OFFICIAL_ROLES,
    ChamaStatus,
    CycleFrequency,
    MeetingRuleKind,
    MembershipStatus,
    Plan,
    Role,
    Weekday,
)
from groups.models import CHAMA_CODE_RE, Chama, Membership
from groups.schedules import MeetingSchedule

MEETING_DAY_HELP = (
    'When the chama meets, in words: a weekday ("Saturday", "every Friday"), a weekday of '
    'the month ("Last Saturday", "second Sunday") or a day of the month ("the 5th"; past a '
    'short month\'s end, its last day); Kiswahili too ("Jumamosi ya mwisho"). Empty: none.'
)


class MeetingRuleOutputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=MeetingRuleKind.choices)
    weekday = serializers.ChoiceField(choices=Weekday.choices, allow_null=True)
    ordinal = serializers.IntegerField(
        allow_null=True, help_text="1 to 4, or -1 for the last weekday of the month."
    )
    day_of_month = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(help_text='The rule in words, e.g. "Last Saturday".')


class ChamaOutputSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    # The rule's weekday ("" for none, or a day-of-the-month rule); the rule is meeting_rule.
    meeting_day = serializers.ChoiceField(choices=Weekday.choices, allow_blank=True)
    meeting_rule = serializers.SerializerMethodField()

    class Meta:
        model = Chama
        fields = [
            "id",
            "name",
            "code",
            "description",
            "currency",
            "contribution_amount",
            "rotation_amount",
            "savings_amount",
            "welfare_amount",
            "cycle_frequency",
            "meeting_day",
            "meeting_rule",
            "status",
            "plan",
            "member_limit",
            "constitution_version",
            "member_count",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MeetingRuleOutputSerializer(allow_null=True))
    def get_meeting_rule(self, chama: Chama) -> dict[str, Any] | None:
        return meeting_schedule_data(chama.meeting_schedule)


def meeting_schedule_data(schedule: MeetingSchedule | None) -> dict[str, Any] | None:
    if schedule is None:
        return None
    return {
        "kind": schedule.kind.value,
        "weekday": schedule.weekday.value if schedule.weekday else None,
        "ordinal": schedule.ordinal,
        "day_of_month": schedule.day_of_month,
        "text": schedule.text,
    }


class _ChamaSettingsFields(InputSerializer):
    name = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    contribution_amount = MoneyField(allow_zero=True, required=False)
    rotation_amount = MoneyField(allow_zero=True, required=False)
    savings_amount = MoneyField(allow_zero=True, required=False)
    welfare_amount = MoneyField(allow_zero=True, required=False)
    cycle_frequency = serializers.ChoiceField(choices=CycleFrequency.choices, required=False)
    meeting_day = serializers.CharField(
        max_length=40, required=False, allow_blank=True, help_text=MEETING_DAY_HELP
    )
    plan = serializers.ChoiceField(choices=Plan.choices, required=False)


@extend_schema_field({"type": "string", "pattern": CHAMA_CODE_RE, "maxLength": 6})
class ChamaCodeField(serializers.CharField):
    """A chama's code: ``chama_create`` refuses any other shape (``invalid_code``)."""


class ChamaCreateInputSerializer(_ChamaSettingsFields):
    code = ChamaCodeField(
        max_length=6,
        required=False,
        help_text="Three capital letters and three digits; generated from the name if omitted.",
    )
    currency = serializers.ChoiceField(choices=Currency.choices, required=False)


class ChamaUpdateInputSerializer(_ChamaSettingsFields):
    status = serializers.ChoiceField(choices=ChamaStatus.choices, required=False)


class KycOutputSerializer(serializers.Serializer):
    national_id = serializers.CharField()
    kra_pin = serializers.CharField()


# A list page reads these columns and writes its rows itself (``membership_rows``), as the
# contributions list does; ``compliance_rate`` is the list's annotation.
MEMBERSHIP_COLUMNS = (
    "id",
    "user_id",
    "user__full_name",
    "user__phone",
    "user__email",
    "role",
    "status",
    "seat",
    "member_code",
    "chama__code",
    "receive_phone",
    "joined_on",
    "compliance_rate",
    "user__national_id",
    "user__kra_pin",
)


def membership_rows(
    values: Iterable[dict[str, Any]], *, viewer: Membership | None
) -> list[dict[str, Any]]:
    """``MembershipOutputSerializer(many=True).data`` for rows read with
    ``.values(*MEMBERSHIP_COLUMNS)``, field for field (a test holds them equal)."""
    sees_kyc = viewer is not None and viewer.role in OFFICIAL_ROLES | {Role.AUDITOR}
    return [
        {
            "id": str(v["id"]),
            "user_id": str(v["user_id"]),
            "full_name": v["user__full_name"],
            "phone": v["user__phone"],
            "email": v["user__email"],
            "role": v["role"],
            "status": v["status"],
            "seat": v["seat"],
            "member_code": v["member_code"],
            "account_number": f"{v['chama__code']}{v['member_code']}",
            "receive_phone": v["receive_phone"],
            "joined_on": v["joined_on"].isoformat() if v["joined_on"] else None,
            "compliance_rate": float(v.get("compliance_rate") or 0.0),
            "kyc": {"national_id": v["user__national_id"], "kra_pin": v["user__kra_pin"]}
            if sees_kyc
            else None,
        }
        for v in values
    ]


class MembershipOutputSerializer(serializers.ModelSerializer):
    """A member as the chama sees them. KYC data is shown to officials only (null otherwise)."""

    user_id = serializers.UUIDField(read_only=True)
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    phone = serializers.CharField(source="user.phone", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True, allow_null=True)
    account_number = serializers.CharField(read_only=True)
    compliance_rate = serializers.SerializerMethodField()
    kyc = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = [
            "id",
            "user_id",
            "full_name",
            "phone",
            "email",
            "role",
            "status",
            "seat",
            "member_code",
            "account_number",
            "receive_phone",
            "joined_on",
            "compliance_rate",
            "kyc",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.FloatField(min_value=0, max_value=1))
    def get_compliance_rate(self, membership: Membership) -> float:
        """Dues settled ÷ dues fallen due; 0.0 while nothing has fallen due."""
        return float(getattr(membership, "compliance_rate", 0.0) or 0.0)

    @extend_schema_field(KycOutputSerializer(allow_null=True))
    def get_kyc(self, membership: Membership) -> dict[str, str] | None:
        viewer = self.context.get("viewer")
        if viewer is None or viewer.role not in OFFICIAL_ROLES | {Role.AUDITOR}:
            return None
        return {"national_id": membership.user.national_id, "kra_pin": membership.user.kra_pin}


class MembershipAddInputSerializer(InputSerializer):
    full_name = serializers.CharField(max_length=150)
    phone = PhoneField()
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=Role.choices, default=Role.MEMBER)
    seat = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    receive_phone = PhoneField(required=False, help_text="Defaults to the member's phone.")


class MembershipUpdateInputSerializer(InputSerializer):
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    status = serializers.ChoiceField(choices=MembershipStatus.choices, required=False)
    seat = serializers.IntegerField(min_value=1, max_value=10_000, required=False)
    receive_phone = PhoneField(required=False)
