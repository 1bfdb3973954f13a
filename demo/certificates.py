"""Demo set-up of certificate issuance: each filing bureau's e-licence settings, committee codes and key."""

from __future__ import annotations

from certificates.models import CommitteeCode, IssuerProfile, SigningKey
from certificates.services.keys import signing_key_create
from portal.models import Organisation, OrgKind
from portal.validators import uscc_check_char

# The defining authority of the 职称证书 type is configurable (its real type code was not found);
# the demo uses a stand-in code of the right form.
DEMO_DEFINER = "11100000MB0000002"


def _code(first17: str) -> str:
    return first17 + uscc_check_char(first17)


def load_issuers() -> None:
    committees = (
        Organisation.objects.filter(kind=OrgKind.COMMITTEE, parent_bureau__isnull=False)
        .select_related("parent_bureau__region")
        .order_by("pk")
    )
    for committee in committees:
        bureau = committee.parent_bureau
        profile = IssuerProfile.objects.filter(organisation=bureau).first()
        if profile is None:
            profile = IssuerProfile.objects.create(
                organisation=bureau,
                name=bureau.name,
                region_code=bureau.region.code,
                credit_code=bureau.credit_code or _code(f"11{bureau.region.code}MB{bureau.pk:07d}"[:17]),
                type_code=_code(DEMO_DEFINER) + "001",
            )
        if not CommitteeCode.objects.filter(issuer=profile, committee=committee).exists():
            used = set(CommitteeCode.objects.filter(issuer=profile).values_list("code", flat=True))
            code = next(f"{n:03d}" for n in range(1, 1000) if f"{n:03d}" not in used)
            CommitteeCode.objects.create(issuer=profile, committee=committee, code=code)
        if not SigningKey.objects.filter(issuer=profile, status=SigningKey.Status.ACTIVE).exists():
            signing_key_create(issuer=profile)
