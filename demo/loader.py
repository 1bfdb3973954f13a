"""`load_demo()`: loads the whole demo data set of demo/data/ in one transaction; safe to run again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from applications.checkpoints import take_checkpoint
from applications.models import AuditCheckpoint
from portal import clock

from . import catalogue, experts, organisations, people, plans, story
from .certificates import load_issuers
from .state import DemoState
from .tables import SHANGHAI


def load_demo(*, now: dt.datetime | None = None) -> DemoState:
    """Create or update the whole demo data set; return what it loaded (its accounts and story, for printing).

    Idempotent: every row is found by its natural key (Region.code, Organisation.credit_code or (name,
    kind), ReviewPlan.code, User.username, Expert (committee, name), …) and updated in place, so a second
    run adds nothing. A plan already loaded keeps its dates and status, so a demo in progress is not reset
    by reloading; the story of the year in progress (demo/story.py) is loaded once. The order below is
    the order of the rows' primary keys, which some demo values quote.
    """
    with transaction.atomic():
        now = now or clock.now()
        state = DemoState(now=now, today=timezone.localdate(now, SHANGHAI))
        organisations.load_regions(state)
        organisations.load_bureaus(state)
        organisations.load_authorities(state)
        catalogue.load_catalogue(state)
        plans.load_quzhou_committees(state)
        organisations.load_channel_orgs(state)
        plans.load_shangyu(state)
        experts.load_experts(state)
        people.load_accounts(state)
        plans.load_rules()
        plans.load_committee_authorities(state)
        load_issuers()
        state.story = story.load_story(state)
        # The audit chain's first signed checkpoint, as the daily beat task would take it.
        if not AuditCheckpoint.objects.exists():
            take_checkpoint()
        return state
