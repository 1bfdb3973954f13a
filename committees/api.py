"""REST API of the committee's work (/api/v1/committee/…): remote ballots (seed 002 远程评审) and the
counted results. Errors use the portal's one shape; a repeated ballot answers 409."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api import ERRORS

from . import permissions, services
from .models import Choice, Meeting, MeetingResult


class BallotInput(serializers.Serializer):
    application = serializers.UUIDField()
    choice = serializers.ChoiceField(choices=Choice.choices)


class Detail(serializers.Serializer):
    detail = serializers.CharField()


class ResultOutput(serializers.ModelSerializer):
    application = serializers.UUIDField(source="application_id")
    number = serializers.CharField(source="application.number")
    name = serializers.CharField(source="application.archive.name")

    class Meta:
        model = MeetingResult
        # Counts only: nothing here, or anywhere, ties a ballot to its voter.
        fields = [
            "application",
            "number",
            "name",
            "panel_size",
            "present",
            "recused",
            "entitled",
            "agree",
            "disagree",
            "abstain",
            "not_voted",
            "ballots",
            "receipts",
            "required",
            "passed",
            "rule",
        ]


class BallotCreate(APIView):
    """Cast one secret ballot as a drawn, present, non-recused expert of the meeting."""

    @extend_schema(request=BallotInput, responses={201: Detail, **ERRORS})
    def post(self, request, pk):
        access = permissions.meeting_for(request.user, pk, role=permissions.EXPERT)
        data = BallotInput(data=request.data)
        data.is_valid(raise_exception=True)
        services.ballot_cast(meeting=access.meeting, user=request.user, **data.validated_data)
        return Response({"detail": "已投票。"}, status=status.HTTP_201_CREATED)


class ResultList(APIView):
    """A closed meeting's results with their counts (the office, the filing bureau and the panel)."""

    @extend_schema(
        responses={
            200: inline_serializer(
                "MeetingResults",
                {
                    "status": serializers.ChoiceField(choices=Meeting.Status.choices),
                    "results": ResultOutput(many=True, help_text="会议结束后才有（表决中为空）"),
                },
            ),
            **ERRORS,
        }
    )
    def get(self, request, pk):
        access = permissions.meeting_for(request.user, pk)
        results = MeetingResult.objects.none()
        if access.meeting.status == Meeting.Status.CLOSED:
            results = MeetingResult.objects.filter(meeting=access.meeting).select_related(
                "application__archive"
            )
        return Response({"status": access.meeting.status, "results": ResultOutput(results, many=True).data})
