"""Votes as the API writes them. An anonymous vote's choices appear nowhere: not in the vote,
not in the caller's own participation, not in the ballots list (only its counts)."""

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import InputSerializer
from core.money import ExactDecimalField
from governance.models import (
    Vote,
    VoteChoice,
    VoteKind,
    VoteParticipation,
    VoteProxy,
    VoteResult,
)
from governance.services.votes import DESCRIPTION_MAX, TITLE_MAX
from groups.api.fields import ChamaMemberField


class VoteTalliesOutputSerializer(serializers.Serializer):
    yes = serializers.IntegerField(source="yes_count")
    no = serializers.IntegerField(source="no_count")
    abstain = serializers.IntegerField(source="abstain_count")


class MyParticipationOutputSerializer(serializers.Serializer):
    voted = serializers.BooleanField()
    cast_by_id = serializers.UUIDField(
        allow_null=True, help_text="The proxy holder who cast your ballot; null if you did."
    )
    choice = serializers.ChoiceField(
        choices=VoteChoice.choices,
        allow_null=True,
        help_text="Your choice on an open ballot; always null on an anonymous vote.",
    )


class VoteOutputSerializer(serializers.ModelSerializer):
    """A vote. Its tallies are null until it closes (an open vote's running count, read
    beside who has voted, would tell choices apart); ``turnout`` counts who has voted."""

    quorum = serializers.DecimalField(max_digits=4, decimal_places=3)
    tallies = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    turnout = serializers.IntegerField(help_text="How many members have voted so far.")
    opened_by_id = serializers.UUIDField(allow_null=True)
    closed_by_id = serializers.UUIDField(allow_null=True)
    my_participation = serializers.SerializerMethodField()

    class Meta:
        model = Vote
        fields = [
            "id",
            "title",
            "description",
            "kind",
            "quorum",
            "electorate",
            "opens_at",
            "closes_at",
            "anonymous",
            "status",
            "result",
            "tallies",
            "turnout",
            "subject_type",
            "subject_id",
            "opened_by_id",
            "closed_by_id",
            "closed_at",
            "my_participation",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=VoteResult.choices, allow_null=True))
    def get_result(self, vote: Vote) -> str | None:
        return vote.result or None

    @extend_schema_field(VoteTalliesOutputSerializer(allow_null=True))
    def get_tallies(self, vote: Vote) -> dict[str, Any] | None:
        if vote.yes_count is None:
            return None
        return dict(VoteTalliesOutputSerializer(vote).data)

    @extend_schema_field(MyParticipationOutputSerializer)
    def get_my_participation(self, vote: Vote) -> dict[str, Any]:
        voted = bool(getattr(vote, "my_voted", False))
        choice = getattr(vote, "my_choice", None) if voted and not vote.anonymous else None
        return {
            "voted": voted,
            "cast_by_id": getattr(vote, "my_cast_by_id", None) if voted else None,
            "choice": choice or None,
        }


class VoteOpenInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=TITLE_MAX)
    description = serializers.CharField(max_length=DESCRIPTION_MAX, allow_blank=True, default="")
    kind = serializers.ChoiceField(
        choices=VoteKind.choices,
        required=False,
        help_text="The constitution's majority (voting.majority) if left out.",
    )
    quorum = ExactDecimalField(
        max_digits=4,
        decimal_places=3,
        required=False,
        # The shape's bounds; the service refuses a share outside (0, 1] as invalid_quorum.
        min_value=Decimal("0"),
        max_value=Decimal("9.999"),
        help_text="Share of the members who must vote, above 0 and at most 1 (else 400 "
        "invalid_quorum); the constitution's if left out.",
    )
    opens_at = serializers.DateTimeField(required=False, help_text="Now if left out.")
    closes_at = serializers.DateTimeField()
    anonymous = serializers.BooleanField()


class BallotCastInputSerializer(InputSerializer):
    choice = serializers.ChoiceField(choices=VoteChoice.choices)
    for_member_id = ChamaMemberField(
        source="membership",
        required=False,
        help_text="Cast the ballot of a member whose proxy you hold.",
    )


class VoteProxyGrantInputSerializer(InputSerializer):
    holder_id = ChamaMemberField(source="holder", help_text="Who will cast your ballot.")


class VoteProxyOutputSerializer(serializers.ModelSerializer):
    vote_id = serializers.UUIDField()
    grantor_id = serializers.UUIDField()
    holder_id = serializers.UUIDField()

    class Meta:
        model = VoteProxy
        fields = ["id", "vote_id", "grantor_id", "holder_id", "created_at"]
        read_only_fields = fields


class VoterOutputSerializer(serializers.ModelSerializer):
    """Who voted what, on an open ballot."""

    member_id = serializers.UUIDField(source="membership_id")
    member_code = serializers.CharField(source="membership.member_code")
    full_name = serializers.CharField(source="membership.user.full_name")
    cast_by_id = serializers.UUIDField(allow_null=True)
    choice = serializers.ChoiceField(choices=VoteChoice.choices)

    class Meta:
        model = VoteParticipation
        fields = ["member_id", "member_code", "full_name", "cast_by_id", "choice"]
        read_only_fields = fields


class VoteBallotsOutputSerializer(serializers.Serializer):
    """The ballots of a vote: on an open ballot, who chose what; on an anonymous one, only how
    many voted (and, once closed, the tallies) — ``ballots`` is then always empty."""

    vote_id = serializers.UUIDField()
    anonymous = serializers.BooleanField()
    status = serializers.CharField()
    turnout = serializers.IntegerField()
    tallies = VoteTalliesOutputSerializer(allow_null=True)
    ballots = VoterOutputSerializer(many=True)
