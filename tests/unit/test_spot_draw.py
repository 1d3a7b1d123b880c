"""The reproducible random draw "anxun-draw-v1" (双随机): pinned vectors, validation table."""

from __future__ import annotations

import hashlib
import random

import pytest

from anxun.oversight.spot_checks import draw as spot_draw


def reference_draw(seed, objects, inspectors, n, k):
    """The algorithm as the README states it, in a few lines of standard Python."""
    rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))
    drawn = rng.sample(sorted(objects), n)
    return [(e, rng.sample(sorted(inspectors), k)) for e in drawn]


# Pinned on CPython 3.11: a change here means published draws could no longer be repeated.
PINNED = [
    (
        "abc",
        list(range(1, 11)),
        [21, 22, 23, 24, 25],
        3,
        2,
        [(1, [22, 25]), (9, [21, 22]), (7, [23, 21])],
    ),
    ("anxun-demo-2026-q4", [4, 1, 3, 2], [9, 7, 8], 2, 2, [(2, [9, 7]), (1, [7, 9])]),
]


@pytest.mark.parametrize(("seed", "objects", "inspectors", "n", "k", "expected"), PINNED)
def test_a_seed_always_gives_the_same_draw(seed, objects, inspectors, n, k, expected):
    rows = spot_draw.draw(seed, objects, inspectors, n, k)
    assert [(r["enterprise_id"], r["inspector_user_ids"]) for r in rows] == expected
    assert [r["position"] for r in rows] == list(range(1, n + 1))
    assert reference_draw(seed, objects, inspectors, n, k) == expected


def test_pool_order_does_not_matter_because_pools_are_sorted_first():
    a = spot_draw.draw("s", [5, 3, 9, 1], [40, 10, 30, 20], 3, 2)
    b = spot_draw.draw("s", [1, 3, 5, 9], [10, 20, 30, 40], 3, 2)
    assert a == b


def test_different_seeds_give_different_draws_and_inspectors_are_distinct():
    objects, inspectors = list(range(1, 51)), list(range(100, 120))
    draws = {
        tuple(r["enterprise_id"] for r in spot_draw.draw(f"seed-{i}", objects, inspectors, 5, 3))
        for i in range(20)
    }
    assert len(draws) == 20
    for row in spot_draw.draw("x", objects, inspectors, 50, 3):
        assert len(set(row["inspector_user_ids"])) == 3
    assert sorted(r["enterprise_id"] for r in spot_draw.draw("x", objects, inspectors, 50, 2)) == (
        objects
    )


@pytest.mark.parametrize(
    ("seed", "objects", "inspectors", "n", "k", "fields"),
    [
        ("s", [1, 2, 3], [7, 8], 4, 2, ["enterprise_count"]),  # more than the registry holds
        ("s", [1, 2, 3], [7, 8], 0, 2, ["enterprise_count"]),
        ("s", [1, 2, 3], [7, 8], 2, 1, ["inspectors_per_enterprise"]),  # 检查人员不少于两人
        ("s", [1, 2, 3], [7, 8], 2, 3, ["inspectors_per_enterprise"]),  # more than the pool
        ("s", [1, 2, 3], [7], 1, 2, ["inspectors_per_enterprise"]),
        ("", [1, 2, 3], [7, 8], 1, 2, ["seed"]),
        ("x" * 65, [1, 2, 3], [7, 8], 1, 2, ["seed"]),
        ("s", [], [], 1, 2, ["enterprise_count", "inspectors_per_enterprise"]),
        ("s", [1, 1, 2], [7, 8], 1, 2, ["pools"]),
        ("s", [1, 2, 3], [7, 8], 3, 2, []),
    ],
)
def test_impossible_draws_are_refused_with_the_field_at_fault(
    seed, objects, inspectors, n, k, fields
):
    assert [f for f, _ in spot_draw.problems(seed, objects, inspectors, n, k)] == fields
    if fields:
        with pytest.raises(spot_draw.DrawError) as caught:
            spot_draw.draw(seed, objects, inspectors, n, k)
        assert [f for f, _ in caught.value.errors] == fields


def test_the_two_officer_rule_cites_its_unverified_basis():
    [(field, message)] = spot_draw.problems("s", [1], [7, 8], 1, 1)
    assert field == "inspectors_per_enterprise"
    assert "不得少于 2 人" in message and "国办发〔2015〕58号" in message
    assert spot_draw.MIN_INSPECTORS_BASIS["verified"] is False
    # Reproducing (not drawing) accepts whatever an old draw used.
    assert len(spot_draw.draw("s", [1], [7, 8], 1, 1, min_per_enterprise=1)) == 1


def test_differences_name_the_position_that_does_not_match():
    rows = spot_draw.draw("abc", list(range(1, 11)), [21, 22, 23, 24, 25], 3, 2)
    assert spot_draw.differences(rows, rows) == []
    tampered = [dict(r) for r in rows]
    tampered[1] = {**tampered[1], "enterprise_id": 10}
    tampered[2] = {**tampered[2], "inspector_user_ids": [24, 25]}
    found = spot_draw.differences(rows, tampered)
    assert len(found) == 2
    assert "第 2 位企业不同" in found[0] and "第 3 位企业的检查人员不同" in found[1]
    assert "抽取企业数不同" in spot_draw.differences(rows, rows[:2])[0]
