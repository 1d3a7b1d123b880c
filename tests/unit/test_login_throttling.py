"""Pure login-throttle rules: growing delays per (account, address), caps for unknown pairs."""

from datetime import UTC, datetime, timedelta

import pytest

from anxun.accounts.throttling import Failures, Policy, pair_delay, wait_seconds, wait_text

POLICY = Policy(
    free_failures=3,
    delay_base_seconds=2,
    delay_max_seconds=900,
    max_failures_account=100,
    max_failures_address=50,
    window_seconds=3600,
)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("failures", "delay"),
    [(0, 0), (1, 0), (2, 0), (3, 2), (4, 4), (5, 8), (10, 256), (11, 512), (12, 900), (500, 900)],
)
def test_the_pair_delay_doubles_after_the_free_failures_up_to_the_maximum(failures, delay):
    assert pair_delay(failures, POLICY) == delay


def ago(seconds):
    return NOW - timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("pair", "address", "account", "known", "wait"),
    [
        (Failures(), Failures(), Failures(), False, 0),
        (Failures(3, ago(5), ago(1)), Failures(3, ago(5), ago(1)), Failures(), False, 1),
        (Failures(3, ago(5), ago(2)), Failures(3, ago(5), ago(2)), Failures(), False, 0),
        (Failures(5, ago(60), ago(3)), Failures(5, ago(60), ago(3)), Failures(), False, 5),
        # 50 failures from this address against other accounts: an hour after the oldest.
        (Failures(), Failures(50, ago(600), ago(1)), Failures(), False, 3000),
        (Failures(), Failures(50, ago(600), ago(1)), Failures(), True, 0),
        # 100 failures against this account from elsewhere.
        (Failures(), Failures(), Failures(100, ago(1800), ago(1)), False, 1800),
        (Failures(), Failures(), Failures(100, ago(1800), ago(1)), True, 0),
    ],
)
def test_wait_seconds(pair, address, account, known, wait):
    assert (
        wait_seconds(
            NOW, pair=pair, address=address, account=account, is_known_pair=known, policy=POLICY
        )
        == wait
    )


@pytest.mark.parametrize(
    ("seconds", "text"), [(2, "2 秒"), (59, "59 秒"), (60, "1 分钟"), (61, "2 分钟")]
)
def test_wait_text(seconds, text):
    assert wait_text(seconds) == text
