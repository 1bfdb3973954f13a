from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class ApplicationError(Exception):
    """A domain rule refused the action; the message is for the user (Chinese)."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class InvalidTransition(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="invalid_transition")


class PermissionDenied(ApplicationError, DjangoPermissionDenied):
    """Raised where the user may see the object but not act on it; Django answers 403."""

    def __init__(self, message: str = "您无权执行此操作。"):
        super().__init__(message, code="permission_denied")


class DeadlinePassed(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="deadline_passed")
