"""Shared helpers of the committee tests (a fixed clock, a decision with members)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

from engine.committee.store import Store

CRITERIA = ["monthly_cost", "capability", "compliance"]


def clock(start: dt.datetime = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)) -> Callable[[], dt.datetime]:
    """A clock that moves one second per reading (deterministic timestamps)."""
    ticks = itertools.count()
    return lambda: start + dt.timedelta(seconds=next(ticks))


def open_decision(store: Store, members: list[str]) -> tuple[str, dict[str, str]]:
    """A decision over :data:`CRITERIA` (invented snapshot) with ``members``: (owner token, tokens)."""
    _, owner = store.create_decision(
        "test decision",
        criteria=CRITERIA,
        snapshot={"vendors/x.yaml": "0" * 64},
        priorities_name="p.yaml",
        priorities_yaml="name: p\n",
        method="weighted-sum",
        vendors_dir="/nonexistent/vendors",
        criteria_dir="/nonexistent/criteria",
    )
    return owner, {m: store.invite(owner, m) for m in members}
