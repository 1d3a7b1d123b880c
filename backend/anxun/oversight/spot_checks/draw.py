"""Pure rules of the random spot check (双随机): the reproducible draw "anxun-draw-v1"."""

from __future__ import annotations

import hashlib
import random

ALGORITHM = "anxun-draw-v1"
SEED_MAX_LENGTH = 64
# 随机抽查须由两名以上执法人员参加. Our reference (domain.md §4) does not hold the text of this
# notice, so the citation is marked as not verified against the source.
MIN_INSPECTORS_BASIS = {
    "title": "国务院办公厅关于推广随机抽查规范事中事后监管的通知",
    "document_no": "国办发〔2015〕58号",
    "rule": "随机抽查的检查人员不少于两人",
    "verified": False,
}
MIN_INSPECTORS = 2
# The method in words, as the public reproduction file gives it: the page names no method id and
# shows no code, the file lets anyone repeat the draw from the published lists alone.
METHOD_NAME = "安巡随机抽取方法（第 1 版）"
METHOD_STEPS = [
    "将检查对象名录和执法检查人员名录按公示顺序排列，不要重新排序（公示顺序即抽取时使用的顺序）。",
    "把随机种子按 UTF-8 编码后计算 SHA-256 摘要，将 32 字节摘要按大端字节序读作一个整数。",
    "以该整数为种子初始化梅森旋转算法（MT19937）伪随机数生成器，"
    "与 Python 3.11 及以上版本标准库 random.Random 的初始化方式相同。",
    "用该生成器从检查对象名录中不放回地随机抽取 N 家企业（与 random.Random.sample 相同），"
    "抽出的先后顺序即公示序号。",
    "继续使用同一个生成器，按企业的抽取顺序，逐家从执法检查人员名录中不放回地随机抽取 K 名检查人员。",
    "把得到的企业和检查人员与公示的抽取结果逐项比对，应完全一致。",
]
METHOD_REFERENCES = [
    "安巡使用说明（README）“双随机一公开”一节：抽取方法及离线核对命令 flask anxun spot-checks reproduce",
    "Python 标准库 random 模块文档：https://docs.python.org/3/library/random.html",
    "SHA-256 摘要算法：FIPS 180-4，https://csrc.nist.gov/pubs/fips/180-4/upd1/final",
]


class DrawError(ValueError):
    """The draw cannot be made: `errors` lists (field, zh-CN message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__("; ".join(message for _, message in errors))
        self.errors = errors


def rng_for(seed: str) -> random.Random:
    """The generator of a draw: Mersenne Twister seeded with SHA-256(seed, UTF-8) as an integer."""
    return random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))


def problems(
    seed: str,
    object_ids: list[int],
    inspector_ids: list[int],
    n: int,
    k: int,
    min_per_enterprise: int = MIN_INSPECTORS,
) -> list[tuple[str, str]]:
    """Why a draw with these inputs cannot be made (empty when it can)."""
    found: list[tuple[str, str]] = []
    if not seed or len(seed) > SEED_MAX_LENGTH:
        found.append(("seed", f"随机种子应为 1 到 {SEED_MAX_LENGTH} 个字符。"))
    if len(set(object_ids)) != len(object_ids) or len(set(inspector_ids)) != len(inspector_ids):
        found.append(("pools", "名录中有重复的编号。"))
    if n < 1:
        found.append(("enterprise_count", "抽取企业数应至少为 1。"))
    elif n > len(object_ids):
        found.append(
            ("enterprise_count", f"抽取企业数 {n} 超过检查对象名录中的 {len(object_ids)} 家企业。")
        )
    if k < min_per_enterprise:
        found.append(
            (
                "inspectors_per_enterprise",
                f"每家企业的检查人员不得少于 {min_per_enterprise} 人"
                f"（{MIN_INSPECTORS_BASIS['document_no']}）。"
                if min_per_enterprise >= MIN_INSPECTORS
                else f"每家企业的检查人员应至少为 {min_per_enterprise} 人。",
            )
        )
    elif k > len(inspector_ids):
        found.append(
            (
                "inspectors_per_enterprise",
                f"每家企业 {k} 名检查人员超过执法检查人员名录中的 {len(inspector_ids)} 人。",
            )
        )
    return found


def draw(
    seed: str,
    object_ids: list[int],
    inspector_ids: list[int],
    n: int,
    k: int,
    min_per_enterprise: int = MIN_INSPECTORS,
) -> list[dict]:
    """Draw `n` enterprises and `k` distinct inspectors for each, reproducibly from `seed`.

    Algorithm "anxun-draw-v1", in full:

    1. objects = sorted(object_ids); inspectors = sorted(inspector_ids)
    2. rng = random.Random(int.from_bytes(hashlib.sha256(seed.encode("utf-8")).digest(), "big"))
    3. enterprises = rng.sample(objects, n)
    4. for each enterprise, in drawn order: its inspectors = rng.sample(inspectors, k)

    Result: [{position (1-based, drawn order), enterprise_id, inspector_user_ids (drawn order)}].
    The same seed, pools, n and k give the same result with CPython's `random` module (3.11+).
    Raises DrawError when n or k does not fit the pools or the seed is empty or too long.
    """
    errors = problems(seed, object_ids, inspector_ids, n, k, min_per_enterprise)
    if errors:
        raise DrawError(errors)
    objects = sorted(object_ids)
    inspectors = sorted(inspector_ids)
    rng = rng_for(seed)
    enterprises = rng.sample(objects, n)
    return [
        {"position": i, "enterprise_id": e, "inspector_user_ids": rng.sample(inspectors, k)}
        for i, e in enumerate(enterprises, start=1)
    ]


def differences(expected: list[dict], stored: list[dict]) -> list[str]:
    """Where stored assignments differ from a recomputed draw (empty: reproduced)."""
    found = []
    if len(expected) != len(stored):
        found.append(f"抽取企业数不同：重算 {len(expected)} 家，记录 {len(stored)} 家。")
    for want, have in zip(expected, stored, strict=False):
        if want["enterprise_id"] != have["enterprise_id"]:
            found.append(
                f"第 {want['position']} 位企业不同：重算 {want['enterprise_id']}，"
                f"记录 {have['enterprise_id']}。"
            )
        elif list(want["inspector_user_ids"]) != list(have["inspector_user_ids"]):
            found.append(f"第 {want['position']} 位企业的检查人员不同。")
    return found
