from __future__ import annotations

from applications.exceptions import DomainError, InvalidTransition


class CertificateError(DomainError):
    """A certificate rule refused the action; the message is for the user (Chinese).

    A subclass of DomainError so views and the API's exception handler treat it the same way."""


class InvalidCertificateTransition(CertificateError, InvalidTransition):
    """A move the table of certificates' or keys' moves forbids from the current state: a CertificateError
    for the certificate pages, an InvalidTransition for the API's error mapping."""

    def __init__(self, message: str, *, field: str | None = "status"):
        InvalidTransition.__init__(self, message, field=field)
