"""Pure login-throttle rules (OWASP ASVS 4.0.3 V2.2.1): growing delays, per-address caps."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class Policy:
    """Throttle settings, read from ANXUN_LOGIN_* config."""

    free_failures: int
    delay_base_seconds: int
    delay_max_seconds: int
    max_failures_account: int
    max_failures_address: int
    window_seconds: int


@dataclass(frozen=True)
class Failures:
    """Recent failed attempts: how many inside the window, and the oldest / latest of them."""

    count: int = 0
    oldest_at: datetime | None = None
    latest_at: datetime | None = None


def pair_delay(failures: int, policy: Policy) -> int:
    """Seconds one (account, address) pair waits after its latest failure.

    The first `free_failures` cost nothing (typing mistakes); then base, 2×base, 4×base, … up to
    the maximum, so guessing from one address slows down exponentially.
    """
    extra = failures - policy.free_failures
    if extra < 0:
        return 0
    return min(policy.delay_base_seconds * 2 ** min(extra, 30), policy.delay_max_seconds)


def wait_seconds(
    now: datetime,
    *,
    pair: Failures,
    address: Failures,
    account: Failures,
    is_known_pair: bool,
    policy: Policy,
) -> int:
    """Seconds before this (account, address) may try again; 0 means it may try now.

    The overall caps per address and per account hold back only pairs that have not logged in
    successfully before, so a correct password from an address that did not fail still works.
    """
    until: list[datetime] = []
    if pair.count and pair.latest_at is not None:
        until.append(pair.latest_at + timedelta(seconds=pair_delay(pair.count, policy)))
    window = timedelta(seconds=policy.window_seconds)
    if not is_known_pair:
        if address.count >= policy.max_failures_address and address.oldest_at is not None:
            until.append(address.oldest_at + window)
        if account.count >= policy.max_failures_account and account.oldest_at is not None:
            until.append(account.oldest_at + window)
    if not until:
        return 0
    return max(0, math.ceil((max(until) - now).total_seconds()))


def wait_text(seconds: int) -> str:
    """「30 秒」 or 「15 分钟」 for the problem detail."""
    if seconds < 60:
        return f"{seconds} 秒"
    return f"{math.ceil(seconds / 60)} 分钟"
