from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django_otp import match_token
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from . import clock, ratelimit
from .client_ip import client_ip
from .identity import second_factor_required, token_expires_at
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
    otp = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="工作人员账号须填写身份验证器的动态验证码（或一个恢复码）",
    )


class TokenRateThrottle(SimpleRateThrottle):
    """Token requests per client address (PORTAL_API_TOKEN_RATE), on top of the lock-out per account."""

    scope = "api-token"

    def get_rate(self):
        return settings.PORTAL_API_TOKEN_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except ratelimit.CACHE_DOWN:  # Redis down: counted in this process (portal.ratelimit)
            self.cache = ratelimit.fallback_cache
            return super().allow_request(request, view)


@extend_schema(
    request=TokenRequest,
    responses={
        200: inline_serializer(
            "Token", {"token": serializers.CharField(), "expires_at": serializers.DateTimeField()}
        )
    },
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([TokenRateThrottle])
def obtain_token(request):
    """A token for the API, valid PORTAL_API_TOKEN_TTL_SECONDS; staff accounts add a second-factor code.
    Failed attempts count towards the lock-out (django-axes) like the login page's."""
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    user = authenticate(
        request._request,  # django-axes reads the address and records the attempt on the Django request
        username=data.validated_data["username"],
        password=data.validated_data["password"],
    )
    if user is None:
        raise serializers.ValidationError({"password": ["用户名或密码不正确。"]})
    if second_factor_required(user):
        with transaction.atomic():
            device = match_token(user, data.validated_data.get("otp", "").strip())
        if device is None:
            raise serializers.ValidationError({"otp": ["请填写正确的动态验证码或恢复码。"]})
    with transaction.atomic():
        token = Token.objects.select_for_update().filter(user=user).first()
        if token is not None and clock.real_now() >= token_expires_at(token):
            token.delete()
            token = None
        if token is None:
            token = Token.objects.create(user=user)
    return Response({"token": token.key, "expires_at": token_expires_at(token)})
