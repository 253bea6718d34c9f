from typing import Any

from rest_framework import serializers

from accounts.choices import Channel
from accounts.models import Notification, NotificationPreference
from accounts.notifications.catalogue import EventGroup
from core.api.serializers import InputSerializer


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "event", "chama_id", "title", "body", "context", "read_at", "created_at"]
        read_only_fields = fields


class UnreadCountOutputSerializer(serializers.Serializer):
    unread = serializers.IntegerField()


class ReadAllOutputSerializer(serializers.Serializer):
    read = serializers.IntegerField(help_text="How many notifications were marked read.")


MUTED_HELP = (
    'Channels turned off for one group of events, e.g. {"reminders": ["sms"]}. '
    f"Groups: {', '.join(EventGroup.ALL)}."
)


class NotificationPreferenceOutputSerializer(serializers.ModelSerializer):
    in_app = serializers.SerializerMethodField(help_text="Always on: every notification.")
    muted = serializers.DictField(
        child=serializers.ListField(child=serializers.ChoiceField(choices=Channel.choices)),
        help_text=MUTED_HELP,
    )

    class Meta:
        model = NotificationPreference
        fields = ["in_app", "sms", "email", "whatsapp", "muted"]
        read_only_fields = fields

    def get_in_app(self, preference: NotificationPreference) -> bool:
        return True


def _channels() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=Channel.choices), max_length=3, required=False
    )


# The groups of events, one optional list of muted channels each (a group not named: none).
MutedInputSerializer = type(
    "MutedInputSerializer",
    (InputSerializer,),
    {"__doc__": MUTED_HELP, **{group: _channels() for group in EventGroup.ALL}},
)


class NotificationPreferenceUpdateInputSerializer(InputSerializer):
    sms = serializers.BooleanField(required=False)
    email = serializers.BooleanField(required=False)
    whatsapp = serializers.BooleanField(required=False)
    muted = MutedInputSerializer(required=False, help_text=MUTED_HELP + " Replaces the whole map.")

    def validate_muted(self, value: dict[str, Any]) -> dict[str, list[str]]:
        return {group: sorted(set(channels)) for group, channels in value.items() if channels}
