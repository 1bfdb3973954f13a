from __future__ import annotations

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from . import clock
from .models import ReviewPlan


class PlanSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.name")
    receiving_org = serializers.CharField(source="receiving_org.name", default="")
    qualifications = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    recommend_qualifications = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    specialties = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = ReviewPlan
        fields = [
            "code",
            "title",
            "year",
            "committee",
            "qualifications",
            "recommend_qualifications",
            "specialties",
            "scope_junior",
            "scope_intermediate",
            "scope_senior",
            "opens_at",
            "declaration_deadline",
            "employer_deadline",
            "material_deadline",
            "expected_review_month",
            "receiving_org",
            "contact_phone",
            "status",
        ]


def _plans():
    return (
        ReviewPlan.objects.filter(status=ReviewPlan.Status.PUBLISHED)
        .select_related("committee", "receiving_org")
        .prefetch_related("qualifications", "recommend_qualifications", "specialties")
    )


class PlanList(generics.ListAPIView):
    """Published review plans still open for declaration (public)."""

    serializer_class = PlanSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get_queryset(self):
        return _plans().filter(declaration_deadline__gt=clock.now()).order_by("declaration_deadline", "code")


class PlanDetail(generics.RetrieveAPIView):
    serializer_class = PlanSerializer
    permission_classes = [AllowAny]
    authentication_classes: list = []
    lookup_field = "code"

    def get_queryset(self):
        return _plans()


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})


@extend_schema(
    request=TokenRequest, responses={200: inline_serializer("Token", {"token": serializers.CharField()})}
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([])
def obtain_token(request):
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(
        request, username=data.validated_data["username"], password=data.validated_data["password"]
    )
    if user is None:
        raise serializers.ValidationError({"password": ["用户名或密码不正确。"]})
    token, _ = Token.objects.get_or_create(user=user)
    return Response({"token": token.key})
