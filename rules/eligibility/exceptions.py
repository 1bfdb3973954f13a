"""Domain exceptions of the eligibility rules; the API maps them to its one error shape."""

from __future__ import annotations


class EligibilityError(Exception):
    """Base class; ``str(exc)`` is a Chinese message fit to show to the user."""


class ArchiveFormatError(EligibilityError):
    def __init__(self, path: str, message: str):
        self.path = path
        self.message = message
        super().__init__(f"{path}: {message}")


class RuleSetMissing(EligibilityError):
    pass


class InvalidParams(EligibilityError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("；".join(f"{key}: {msg}" for key, msg in errors.items()))


class QuotaError(EligibilityError):
    pass


class NoValidHonour(QuotaError):
    """The enterprise holds no honour of the plan's list inside its validity window."""


class QuotaExceeded(QuotaError):
    pass
