"""REST API for the employer's and the bureau's steps and for publicity (/api/v1/)."""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import Pagination, error_body
from portal.models import Organisation, Role
from portal.parsers import SafeJSONParser
from portal.ratelimit import client_address

from . import audit, permissions, publicity, returns
from .api import ERRORS, PAGE_PARAMETERS, ApplicationSerializer, paginated
from .exceptions import DomainError, PermissionDenied
from .models import Objection, PublicityEntry, PublicityNotice, PublicityStage


class DefectSerializer(serializers.Serializer):
    """One defect of a return (一次性告知): the item it concerns, a coded reason and words."""

    kind = serializers.ChoiceField(choices=returns.ItemKind.choices, required=False)
    item = serializers.CharField(max_length=80)
    reason = serializers.ChoiceField(choices=returns.Reason.choices)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=returns.MAX_TEXT)


class ReturnSerializer(serializers.Serializer):
    items = serializers.DictField(child=serializers.CharField(max_length=300), required=False, default=dict)
    defects = DefectSerializer(many=True, required=False, default=list)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)


class BureauReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    defects = DefectSerializer(many=True, required=False, default=list)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=1000)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)


def _step(name: str, role: str, serializer, call, doc: str):
    @extend_schema(request=serializer, responses={200: ApplicationSerializer, **ERRORS}, summary=doc)
    def post(self, request, pk):
        application = permissions.application_for(request.user, pk, role=role)
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(ApplicationSerializer(call(application, request.user, data.validated_data)).data)

    return type(name, (APIView,), {"post": post, "__doc__": doc})


EmployerReturn = _step(
    "EmployerReturn",
    Role.HR,
    ReturnSerializer,
    lambda a, u, d: audit.employer_return(
        application=a, actor=u, items=d["items"], defects=d["defects"], note=d["note"]
    ),
    "单位退回申报人修改（逐项说明理由）",
)
EmployerReject = _step(
    "EmployerReject",
    Role.HR,
    ReasonSerializer,
    lambda a, u, d: audit.employer_reject(application=a, actor=u, reason=d["reason"]),
    "单位审核不通过",
)
EmployerRecommend = _step(
    "EmployerRecommend",
    Role.HR,
    NoteSerializer,
    lambda a, u, d: audit.employer_recommend(application=a, actor=u, note=d["note"]),
    "单位推荐（单位推荐截止时间前）",
)
BureauReturn = _step(
    "BureauReturn",
    Role.OFFICER,
    BureauReturnSerializer,
    lambda a, u, d: audit.bureau_return(application=a, actor=u, reason=d["reason"], defects=d["defects"]),
    "主管部门退回用人单位",
)
BureauRecommend = _step(
    "BureauRecommend",
    Role.OFFICER,
    NoteSerializer,
    lambda a, u, d: audit.bureau_recommend(application=a, actor=u, note=d["note"]),
    "主管部门审核推荐至评委会",
)


class NoticeSerializer(serializers.ModelSerializer):
    publisher = serializers.CharField(source="publisher.name")
    entries = serializers.SerializerMethodField()

    class Meta:
        model = PublicityNotice
        fields = [
            "id",
            "stage",
            "title",
            "body",
            "contact",
            "publisher",
            "posted_on",
            "working_days",
            "rule",
            "first_day",
            "end_date",
            "ends_at",
            "calendar_version",
            "status",
            "result_summary",
            "entries",
        ]

    def get_entries(self, notice) -> list[dict]:
        return [{"entry": e.pk, **e.public_fields, "outcome": e.outcome} for e in notice.entries.all()]


class PublicityCreateSerializer(serializers.Serializer):
    applications = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    title = serializers.CharField(max_length=200)
    posted_on = serializers.DateField(required=False)
    working_days = serializers.IntegerField(min_value=5, max_value=30, default=5)
    contact = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="")


