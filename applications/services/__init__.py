"""The applicant's services: the performance archive, evidence, and an application from creation to
(re)submission and withdrawal. Other parties' moves live with them (applications.audit for the
employer and the bureau, applications.publicity, committees.services, certificates.services); every
change of an application's state goes through applications.workflow.transition."""

from .archive import (
    archive_entry_delete,
    archive_entry_save,
    archive_get_or_create,
    archive_title_record,
    archive_title_remove,
    archive_titles_record,
    archive_update_identity,
    evidence_attach,
    evidence_delete,
    evidence_upload,
)
from .declaration import (
    CHANNEL_ORG_KINDS,
    DRAFT_FIELDS,
    application_create,
    application_resubmit,
    application_sign_pledge,
    application_submit,
    application_update,
    application_withdraw,
    channel_orgs,
    missing_materials,
    plans_open,
    required_materials,
)

__all__ = [
    "CHANNEL_ORG_KINDS",
    "DRAFT_FIELDS",
    "application_create",
    "application_resubmit",
    "application_sign_pledge",
    "application_submit",
    "application_update",
    "application_withdraw",
    "archive_entry_delete",
    "archive_entry_save",
    "archive_get_or_create",
    "archive_title_record",
    "archive_titles_record",
    "archive_title_remove",
    "archive_update_identity",
    "channel_orgs",
    "evidence_attach",
    "evidence_delete",
    "evidence_upload",
    "missing_materials",
    "plans_open",
    "required_materials",
]
