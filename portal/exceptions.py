"""The domain errors every app raises. Views and the API's exception handler (portal.api) treat them
alike: a Chinese message for the user, the field it concerns, and a code."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class DomainError(Exception):
    """A domain rule refused the action; the message is for the user (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class InvalidTransition(DomainError):
    """The move is not legal from the record's current state (or its guard refuses it now)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message, field=field, code="invalid_transition")


class PermissionDenied(DomainError, DjangoPermissionDenied):
    """Raised where the user may see the object but not act on it; Django answers 403."""

    def __init__(self, message: str = "您无权执行此操作。"):
        super().__init__(message, code="permission_denied")


class DeadlinePassed(DomainError):
    def __init__(self, message: str):
        super().__init__(message, code="deadline_passed")


class OutOfScope(DomainError):
    """The application lies outside the committee's authorised scope (seed 000 五.3; seed 002 六)."""

    def __init__(self, message: str):
        super().__init__(message, code="out_of_scope")
