"""Domain errors of the committee's work, in the one hierarchy of portal.exceptions, so views and the
API exception handler treat them alike: a Chinese message, the field it concerns, a code."""

from __future__ import annotations

from portal.exceptions import DomainError, InvalidTransition, OutOfScope, PermissionDenied

__all__ = ["AlreadyVoted", "CommitteeError", "InvalidTransition", "OutOfScope", "PermissionDenied"]


# A refusal by a rule of the committee's work. The same class as every domain error: a guard of the
# application workflow (applications.workflow) refuses with the same kind of error as a service here.
CommitteeError = DomainError


class AlreadyVoted(InvalidTransition):
    """A second ballot of the same expert on the same application; it changes nothing (409)."""

    def __init__(self, message: str = "您已对该申报投票，不能重复投票。"):
        super().__init__(message)
        self.field = "application"
