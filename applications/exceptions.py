"""The domain errors, as the application's code names them (defined once in portal.exceptions)."""

from __future__ import annotations

from portal.exceptions import DeadlinePassed, DomainError, InvalidTransition, OutOfScope, PermissionDenied

__all__ = ["DeadlinePassed", "DomainError", "InvalidTransition", "OutOfScope", "PermissionDenied"]
