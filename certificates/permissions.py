"""Who may see and act on certificates and batches. Views start here."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from applications.exceptions import PermissionDenied
from applications.permissions import APPLICATION_REGION_FIELDS, auditor_regions, in_regions
from portal.models import Role
from portal.roles import org_ids

from .models import Certificate, CertificateBatch, IssuerProfile


def issuing_org_ids(user) -> list[int]:
    """Organisations for which the user issues, suspends and revokes certificates (bureau officers)."""
    return org_ids(user, Role.OFFICER)


def certificates_visible_to(user) -> QuerySet[Certificate]:
    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.is_superuser:
        return Certificate.objects.all()
    q = Q(holder=user)
    officer = issuing_org_ids(user)
    if officer:
        q |= Q(issuer__organisation__in=officer)
    prefixes = auditor_regions(user)
    if prefixes:
        q |= in_regions(prefixes, *CERTIFICATE_REGION_FIELDS)
    return Certificate.objects.filter(q)


# An auditor reads the certificates issued in their region, or of applications from it (by the same
# rule as the applications), and the batches issued in it or for a committee of it.
CERTIFICATE_REGION_FIELDS = (
    "issuer__organisation__region__code",
    *(f"application__{field}" for field in APPLICATION_REGION_FIELDS),
)
BATCH_REGION_FIELDS = ("issuer__organisation__region__code", "committee__region__code")


def may_manage(user, certificate: Certificate) -> bool:
    return certificate.issuer.organisation_id in issuing_org_ids(user)


def may_manage_keys(user, issuer: IssuerProfile) -> bool:
    """The issuer's officers, and the system administrator who runs `manage.py certificate_keys`."""
    return user.is_superuser or issuer.organisation_id in issuing_org_ids(user)


def certificate_for(user, pk, *, manage: bool = False) -> Certificate:
    """The certificate if the user may see it (else 404); with `manage`, also act on it (else 403)."""
    try:
        certificate = (
            certificates_visible_to(user).select_related("issuer", "batch", "signing_key").get(pk=pk)
        )
    except (Certificate.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("证书不存在") from exc
    if manage and not may_manage(user, certificate):
        raise PermissionDenied()
    return certificate


def batches_visible_to(user) -> QuerySet[CertificateBatch]:
    if not user.is_authenticated:
        return CertificateBatch.objects.none()
    if user.is_superuser:
        return CertificateBatch.objects.all()
    q = Q(issuer__organisation__in=issuing_org_ids(user))
    prefixes = auditor_regions(user)
    if prefixes:
        q |= in_regions(prefixes, *BATCH_REGION_FIELDS)
    return CertificateBatch.objects.filter(q)


def require_issuing_role(user) -> None:
    """Batch pages belong to bureau officers and auditors; anyone else signed in gets 403."""
    if not (user.is_superuser or issuing_org_ids(user) or org_ids(user, Role.AUDITOR)):
        raise PermissionDenied("您没有证书发放的权限。")


def batch_for(user, pk) -> CertificateBatch:
    require_issuing_role(user)
    try:
        return batches_visible_to(user).select_related("issuer", "committee", "approved_by").get(pk=pk)
    except (CertificateBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("发证批次不存在") from exc