class NoticeList(APIView):
    @extend_schema(
        operation_id="v1_publicity_list",
        responses={200: paginated(NoticeSerializer, "PaginatedNoticeList")},
        parameters=PAGE_PARAMETERS,
        summary="正在公示的公示公告（公开）",
    )
    def get(self, request):
        paginator = Pagination()
        qs = publicity.current_notices().prefetch_related("entries")
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(NoticeSerializer(page, many=True).data)

    @extend_schema(
        request=PublicityCreateSerializer,
        responses={201: NoticeSerializer, **ERRORS},
        summary="单位审核通过并公示（一次公示包含所选申报）",
    )
    def post(self, request):
        data = PublicityCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        orgs = permissions.org_ids(request.user, Role.HR)
        if not orgs:
            raise PermissionDenied()
        ids = set(data.validated_data["applications"])
        chosen = list(
            permissions.applications_visible_to(request.user)
            .filter(Q(recommending_org__in=orgs), pk__in=ids)
            .select_related("plan", "recommending_org", "archive")
        )
        if len(chosen) != len(ids):
            raise DomainError("部分申报不存在或不属于本单位。", field="applications")
        publishers = {a.recommending_org_id for a in chosen}
        if len(publishers) != 1:
            raise DomainError("一次公示只能包含同一推荐单位的申报。", field="applications")
        fields = {k: v for k, v in data.validated_data.items() if k != "applications"}
        notice = publicity.publicity_start(
            stage=PublicityStage.EMPLOYER,
            applications=chosen,
            actor=request.user,
            publisher=Organisation.objects.get(pk=publishers.pop()),
            **fields,
        )
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "GET" else super().get_permissions()


class NoticeDetail(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: NoticeSerializer, **ERRORS}, summary="公示详情（公开）")
    def get(self, request, pk):
        return Response(NoticeSerializer(get_object_or_404(PublicityNotice, pk=pk)).data)


class ObjectionSerializer(serializers.Serializer):
    entry = serializers.IntegerField()
    name = serializers.CharField(max_length=60)
    contact = serializers.CharField(max_length=120)
    reason = serializers.CharField(max_length=3000)
    evidence = serializers.FileField(required=False)


class ObjectionCreated(serializers.Serializer):
    id = serializers.UUIDField()
    status = serializers.CharField()
    reference = serializers.CharField(help_text="受理编号：异议人凭此在公示页面查询处理结果")


class ObjectionCreate(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        request=ObjectionSerializer,
        responses={201: ObjectionCreated, **ERRORS, 429: ERRORS[400]},
        summary="对公示对象提出异议（公开，限频）",
    )
    def post(self, request, pk):
        notice = get_object_or_404(PublicityNotice, pk=pk)
        data = ObjectionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = PublicityEntry.objects.filter(notice=notice, pk=data.validated_data["entry"]).first()
        if entry is None:
            raise DomainError("该公示中没有这个公示对象。", field="entry")
        try:
            objection = publicity.objection_lodge(
                entry=entry,
                name=data.validated_data["name"],
                contact=data.validated_data["contact"],
                reason=data.validated_data["reason"],
                upload=data.validated_data.get("evidence"),
                client_address=client_address(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except DomainError as exc:
            if exc.code == "rate_limited":
                return Response(error_body(exc.message), status=status.HTTP_429_TOO_MANY_REQUESTS)
            raise
        return Response(
            {"id": objection.pk, "status": objection.status, "reference": objection.reference},
            status=status.HTTP_201_CREATED,
        )


class ResolveSerializer(serializers.Serializer):
    upheld = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000)
    false_materials = serializers.BooleanField(default=False)


class ObjectionResolve(APIView):
    @extend_schema(
        request=ResolveSerializer,
        responses={200: ObjectionCreated, **ERRORS},
        summary="发布单位记录异议调查处理结果",
    )
    def post(self, request, pk):
        orgs = permissions.org_ids(request.user, Role.HR) + permissions.org_ids(request.user, Role.CLERK)
        objection = get_object_or_404(Objection.objects.filter(entry__notice__publisher__in=orgs), pk=pk)
        data = ResolveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        objection = publicity.objection_resolve(
            objection=objection, actor=request.user, **data.validated_data
        )
        return Response({"id": objection.pk, "status": objection.status, "reference": objection.reference})
