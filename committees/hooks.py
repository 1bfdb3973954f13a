"""What happens after a committee's result is approved, for apps built on top of committees/.

certificates/ registers here (it may import committees, not the other way round); the handlers run
after the approving transaction commits. A beat sweep in certificates re-derives the same work from
the database, so a handler that fails only delays issuance.
"""

from __future__ import annotations

from collections.abc import Callable

results_approved: list[Callable[[int], None]] = []


def on_results_approved(handler: Callable[[int], None]) -> Callable[[int], None]:
    if handler not in results_approved:
        results_approved.append(handler)
    return handler


def results_were_approved(filing_id: int) -> None:
    for handler in results_approved:
        handler(filing_id)
