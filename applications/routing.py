"""Checks that apps built on applications/ add to the routing of an application to a committee.

committees/ registers its authorised-scope check here (applications may not import committees): an
application outside a committee's scope cannot be recommended or entrusted to it.
"""

from __future__ import annotations

from collections.abc import Callable

from .exceptions import DomainError

# Each check takes (committee, application) and returns a refusal reason or None.
scope_checks: list[Callable] = []


def register_scope_check(check: Callable) -> Callable:
    if check not in scope_checks:
        scope_checks.append(check)
    return check


def require_in_scope(committee, application) -> None:
    for check in scope_checks:
        reason = check(committee=committee, application=application)
        if reason:
            raise DomainError(reason, field="plan", code="out_of_scope")
