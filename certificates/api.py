"""Public verification as JSON: GET /api/v1/certificates/verify/?number=…[&name=…] or ?token=…"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.api import ErrorSerializer

from . import ratelimit, selectors
from .models import Verification
from .services.verification import verification_record


class VerifyQuery(serializers.Serializer):
    number = serializers.RegexField(
        r"^\d{1,40}$", required=False, allow_blank=True, error_messages={"invalid": "证书编号应为数字。"}
    )
    name = serializers.CharField(required=False, allow_blank=True, max_length=60)
    token = serializers.CharField(required=False, allow_blank=True, max_length=4000)

    def validate(self, attrs):
        if not attrs.get("number") and not attrs.get("token"):
            raise serializers.ValidationError({"number": ["请提供证书编号（number）或二维码内容（token）。"]})
        return attrs


VerifyResult = inline_serializer(
    "CertificateVerification",
    {
        "status": serializers.ChoiceField(choices=list(selectors.OUTCOME_LABELS)),
        "status_label": serializers.CharField(),
        "number": serializers.CharField(),
        "name_matched": serializers.BooleanField(allow_null=True),
        "messages": serializers.ListField(child=serializers.CharField()),
        "certificate": serializers.DictField(allow_null=True),
    },
)


class VerifyView(APIView):
    """Public and rate-limited; the ID number is always masked."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(
        parameters=[
            OpenApiParameter("number", str, description="证书编号（数字）"),
            OpenApiParameter("name", str, description="持证人姓名，填写后显示更多信息"),
            OpenApiParameter("token", str, description="二维码中的签名内容"),
        ],
        responses={200: VerifyResult, 400: ErrorSerializer, 429: ErrorSerializer},
    )
    def get(self, request):
        address = ratelimit.client_address(request)
        if not ratelimit.allow("verify", address, limit=ratelimit.verify_limit()):
            return Response({"detail": "查询过于频繁，请稍后再试。", "errors": {}}, status=429)
        query = VerifyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        lookup = selectors.certificate_lookup(
            number=data.get("number", ""), name=data.get("name", ""), token=data.get("token", "")
        )
        verification_record(
            certificate=lookup.certificate,
            number=lookup.number or data.get("number", ""),
            channel=Verification.Channel.API,
            outcome=lookup.outcome,
            name_matched=lookup.name_matched,
            address=address,
        )
        fields = lookup.fields()
        return Response(
            {
                "status": lookup.outcome,
                "status_label": lookup.label,
                "number": lookup.number,
                "name_matched": lookup.name_matched,
                "messages": lookup.messages,
                "certificate": fields or None,
            }
        )
