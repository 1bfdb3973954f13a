from __future__ import annotations

from applications.exceptions import DomainError


class CertificateError(DomainError):
    """A certificate rule refused the action; the message is for the user (Chinese).

    A subclass of DomainError so views and the API's exception handler treat it the same way."""
