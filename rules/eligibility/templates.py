"""The rule-set templates in force, by code: the table ``rules.models.RuleSet.template`` chooses from.

Each template module (seed 003, 000, 001, 004) defines its ``Template`` objects; listing them here is
what makes them available to rule sets, the admin and ``manage.py eligibility``."""

from __future__ import annotations

from . import engineer_mid_2023, green_channel_2020, initial_2021, shaoxing_2020
from .template_spec import Template

TEMPLATES: tuple[Template, ...] = (
    engineer_mid_2023.TEMPLATE,
    green_channel_2020.TEMPLATE,
    initial_2021.TEMPLATE,
    shaoxing_2020.MID,
    shaoxing_2020.ASSISTANT,
)
_BY_CODE: dict[str, Template] = {t.code: t for t in TEMPLATES}


def get_template(code: str) -> Template:
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"未知的规则模板：{code}") from None


def all_templates() -> list[Template]:
    return list(_BY_CODE.values())


def template_choices() -> list[tuple[str, str]]:
    """Choices of RuleSet.template (a callable, so new templates need no migration)."""
    return [(t.code, f"{t.name}（{t.code}）") for t in all_templates()]
