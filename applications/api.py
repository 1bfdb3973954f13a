"""REST API for the applicant's archive, applications and evidence (/api/v1/)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api import (
    PAGE_NUMBER_SCHEMA,
    PAGE_SIZE_DESCRIPTION,
    CappedPagination,
    FormChoiceField,
)
from portal.client_ip import client_ip
from portal.models import Organisation, Qualification, ReviewPlan, Role, Specialty, SubSpecialty
from portal.validators import IdType
from rules.vocab import DeclarationType

from . import permissions, services
from .archive_json import archive_to_json
from .models import Application, Archive, Channel, Evidence
from .states import State


def paginated(serializer_class, name: str, *, capped: bool = False):
    """The schema of a page of results, as portal.api.Pagination (or, `capped`, CappedPagination)
    returns it."""
    fields = {"count": serializers.IntegerField()}
    if capped:
        fields = {
            "count": serializers.IntegerField(help_text=f"总数，最多计到{CappedPagination.COUNT_CAP}"),
            "count_capped": serializers.BooleanField(help_text="为 true 时实际总数超过 count"),
        }
    return inline_serializer(
        name,
        {
            **fields,
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


# The query parameters of a page (portal.api.Pagination), for the views that paginate by hand.
PAGE_PARAMETERS = [
    OpenApiParameter("page", PAGE_NUMBER_SCHEMA, description="页码（从1开始）"),
    OpenApiParameter("page_size", PAGE_NUMBER_SCHEMA, description=PAGE_SIZE_DESCRIPTION),
]


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERRORS = {400: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class IdentitySerializer(serializers.ModelSerializer):
    serializer_choice_field = FormChoiceField
    id_type = FormChoiceField(choices=IdType.CHOICES, required=False)
    # The applicant's own number in full (only this user's archive is served); stored sealed.
    id_number = serializers.CharField(max_length=24, required=False, allow_blank=True)

    class Meta:
        model = Archive
        fields = [
            "name",
            "gender",
            "id_type",
            "id_number",
            "birth_date",
            "nationality",
            "phone",
            "email",
            "current_employer",
            "current_employer_name",
        ]


class ArchiveIdentityView(APIView):
    """The applicant's own archive identity; the whole archive in its JSON form on GET ?format=full."""

    @extend_schema(responses={200: IdentitySerializer, **ERRORS})
    def get(self, request):
        archive = services.archive_get_or_create(user=request.user)
        return Response(IdentitySerializer(archive).data)

    @extend_schema(request=IdentitySerializer, responses={200: IdentitySerializer, **ERRORS})
    def put(self, request):
        """Replaces the identity: the fields the schema requires must be sent."""
        return self._save(request, partial=False)

    @extend_schema(request=IdentitySerializer, responses={200: IdentitySerializer, **ERRORS})
    def patch(self, request):
        """Changes only the fields sent."""
        return self._save(request, partial=True)

    def _save(self, request, *, partial: bool):
        archive = services.archive_get_or_create(user=request.user)
        data = IdentitySerializer(archive, data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        services.archive_update_identity(archive=archive, **data.validated_data)
        return Response(IdentitySerializer(archive).data)


class ArchiveJsonView(APIView):
    @extend_schema(responses={200: inline_serializer("ArchiveJson", {"identity": serializers.DictField()})})
    def get(self, request):
        return Response(archive_to_json(services.archive_get_or_create(user=request.user)))


def entry_views(kind):
    model = kind.model
    fields = ["id", *kind.form_class._meta.fields]
    serializer = type(
        f"{model.__name__}Serializer",
        (serializers.ModelSerializer,),
        {
            "Meta": type("Meta", (), {"model": model, "fields": fields}),
            "serializer_choice_field": FormChoiceField,
        },
    )

    def _queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return model.objects.none()
        return model.objects.filter(archive=services.archive_get_or_create(user=self.request.user))

    def _save(self, ser):
        archive = services.archive_get_or_create(user=self.request.user)
        instance = ser.instance or model()
        for name, value in ser.validated_data.items():
            setattr(instance, name, value)
        try:
            services.archive_entry_save(archive=archive, entry=instance)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(
                exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            ) from exc
        ser.instance = instance

    list_view = type(
        f"{model.__name__}List",
        (generics.ListCreateAPIView,),
        {
            "serializer_class": serializer,
            "get_queryset": _queryset,
            "perform_create": _save,
            "__doc__": f"{kind.label}（本人业绩档案）",
        },
    )
    detail_view = type(
        f"{model.__name__}Detail",
        (generics.RetrieveUpdateDestroyAPIView,),
        {
            "serializer_class": serializer,
            "get_queryset": _queryset,
            "perform_update": _save,
            "perform_destroy": lambda self, instance: services.archive_entry_delete(entry=instance),
            "__doc__": f"{kind.label}（本人业绩档案）",
        },
    )
    return list_view, detail_view


class ApplicationSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    qualification = serializers.StringRelatedField()
    specialty = serializers.StringRelatedField()
    sub_specialty = serializers.PrimaryKeyRelatedField(
        queryset=SubSpecialty.objects.all(), allow_null=True, required=False
    )
    recommending_org = serializers.StringRelatedField()
    state_display = serializers.CharField(source="get_state_display", read_only=True)
    applicant_name = serializers.CharField(source="archive.name", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "number",
            "plan",
            "qualification",
            "specialty",
            "sub_specialty",
            "declaration_type",
            "exceptional_class",
            "specialty_matches",
            "channel",
            "recommending_org",
            "workplace",
            "work_summary",
            "state",
            "state_display",
            "applicant_name",
            "submitted_at",
            "pledge_signed_at",
            "created_at",
        ]
        read_only_fields = [
            "id",
            "number",
            "channel",
            "workplace",
            "state",
            "submitted_at",
            "pledge_signed_at",
            "created_at",
        ]


class ApplicationCreateSerializer(serializers.Serializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=ReviewPlan.objects.all())
    qualification = serializers.PrimaryKeyRelatedField(queryset=Qualification.objects.all())
    specialty = serializers.PrimaryKeyRelatedField(queryset=Specialty.objects.all())
    sub_specialty = serializers.PrimaryKeyRelatedField(
        queryset=SubSpecialty.objects.all(), required=False, allow_null=True
    )
    declaration_type = serializers.ChoiceField(choices=DeclarationType.choices)
    exceptional_class = serializers.ChoiceField(
        choices=Application._meta.get_field("exceptional_class").choices,
        allow_blank=True,
        required=False,
        default="",
    )
    specialty_matches = serializers.BooleanField(default=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    recommending_org = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    workplace = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True
    )


class ApplicationUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Application
        fields = list(services.DRAFT_FIELDS)
        extra_kwargs = {name: {"required": False} for name in services.DRAFT_FIELDS}


class ApplicationList(APIView):
    @extend_schema(
        operation_id="v1_applications_list",
        responses={200: paginated(ApplicationSerializer, "PaginatedApplicationList", capped=True)},
        parameters=[OpenApiParameter("state", str, description="按状态筛选"), *PAGE_PARAMETERS],
    )
    def get(self, request):

        qs = permissions.applications_visible_to(request.user)
        state = request.query_params.get("state")
        if state:
            if state not in State.values:
                raise serializers.ValidationError({"state": [f"未知状态：{state}"]})
            qs = qs.filter(state=state)
        # The page's keys first (a sort of narrow rows), then its rows with their relations by key.
        paginator = CappedPagination()
        keys = paginator.paginate_keys(qs.order_by("-created_at", "-pk"), request)
        rows = Application.objects.filter(pk__in=keys).select_related(
            "plan", "qualification", "specialty", "recommending_org", "archive", "sub_specialty"
        )
        by_key = {a.pk: a for a in rows}
        page = [by_key[key] for key in keys if key in by_key]
        return paginator.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationSerializer, **ERRORS})
    def post(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        application = services.application_create(applicant=request.user, **data.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)


class ApplicationDetail(APIView):
    @extend_schema(responses={200: ApplicationSerializer, **ERRORS})
    def get(self, request, pk):
        return Response(ApplicationSerializer(permissions.application_for(request.user, pk)).data)

    @extend_schema(request=ApplicationUpdateSerializer, responses={200: ApplicationSerializer, **ERRORS})
    def patch(self, request, pk):
        application = permissions.application_for(request.user, pk, role=Role.APPLICANT)
        data = ApplicationUpdateSerializer(application, data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        application = services.application_update(
            application=application, actor=request.user, **data.validated_data
        )
        return Response(ApplicationSerializer(application).data)


class EvidenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evidence
        fields = ["id", "material_code", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    material_code = serializers.CharField(required=False, allow_blank=True, default="")


class ApplicationEvidence(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={200: EvidenceSerializer(many=True), **ERRORS})
    def get(self, request, pk):
        application = permissions.application_for(request.user, pk)
        return Response(EvidenceSerializer(application.evidence.all(), many=True).data)

    @extend_schema(request=EvidenceUploadSerializer, responses={201: EvidenceSerializer, **ERRORS})
    def post(self, request, pk):
        application = permissions.application_for(request.user, pk, role=Role.APPLICANT)
        data = EvidenceUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        evidence = services.evidence_upload(
            archive=application.archive,
            upload=data.validated_data["file"],
            application=application,
            material_code=data.validated_data["material_code"],
        )
        return Response(EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class ActionSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500)


def _action_view(name: str, fn, doc: str, with_ip: bool = False):
    @extend_schema(request=ActionSerializer, responses={200: ApplicationSerializer, **ERRORS}, summary=doc)
    def post(self, request, pk):
        application = permissions.application_for(request.user, pk)
        data = ActionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        kwargs = {}
        if with_ip:
            kwargs["ip"] = client_ip(request) or None
        if fn is services.application_withdraw:
            kwargs["reason"] = data.validated_data.get("reason", "")
        return Response(ApplicationSerializer(fn(application=application, actor=request.user, **kwargs)).data)

    return type(name, (APIView,), {"post": post, "__doc__": doc})


SubmitView = _action_view("ApplicationSubmit", services.application_submit, "提交申报")
ResubmitView = _action_view("ApplicationResubmit", services.application_resubmit, "退回后重新提交")
WithdrawView = _action_view("ApplicationWithdraw", services.application_withdraw, "撤回申报")
PledgeView = _action_view(
    "ApplicationPledge", services.application_sign_pledge, "签署真实性保证书", with_ip=True
)
