"""The shipped checklists say what the official texts say (corrections from a line-by-line review)."""

from __future__ import annotations

from pathlib import Path

import pytest

from anxun.checklists.loader import item_index, judge_answer, load_checklist

ROOT = Path(__file__).resolve().parents[2] / "checklists"


def shipped(name: str) -> dict:
    return load_checklist((ROOT / f"{name}.yaml").read_text(encoding="utf-8"))


def item(name: str, item_id: str) -> dict:
    return item_index(shipped(name))[item_id]


def pending(entry: dict) -> bool:
    return bool(entry.get("verify")) or any(ref.get("verify") for ref in entry["basis"])


def basis_doc(doc: dict, code: str) -> dict:
    return next(basis for basis in doc["basis"] if basis["code"] == code)


@pytest.mark.parametrize(
    ("reading", "effective"),
    [
        (21.1, "pass"),
        (20.9, "pass"),
        (23.5, "pass"),
        (19.5, "pass"),
        (19.4, "fail"),
        (23.6, "fail"),
    ],
)
def test_confined_space_oxygen_uses_the_industry_and_trade_range(reading, effective):
    # 工贸 有限空间: 19.5 %–23.5 % vol; normal air (20.9 %, a meter's 21.1 %) raises no hazard.
    assert judge_answer(item("confined-space", "CS-23"), "pass", reading) == effective


def test_hazchem_confined_space_oxygen_keeps_the_gb30871_range():
    assert judge_answer(item("hazardous-chemicals", "HC-09A"), "pass", 21.1) == "fail"


@pytest.mark.parametrize(
    ("item_id", "official", "moved_to"),
    [
        ("HC-MAJ-15", "安全阀、爆破片等安全附件正常投用", "HC-D-06"),
        ("HC-MAJ-17", "制定操作规程和工艺控制指标", "HC-D-07"),
    ],
)
def test_major_hazchem_items_say_no_more_than_the_criterion(item_id, official, moved_to):
    major = item("hazardous-chemicals", item_id)
    assert major["major"] is True
    assert major["text"] == official
    ordinary = item("hazardous-chemicals", moved_to)
    assert ordinary["major"] is False
    assert moved_to in major["guidance"]


def test_time_limited_responsibility_rules_are_marked_expired():
    bb = basis_doc(shipped("hazardous-chemicals"), "BB")
    assert (bb["status"], bb["expires"]) == ("expired", "2024-02-03")


def test_confirmed_facts_carry_no_pending_mark():
    assert not pending(item("hazardous-chemicals", "HC-19"))
    assert not pending(item("dust-explosion", "DUST-MAJ-10"))
    for item_id in ("CON-MAJ-19", "CON-MAJ-39", *(f"CON-MAJ-{n}" for n in range(44, 51))):
        refs = item("construction", item_id)["basis"]
        assert not refs[0].get("verify"), item_id


def test_dust_items_cite_the_clauses_of_order_13():
    assert item("dust-explosion", "DUST-MAJ-10")["text"] == "落实粉尘清理制度，作业现场无严重积尘"
    clauses = [ref["clause"] for ref in item("dust-explosion", "DUST-20")["basis"]]
    assert any(c.startswith("第七条") for c in clauses)
    assert any(c.startswith("第十四条") for c in clauses)
    assert any(c.startswith("第五条、第十五条") for c in clauses)
    assert basis_doc(shipped("dust-explosion"), "MEM13")["effective"] == "2024-01-01"


def test_seasonal_hot_work_in_wind_cites_the_hot_work_clause():
    assert item("seasonal-holiday", "SH-E02")["basis"][0]["clause"].startswith("5.2.15")


@pytest.mark.parametrize(
    ("item_id", "words"),
    [
        ("CON-MAJ-26", ("脚手架", "机械设备", "场内机动车道")),
        ("CON-MAJ-06", ("边坡",)),
        ("CON-MAJ-34", ("设备安装", "拆卸")),
        ("CON-MAJ-38", ("爬升装置", "附着装置")),
        ("CON-MAJ-45", ("支护结构扭曲变形", "裂缝")),
        ("CON-MAJ-49", ("地下管线",)),
    ],
)
def test_construction_criteria_keep_every_element_of_the_2024_text(item_id, words):
    text = item("construction", item_id)["text"]
    for word in words:
        assert word in text


def test_construction_article_13_is_tunnel_works():
    doc = shipped("construction")
    section = next(s for s in doc["sections"] if s["id"] == "major-tunnel")
    assert section["title"] == "重大隐患·隧道工程（第十三条）"
    assert "周边建筑物" in item("construction", "CON-MAJ-08")["guidance"]
