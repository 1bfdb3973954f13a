"""Domain errors of the committee's work. They extend the applications' errors so views and the API
exception handler (portal.api) treat them alike: a Chinese message, the field it concerns, a code."""

from __future__ import annotations

from applications.exceptions import DomainError, InvalidTransition, PermissionDenied

__all__ = ["AlreadyVoted", "CommitteeError", "InvalidTransition", "OutOfScope", "PermissionDenied"]


class CommitteeError(DomainError):
    pass


class OutOfScope(CommitteeError):
    """The application lies outside the committee's authorised scope (seed 000 五.3; seed 002 六)."""

    def __init__(self, message: str):
        super().__init__(message, code="out_of_scope")


class AlreadyVoted(InvalidTransition):
    """A second ballot of the same expert on the same application; it changes nothing (409)."""

    def __init__(self, message: str = "您已对该申报投票，不能重复投票。"):
        super().__init__(message)
        self.field = "application"
