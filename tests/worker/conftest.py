"""Fixtures the worker tests share with the certificate and committee tests."""

from tests.certificates.conftest import issuer  # noqa: F401  (fixture)
from tests.committees.conftest import cw  # noqa: F401  (fixture)
