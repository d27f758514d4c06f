"""The council's public record in the open data API: read-only.

Every meeting of a council (when, where, what kind), and for a meeting
whose minutes the council has approved, its minutes' page and its decisions
with their counts; for a roll call, how each member voted, by name. Draft
minutes and the decisions they record stay off the API until approved, as
they stay off the public record.
"""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import routers, serializers, viewsets

from fundapp.filters import FreshFilters, YearFilter
from fundapp.models import User

from .models import Meeting, Minutes
from .selectors import meeting_outcome, motion_wording, outcome_motion

APPROVED = Minutes.Status.APPROVED


class MeetingFilter(FreshFilters, filters.FilterSet):
    """The community, the year, and whether the minutes are approved."""

    community = filters.CharFilter(
        field_name="council__community__code", label=_("Community code")
    )
    year = YearFilter(field_name="scheduled_at__year", label=_("Year"))
    # A choice, not a BooleanFilter: that one reads an unknown value as no
    # filter at all, where the schema promises a 400.
    minutes_approved = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_minutes_approved",
        label=_("Minutes approved"),
    )

    class Meta:
        model = Meeting
        fields = ["community", "year", "minutes_approved"]

    def filter_minutes_approved(self, queryset, name, value: str):
        return queryset.filter(minutes_approved=value == "true")


class VoteSerializer(serializers.Serializer):
    name = serializers.CharField()
    choice = serializers.CharField()


class DecisionSerializer(serializers.Serializer):
    motion = serializers.CharField(help_text="The kind of motion (main, amend, …).")
    text = serializers.CharField()
    proposal = serializers.IntegerField(allow_null=True)
    result = serializers.CharField(help_text="adopted or lost")
    method = serializers.CharField(allow_null=True)
    yes = serializers.IntegerField()
    no = serializers.IntegerField()
    abstain = serializers.IntegerField()
    votes = VoteSerializer(many=True, help_text="By name, for a roll call only.")


class MeetingSerializer(serializers.ModelSerializer):
    community = serializers.CharField(source="council.community.code")
    council = serializers.CharField(source="council.name")
    council_en = serializers.CharField(source="council.name_en")
    minutes_approved = serializers.BooleanField()
    minutes_url = serializers.SerializerMethodField()

    class Meta:
        model = Meeting
        fields = [
            "id",
            "community",
            "council",
            "council_en",
            "number",
            "kind",
            "scheduled_at",
            "place",
            "place_en",
            "minutes_approved",
            "minutes_url",
        ]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_minutes_url(self, meeting) -> str | None:
        if not meeting.minutes_approved:
            return None
        url = reverse("councils:minutes", args=[meeting.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class MeetingRecordSerializer(MeetingSerializer):
    decisions = serializers.SerializerMethodField()

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "decisions"]

    @extend_schema_field(DecisionSerializer(many=True))
    def get_decisions(self, meeting) -> list[dict]:
        if not meeting.minutes_approved:
            return []
        return meeting_decisions(meeting)


def meeting_decisions(meeting: Meeting) -> list[dict]:
    """The meeting's own decisions, with counts, and names for roll calls."""
    outcome = meeting_outcome(meeting)
    own = [
        d
        for d in outcome["decisions"]
        # The log may continue an earlier meeting's: this meeting's own.
        if d.get("meeting", 1) == outcome["meeting"]["number"]
        and d.get("motion_id") is not None
    ]
    voters = {
        member
        for d in own
        if d.get("method") == "roll_call"
        for member in d.get("voters", {})
    }
    names = {
        str(user.pk): str(user)
        for user in User.objects.filter(pk__in=[int(v) for v in voters])
    }
    decisions = []
    for decision in own:
        motion = outcome_motion(outcome, decision["motion_id"])
        proposal = motion.get("proposal")
        roll_call = decision.get("method") == "roll_call"
        decisions.append(
            {
                "motion": decision["motion"],
                "text": motion_wording(outcome, decision["motion_id"])
                or decision.get("text", ""),
                "proposal": int(proposal) if proposal else None,
                "result": decision["result"],
                "method": decision.get("method"),
                "yes": decision.get("yes", 0),
                "no": decision.get("no", 0),
                "abstain": decision.get("abstain", 0),
                "votes": [
                    {"name": names.get(member, member), "choice": choice}
                    for member, choice in sorted(decision.get("voters", {}).items())
                ]
                if roll_call
                else [],
            }
        )
    return decisions


class MeetingViewSet(viewsets.ReadOnlyModelViewSet):
    """The councils' meetings; with approved minutes, their decisions."""

    filterset_class = MeetingFilter

    def get_queryset(self):
        approved = Minutes.objects.filter(meeting=OuterRef("pk"), status=APPROVED)
        return (
            Meeting.objects.select_related("council__community")
            .annotate(minutes_approved=Exists(approved))
            .order_by("-scheduled_at", "-id")
        )

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MeetingRecordSerializer
        return MeetingSerializer


router = routers.SimpleRouter()
router.register("meetings", MeetingViewSet, basename="meeting")
