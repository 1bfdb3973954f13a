"""The legal moves of certificates, their signing keys and the items of an issuing batch. Services take
every move through these machines (portal.workflow): the row is locked, the move and the actor checked,
and a history row naming the actor written in the same transaction.

A certificate keeps its own status history (StatusChange: the public status list and the holder's page
read it), so its machine writes there instead of the portal's RecordEvent."""

from __future__ import annotations

from portal.models import Role
from portal.workflow import Machine, move

from .exceptions import InvalidCertificateTransition
from .models import BatchItem, Certificate, SigningKey, StatusChange
from .permissions import may_manage, may_manage_keys

# ---------------------------------------------------------------- signing keys


def _may_manage_key(user, key: SigningKey) -> bool:
    return may_manage_keys(user, key.issuer)


_K = SigningKey.Status
SIGNING_KEY = Machine(
    SigningKey,
    [
        # Signs nothing new; what it signed stays valid (also taken when a new key replaces it).
        move("retire", {_K.ACTIVE}, _K.RETIRED, "停用", may=_may_manage_key, role=Role.OFFICER),
        # What it signed no longer verifies until re-signed.
        move("revoke", {_K.ACTIVE, _K.RETIRED}, _K.REVOKED, "吊销", may=_may_manage_key, role=Role.OFFICER),
    ],
    related=("issuer",),
    refusal=lambda key, m, state: f"密钥 {key.kid} 当前为“{state}”，不能{m.label}。",
    invalid=InvalidCertificateTransition,
)


# ---------------------------------------------------------------- certificates


def _record_status_change(certificate: Certificate, *, at, actor, from_status, to_status, note, data, **_):
    return StatusChange.objects.create(
        certificate=certificate,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at,
        reason=note[:300],
        decision_document=data.get("decision_document", ""),
    )


def _may_reissue(user, certificate: Certificate) -> bool:
    return may_manage_keys(user, certificate.issuer)


_C = Certificate.Status
CERTIFICATE = Machine(
    Certificate,
    [
        move("suspend", {_C.VALID}, _C.SUSPENDED, "暂扣", may=may_manage, role=Role.OFFICER),
        move("reinstate", {_C.SUSPENDED}, _C.VALID, "恢复", may=may_manage, role=Role.OFFICER),
        move("revoke", {_C.VALID, _C.SUSPENDED}, _C.REVOKED, "撤销", may=may_manage, role=Role.OFFICER),
        # Signed again under the issuer's active key (after its key was revoked), status unchanged.
        *(
            move(f"reissue_{state}", {state}, state, "重新签发", may=_may_reissue, role=Role.OFFICER)
            for state in _C.values
        ),
    ],
    related=("issuer",),
    refusal=lambda certificate, m, state: f"证书当前为“{state}”，不能执行该操作。",
    invalid=InvalidCertificateTransition,
    record=_record_status_change,
)


# ---------------------------------------------------------------- batch items (settled by the issuing run)

_B = BatchItem.Outcome
BATCH_ITEM = Machine(
    BatchItem,
    [
        move("issue", {_B.PENDING}, _B.ISSUED, "发证"),
        move("skip", {_B.PENDING}, _B.SKIPPED, "不予发证"),
    ],
    field="outcome",
    invalid=InvalidCertificateTransition,
)
